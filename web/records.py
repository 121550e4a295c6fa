"""Records management: retention schedule, legal holds and disposition as a proposal.

Destroying is two deliberate steps: the records manager chooses from the list (each
document with its title, client, type, date, rule and keep-until date; those whose
type or date were never confirmed are left out unless ticked one by one), then a
confirmation page names how many documents under which rules before anything is
destroyed. The archive checks every choice again when it destroys.
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from archive.access.permissions import Permission, allows
from archive.errors import ArchiveError, Conflict, InvalidInput, NotFound
from web import labels
from web.access import current_actor
from web.context import archive, config
from web.headers import send_stored
from web.i18n import sentence
from web.templating import gettext

bp = Blueprint("records", __name__)
# A certificate is a page the archive wrote once, with its own style sheet inside.
_CERTIFICATE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def records_service():
    """Return the archive's records service (404 while that part is not installed)."""
    service = getattr(archive(), "records", None)
    if service is None:
        abort(404)
    return service


def _clients(items) -> dict:
    clients = archive().clients
    return {item.client_id: clients.get(item.client_id) for item in items if item.client_id}


@bp.get("/records")
def overview():
    """Show what is due for disposal (to choose from), the holds and the retention schedule."""
    return _overview()


def _overview(hold_form: dict | None = None, hold_error: str | None = None) -> str:
    """The records page; a refused hold shows its reason on the form with what was typed kept."""
    actor = current_actor()
    service = records_service()
    due, holds = service.due(actor), service.holds(actor)
    return render_template(
        "records.html",
        due=due,
        clients=_clients([*due, *holds]),  # a hold named by its client's number alone is easily mistaken
        holds=holds,
        certificates=service.certificates(actor),
        schedule=config().records.retention,
        approvals=config().records.disposition_approvals,
        can_approve=allows(actor, Permission.DISPOSE_APPROVE),
        can_hold=allows(actor, Permission.HOLD),
        me=actor.name,
        hold_form=hold_form or {},
        hold_error=hold_error,
    )


@bp.route("/records/holds", methods=["GET", "POST"])
def add_hold():
    """Place a legal hold on a document or a client (the address opened again: the records page)."""
    if request.method == "GET":  # a refused form stands here; "not found" would read as lost
        return redirect(url_for("records.overview"))
    form = request.form
    typed = form.get("document_id", "").strip().lstrip("#")
    if typed and not typed.isdigit():
        return _overview(form, gettext("A document number is digits only, such as 1234.")), 400
    try:
        records_service().place_hold(
            current_actor(),
            form.get("reason", ""),
            document_id=int(typed) if typed else None,
            client_id=form.get("client_id", "").strip() or None,
            case_reference=form.get("case_reference"),
        )
    except (InvalidInput, NotFound, Conflict) as exc:  # a refusal of the role stays the error page
        return _overview(form, sentence(exc)), 400
    flash(gettext("The hold was placed."))
    return redirect(url_for("records.overview"))


@bp.post("/records/holds/<int:hold_id>/release")
def release_hold(hold_id: int):
    """Release one legal hold."""
    try:
        records_service().release_hold(current_actor(), request.form.get("reason", ""), hold_id=hold_id)
    except (InvalidInput, NotFound, Conflict) as exc:  # e.g. released meanwhile in another tab
        flash(sentence(exc), "error")
        return redirect(url_for("records.overview"))
    flash(gettext("The hold was released."))
    return redirect(url_for("records.overview"))


def _chosen(form) -> tuple[list[int], list[int]]:
    """Return the ids ticked to destroy, and among them those ticked although unconfirmed."""
    ids = sorted({int(v) for v in form.getlist("ids") if v.isdigit()})
    include = sorted({int(v) for v in form.getlist("include") if v.isdigit()})
    return sorted(set(ids) | set(include)), include


@bp.route("/records/dispose", methods=["GET", "POST"])
def approve():
    """Step one: show what was chosen and under which rules; step two (confirm=1): approve it.

    The confirmation stands at this address; opened again it is the records page, never a
    destruction: only a POST with confirm=1 approves.
    """
    if request.method == "GET":
        return redirect(url_for("records.overview"))
    actor = current_actor()
    ids, include = _chosen(request.form)
    if not ids:
        flash(gettext("Tick the documents to destroy first."))
        return redirect(url_for("records.overview"))
    if request.form.get("confirm") != "1":
        due = {item.id: item for item in records_service().due(actor)}
        chosen = [due[i] for i in ids if i in due]
        rules = Counter(item.rule for item in chosen)
        return render_template(
            "records_confirm.html",
            chosen=chosen,
            include=include,
            rules=rules,
            clients=_clients(chosen),
            gone=[i for i in ids if i not in due],
            approvals=config().records.disposition_approvals,
        )
    try:
        result = records_service().dispose(actor, approve=True, ids=ids, include_unconfirmed=include)
    except ArchiveError as exc:
        flash(sentence(exc), "error")
        return redirect(url_for("records.overview"))
    flash(
        gettext(
            "Destroyed: {destroyed}; waiting for a second approval: {waiting}; left alone: {skipped}.",
            destroyed=len(result.destroyed),
            waiting=len(result.awaiting_second_approval),
            skipped=len(result.skipped),
        )
    )
    if result.skipped:  # confirmed, yet kept: the records manager must see which and why
        kept = [f"#{item['id']} ({labels.label(labels.DISPOSAL_SKIPS, item['reason'])})" for item in result.skipped]
        flash(gettext("Not destroyed: {documents}.", documents=", ".join(kept)), "error")
    return redirect(url_for("records.overview"))


@bp.get("/records/certificates/<int:number>.<kind>")
def certificate(number: int, kind: str):
    """Open a certificate of destruction (verklaring van vernietiging) as HTML or JSON."""
    if kind not in ("html", "json"):
        abort(404)
    path = records_service().certificate_file(current_actor(), number, kind)
    mime_type = "text/html" if kind == "html" else "application/json"
    response = send_stored(path, path.name, mime_type, inline=True)
    response.frameable = False  # type: ignore[attr-defined]
    # Shown as the archive wrote it; it runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = _CERTIFICATE_CSP
    return response
