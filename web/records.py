"""Records management: retention schedule, legal holds and disposition (the records service's)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from archive.errors import ArchiveError
from archive.access.permissions import Permission, allows
from web.access import current_actor
from web.context import archive, config
from web.i18n import sentence
from web.templating import gettext

bp = Blueprint("records", __name__)


def records_service():
    """Return the archive's records service (404 while that part is not installed)."""
    service = getattr(archive(), "records", None)
    if service is None:
        abort(404)
    return service


@bp.get("/records")
def overview():
    """Show what is due for disposal, the holds and the retention schedule."""
    actor = current_actor()
    service = records_service()
    due = service.due(actor)
    holds = service.holds(actor)
    certificates = service.certificates(actor)
    return render_template("records.html", due=due, holds=holds, certificates=certificates,
                           schedule=config().records.retention, approvals=config().records.disposition_approvals,
                           can_approve=allows(actor, Permission.DISPOSE_APPROVE),
                           can_hold=allows(actor, Permission.HOLD))


@bp.post("/records/holds")
def add_hold():
    """Place a legal hold on a document or a client."""
    form = request.form
    document_id = form.get("document_id", type=int)
    client_id = form.get("client_id", "").strip() or None
    records_service().place_hold(current_actor(), form.get("reason", ""), document_id=document_id,
                                 client_id=client_id, case_reference=form.get("case_reference"))
    return redirect(url_for("records.overview"))


@bp.post("/records/holds/<int:hold_id>/release")
def release_hold(hold_id: int):
    """Release one legal hold."""
    records_service().release_hold(current_actor(), request.form.get("reason", ""), hold_id=hold_id)
    return redirect(url_for("records.overview"))


@bp.post("/records/dispose")
def approve():
    """Approve the disposal of what is due (a records manager; maybe a second one too)."""
    try:
        result = records_service().dispose(current_actor(), approve=True)
    except ArchiveError as exc:
        flash(sentence(exc))
        return redirect(url_for("records.overview"))
    flash(gettext("Destroyed: {destroyed}; waiting for a second approval: {waiting}.",
                  destroyed=len(result.destroyed), waiting=len(result.awaiting_second_approval)))
    return redirect(url_for("records.overview"))
