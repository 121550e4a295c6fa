"""A document's tags, notes and title, set from its page; errors are said beside the form."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from archive.errors import Conflict, InvalidInput, PermissionDenied
from web.access import current_actor
from web.context import archive
from web.i18n import sentence
from web.templating import gettext

bp = Blueprint("desk", __name__, url_prefix="/documents")


def _back(document_id: int, anchor: str):
    return redirect(url_for("documents.show", document_id=document_id) + anchor)


@bp.post("/<int:document_id>/tags")
def add_tag(document_id: int):
    """Add a tag (several, separated by commas) to a document."""
    words = [word for word in request.form.get("tag", "").split(",") if word.strip()] or [""]
    try:
        for word in words:
            archive().tags.add(document_id, word, current_actor())
    except (InvalidInput, Conflict) as exc:
        flash(sentence(exc), "error")
    return _back(document_id, "#tags")


@bp.post("/<int:document_id>/tags/remove")
def remove_tag(document_id: int):
    """Take one tag off a document."""
    archive().tags.remove(document_id, request.form.get("tag", ""), current_actor())
    flash(gettext("Tag {tag} removed.", tag=request.form.get("tag", "")))
    return _back(document_id, "#tags")


@bp.post("/<int:document_id>/notes")
def add_note(document_id: int):
    """Write a note on a document."""
    try:
        archive().notes.add(document_id, request.form.get("text", ""), current_actor())
    except (InvalidInput, Conflict) as exc:
        flash(sentence(exc), "error")
    return _back(document_id, "#notes")


@bp.post("/<int:document_id>/notes/<int:note_id>")
def edit_note(document_id: int, note_id: int):
    """Change a note its writer wrote."""
    try:
        archive().notes.edit(note_id, request.form.get("text", ""), current_actor())
    except (InvalidInput, Conflict, PermissionDenied) as exc:
        flash(sentence(exc), "error")
    return _back(document_id, "#notes")


@bp.post("/<int:document_id>/title")
def set_title(document_id: int):
    """Set a document's title by hand; an empty title follows the facts again."""
    try:
        archive().update_facts(document_id, {"title": request.form.get("title", "")}, current_actor())
    except (InvalidInput, Conflict) as exc:
        flash(sentence(exc), "error")
    return _back(document_id, "")


@bp.post("/<int:document_id>/custom")
def set_custom(document_id: int):
    """Set the document's custom field values (each change audited)."""
    names = archive().custom_fields.fields_for(
        archive().document(document_id, current_actor(), audit=False).document_type
    )
    changes = {name: request.form.get(f"custom.{name}", "") for name in names if f"custom.{name}" in request.form}
    try:
        archive().custom_fields.update(document_id, changes, current_actor())
    except (InvalidInput, Conflict) as exc:
        flash(sentence(exc), "error")
    return _back(document_id, "#custom")
