"""One document: preview, facts with confidence, retention and holds, history, downloads, edits."""

from __future__ import annotations

import time

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for

from archive.access.permissions import Permission, allows
from archive.errors import InvalidInput
from web.access import current_actor
from web.context import archive, config
from web.facts import FactForm
from web.headers import send_stored
from web.templating import gettext

bp = Blueprint("documents", __name__, url_prefix="/documents")

# A page that shows a document recorded the view; its preview, loaded by the browser a
# moment later, is the same look and writes no second entry.
_SEEN_KEY = "seen"
_SEEN_SECONDS = 600
_SEEN_KEPT = 20


def mark_seen(document_id: int) -> None:
    """Remember that this session's page view of a document was recorded (for its preview)."""
    now = time.time()
    seen = {k: v for k, v in session.get(_SEEN_KEY, {}).items() if now - v < _SEEN_SECONDS}
    seen[str(document_id)] = now
    session[_SEEN_KEY] = dict(sorted(seen.items(), key=lambda item: item[1])[-_SEEN_KEPT:])


def _was_seen(document_id: int) -> bool:
    at = session.get(_SEEN_KEY, {}).get(str(document_id))
    return at is not None and time.time() - at < _SEEN_SECONDS


def load_view(document_id: int, from_search: bool = False):
    """Return the document's view for the current person, recording the view once."""
    view = archive().document(document_id, current_actor(), from_search=from_search)
    mark_seen(document_id)
    return view


@bp.get("/<int:document_id>")
def show(document_id: int):
    """Show everything the person may see of one document."""
    view = load_view(document_id, from_search=request.args.get("from") == "search")
    return render_page(view)


def render_page(view, revealed: bool = False, status: int = 200, form: FactForm | None = None):
    actor = current_actor()
    client = archive().clients.get(view.client_id) if view.client_id else None
    stone = view.tombstone or {}
    return render_template(
        "document.html",
        doc=view,
        client=client,
        revealed=revealed,
        # Only a document with a BSN in it offers to show it: the button on every page read as
        # "this one has a BSN" and made clerks reveal (and audit) for nothing.
        bsn_revealable=allows(actor, Permission.SEE_BSN) and not revealed and view.state == "filed" and view.has_bsn,
        evidence={e["name"]: e for e in view.evidence},
        types=config().extraction.types,
        can_edit=allows(actor, Permission.EDIT_FACTS) and view.state == "filed",
        form=form or FactForm.of(view),
        history=list(reversed(view.history))[:200],
        certificate=stone.get("certificate"),
        can_see_certificates=allows(actor, Permission.DISPOSE_PROPOSE),
        tag_suggestions=archive().tags.suggestions(limit=50) if allows(actor, Permission.TAG) else [],
        custom_fields=archive().custom_fields.fields_for(view.document_type),
    ), status


@bp.post("/<int:document_id>/reveal-bsn")
def reveal_bsn(document_id: int):
    """Show the document with its BSNs in clear to someone allowed to see them; audited."""
    view = archive().revealed(document_id, current_actor())
    mark_seen(document_id)
    return render_page(view, revealed=True)


@bp.route("/<int:document_id>/facts", methods=["GET", "POST"])
def edit(document_id: int):
    """Change a document's facts (each change audited); confirming clears the review.

    A refused form is shown at this address; opened again from the address bar it leads
    back to the document, not to "not found" (which reads as a document gone).
    """
    if request.method == "GET":
        return redirect(url_for("documents.show", document_id=document_id))
    actor = current_actor()
    view = archive().document(document_id, actor, audit=False)
    form = FactForm.posted(request.form, view)
    confirm = request.form.get("confirm") == "1"
    if not form.ok:
        return render_page(view, status=400, form=form)
    try:
        archive().update_facts(
            document_id,
            form.changes,
            actor,
            confirm=confirm,
            **form.said,
        )
    except InvalidInput as exc:
        return render_page(view, status=400, form=form.failed(exc))
    if confirm and not form.changes:
        flash(gettext("Confirmed: no longer in the review queue."))
    elif confirm:  # "saved" alone left the clerk wondering whether it had left the queue
        flash(gettext("The facts were saved and confirmed: no longer in the review queue."))
    else:
        flash(gettext("The facts were saved."))
    if request.form.get("next") == "review":
        return redirect(url_for("review.queue"))
    return redirect(url_for("documents.show", document_id=document_id))


@bp.get("/<int:document_id>/original")
def original(document_id: int):
    """Download the stored original's exact bytes."""
    actor = current_actor()
    path = archive().original_path(document_id, actor)
    view = archive().document(document_id, actor, audit=False)
    return send_stored(path, view.original_filename, view.mime_type)


def _pdf_name(view) -> tuple[str, str | None]:
    is_pdf = view.has_rendition or view.mime_type == "application/pdf"
    stem = view.original_filename.rsplit(".", 1)[0] if "." in view.original_filename else view.original_filename
    return (f"{stem}.pdf", "application/pdf") if is_pdf else (view.original_filename, view.mime_type)


@bp.get("/<int:document_id>/pdf")
def pdf(document_id: int):
    """Download the searchable PDF (?inline=1 is the in-page preview: a view, not a download)."""
    if request.args.get("inline") == "1":
        return preview(document_id)
    actor = current_actor()
    view = archive().document(document_id, actor, audit=False)
    path = archive().rendition_path(document_id, actor)
    name, mime_type = _pdf_name(view)
    return send_stored(path, name, mime_type)


@bp.get("/<int:document_id>/preview")
def preview(document_id: int):
    """The searchable PDF shown inside the document and review pages: audited as a view."""
    actor = current_actor()
    view = archive().document(document_id, actor, audit=False)
    path = archive().preview_path(document_id, actor, seen=_was_seen(document_id))
    name, mime_type = _pdf_name(view)
    return send_stored(path, name, mime_type, inline=True)


@bp.get("/<int:document_id>/thumbnail")
def thumbnail(document_id: int):
    """Return the first-page thumbnail (audited, as every look at a document is)."""
    path = archive().thumbnail_path(document_id, current_actor())
    if path is None:
        return redirect(url_for("static", filename="no-thumbnail.svg"))
    jpeg = path.suffix == ".jpg"  # archives filed by earlier versions keep PNG thumbnails
    response = send_stored(path, f"{document_id}{path.suffix}", "image/jpeg" if jpeg else "image/png", inline=True)
    response.frameable = False  # type: ignore[attr-defined]
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/<int:document_id>/pages/<int:page>")
def page_image(document_id: int, page: int):
    """A picture of one page (1-based), for browsers that show no PDF: a view, recorded once with its page."""
    picture = archive().page_image(document_id, page, current_actor(), seen=_was_seen(document_id))
    if picture is None:
        return redirect(url_for("static", filename="no-thumbnail.svg"))
    response = Response(picture, mimetype="image/jpeg")
    response.headers["Content-Disposition"] = f'inline; filename="{document_id}-{page}.jpg"'
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def abort_unless_filed(view) -> None:
    """404 for a destroyed document where only a filed one makes sense."""
    if view.state != "filed":
        abort(404)
