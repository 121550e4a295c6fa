"""The review queue: documents the archive was unsure about, oldest first, fixed in a few keystrokes.

The page shows the document itself beside the form (a view, audited like the document
page), every client it may be about with what was seen of each, and the suspected
values the way people write them.
"""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive.errors import InvalidInput
from web.access import current_actor
from web.context import archive, config
from web.documents import mark_seen
from web.facts import FactForm
from web.templating import gettext

bp = Blueprint("review", __name__)

_QUEUE_SHOWN = 50
_CANDIDATE_PREFIX = "client_candidate:"
_GIVEN_CLIENT = "given_client_id"


def candidates(item: dict) -> list[dict]:
    """Return the clients a review item may be about, best first, each with its client record and evidence."""
    clients = archive().clients
    found = []
    for fact in item["evidence"]:
        if not fact["name"].startswith(_CANDIDATE_PREFIX):
            continue
        try:
            seen = json.loads(fact["source_text"] or "[]")
        except ValueError:
            seen = []
        found.append(
            {
                "client_id": fact["value"],
                "score": fact["confidence"] or 0.0,
                "seen": seen,
                "client": clients.get(fact["value"]),
                "chosen": fact["value"] == item.get("client_id"),
            }
        )
    return sorted(found, key=lambda c: c["score"], reverse=True)


def given_client(item: dict):
    """Return the client given at upload that the document contradicted (its record), or None."""
    given = next((f["value"] for f in item["evidence"] if f["name"] == _GIVEN_CLIENT), None)
    return (given, archive().clients.get(given)) if given else None


def _page(total: int, items: list[dict], current: dict | None, form: FactForm | None = None, status: int = 200):
    if current is not None:
        # The page shows the document's own pages and facts: that is a view, recorded once.
        archive().document(current["id"], current_actor())
        mark_seen(current["id"])
    client = archive().clients.get(current["client_id"]) if current and current.get("client_id") else None
    return render_template(
        "review.html",
        total=total,
        items=items,
        current=current,
        types=config().extraction.types,
        form=form or (FactForm.of(current) if current else None),
        candidates=candidates(current) if current else [],
        given=given_client(current) if current else None,
        facts=[
            f
            for f in current["evidence"]
            if not f["name"].startswith(_CANDIDATE_PREFIX) and f["name"] not in (_GIVEN_CLIENT, "bsn", "language")
        ]
        if current
        else [],
        client_name=client.name if client else "",
    ), status


@bp.get("/review")
def queue():
    """Show the oldest document to review with its suspected values, and the ones after it."""
    total, items = archive().review_queue(current_actor(), limit=_QUEUE_SHOWN)
    chosen = request.args.get("document", type=int)
    current = next((i for i in items if i["id"] == chosen), items[0] if items else None)
    return _page(total, items, current)


@bp.route("/review/<int:document_id>", methods=["GET", "POST"])
def fix(document_id: int):
    """Save the corrected facts and confirm the document; then on to the next one.

    A field that cannot be read keeps what was typed and says what to fix beside it; that
    page stands at this address, which opened again shows the queue at this document.
    """
    if request.method == "GET":
        return redirect(url_for("review.queue", document=document_id))
    actor = current_actor()
    view = archive().document(document_id, actor, audit=False)
    if not view.needs_review:
        if _already_so(request.form, view):  # the same form sent twice (a double press, a resend)
            flash(gettext("Confirmed #{id}: no longer in the review queue.", id=document_id))
            return redirect(url_for("review.queue"))
        # A form kept open in another tab (or a colleague's screen) after the document was
        # confirmed: applying it would overwrite that confirmed correction without a word.
        flash(
            gettext(
                "Document #{id} was confirmed meanwhile; what you typed was not saved."
                " Open the document to change its facts.",
                id=document_id,
            )
        )
        return redirect(url_for("review.queue"))
    form = FactForm.posted(request.form, view)
    if form.ok:
        try:
            archive().update_facts(
                document_id,
                form.changes,
                actor,
                confirm=True,
                **form.said,
            )
        except InvalidInput as exc:
            form.failed(exc)
    if not form.ok:
        total, items = archive().review_queue(actor, limit=_QUEUE_SHOWN)
        current = next((item for item in items if item["id"] == document_id), None)
        if current is None:  # confirmed meanwhile by someone else
            flash(gettext("Document #{id} was already dealt with.", id=document_id))
            return redirect(url_for("review.queue"))
        return _page(total, items, current, form, 400)
    flash(gettext("Confirmed #{id}: no longer in the review queue.", id=document_id))
    return redirect(url_for("review.queue"))


def _already_so(form, view) -> bool:
    """Whether what the form says is already what the document holds (nothing would change)."""
    posted = FactForm.posted(form, view)
    return posted.ok and not posted.changes
