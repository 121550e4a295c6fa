"""One document: preview, facts with confidence, retention and holds, history, downloads, edits."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from archive.access.permissions import Permission, allows, mask_bsn
from web.access import current_actor
from web.context import archive, config
from web.headers import send_stored
from web.i18n import sentence
from web.templating import gettext

bp = Blueprint("documents", __name__, url_prefix="/documents")

EDITABLE = ("client_id", "document_type", "document_date", "amount", "currency", "iban", "reference")


def load_view(document_id: int, from_search: bool = False):
    """Return the document's view for the current person, recording the view once."""
    return archive().document(document_id, current_actor(), from_search=from_search)


def form_changes(form, view) -> dict[str, str | None]:
    """Return the facts a form changes (only fields present and different)."""
    changes: dict[str, str | None] = {}
    for name in EDITABLE:
        if name in form:
            value = form.get(name, "").strip() or None
            if value != (getattr(view, name) or None):
                changes[name] = value
    return changes


@bp.get("/<int:document_id>")
def show(document_id: int):
    """Show everything the person may see of one document."""
    view = load_view(document_id, from_search=request.args.get("from") == "search")
    return render_page(view, bsn_shown=None)


def render_page(view, bsn_shown: str | None, status: int = 200, error: str | None = None):
    actor = current_actor()
    client = archive().clients.get(view.client_id) if view.client_id else None
    return render_template(
        "document.html", doc=view, client=client, bsn=bsn_shown or mask_bsn(view.bsn),
        bsn_revealable=bool(view.bsn) and allows(actor, Permission.SEE_BSN) and not bsn_shown,
        evidence={e["name"]: e for e in view.evidence}, types=config().extraction.types,
        can_edit=allows(actor, Permission.EDIT_FACTS) and view.state == "filed", error=error,
        history=list(reversed(view.history))[:200],
        tag_suggestions=archive().tags.suggestions(limit=50) if allows(actor, Permission.TAG) else [],
        custom_fields=archive().custom_fields.fields_for(view.document_type),
    ), status


@bp.post("/<int:document_id>/reveal-bsn")
def reveal_bsn(document_id: int):
    """Show the unmasked BSN to someone allowed to see it; audited."""
    actor = current_actor()
    view = archive().document(document_id, actor, audit=False)
    if not view.bsn:
        abort(404)
    return render_page(view, bsn_shown=archive().reveal_bsn(document_id, actor))


@bp.post("/<int:document_id>/facts")
def edit(document_id: int):
    """Change a document's facts (each change audited); confirming clears the review."""
    actor = current_actor()
    view = archive().document(document_id, actor, audit=False)
    changes = form_changes(request.form, view)
    confirm = request.form.get("confirm") == "1"
    from archive.errors import InvalidInput

    try:
        archive().update_facts(document_id, changes, actor, confirm=confirm)
    except InvalidInput as exc:
        return render_page(view, None, 400, error=sentence(exc))
    flash(gettext("Confirmed: no longer in the review queue.") if confirm and not changes
          else gettext("The facts were saved."))
    target = request.form.get("next")
    if target == "review":
        return redirect(url_for("review.queue"))
    return redirect(url_for("documents.show", document_id=document_id))


@bp.get("/<int:document_id>/original")
def original(document_id: int):
    """Download the stored original's exact bytes."""
    actor = current_actor()
    path = archive().original_path(document_id, actor)
    view = archive().document(document_id, actor, audit=False)
    return send_stored(path, view.original_filename, view.mime_type)


@bp.get("/<int:document_id>/pdf")
def pdf(document_id: int):
    """Download (or, with ?inline=1, show) the searchable PDF."""
    actor = current_actor()
    view = archive().document(document_id, actor, audit=False)
    path = archive().rendition_path(document_id, actor)
    is_pdf = view.has_rendition or view.mime_type == "application/pdf"
    stem = view.original_filename.rsplit(".", 1)[0] if "." in view.original_filename else view.original_filename
    name = f"{stem}.pdf" if is_pdf else view.original_filename
    return send_stored(path, name, "application/pdf" if is_pdf else view.mime_type,
                       inline=request.args.get("inline") == "1")


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
