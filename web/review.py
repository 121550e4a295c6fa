"""The review queue: documents the archive was unsure about, oldest first, fixed in a few keystrokes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive.errors import InvalidInput
from web.access import current_actor
from web.context import archive, config
from web.documents import form_changes
from web.i18n import sentence
from web.templating import gettext

bp = Blueprint("review", __name__)


@bp.get("/review")
def queue():
    """Show the oldest document to review with its suspected values, and the ones after it."""
    total, items = archive().review_queue(current_actor(), limit=50)
    return render_template("review.html", total=total, items=items, current=items[0] if items else None,
                           types=config().extraction.types, error=None)


@bp.post("/review/<int:document_id>")
def fix(document_id: int):
    """Save the corrected facts and confirm the document; then on to the next one."""
    actor = current_actor()
    view = archive().document(document_id, actor, audit=False)
    try:
        archive().update_facts(document_id, form_changes(request.form, view), actor, confirm=True)
    except InvalidInput as exc:
        total, items = archive().review_queue(actor, limit=50)
        current = next((item for item in items if item["id"] == document_id), items[0] if items else None)
        return render_template("review.html", total=total, items=items, current=current,
                               types=config().extraction.types, error=sentence(exc)), 400
    flash(gettext("Confirmed: no longer in the review queue.") + f" (#{document_id})")
    return redirect(url_for("review.queue"))
