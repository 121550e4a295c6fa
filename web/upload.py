"""Uploading: several files at once, each filed through the same flow as the inbox."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from flask import Blueprint, jsonify, render_template, request
from werkzeug.datastructures import FileStorage

from archive.errors import InvalidInput
from archive.documents.filing import FilingHints
from archive.documents.views import IngestOutcome
from archive.typed import read_optional_date
from web.access import current_actor
from web.context import archive, config
from web.headers import safe_filename
from web.i18n import sentence
from web.templating import gettext

bp = Blueprint("upload", __name__)


def hints_from(form) -> FilingHints:
    """Return the facts the uploader gave for all files; raise InvalidInput on a bad date."""
    return FilingHints(client_id=form.get("client_id", "").strip() or None,
                       document_type=form.get("document_type", "").strip() or None,
                       document_date=read_optional_date(form.get("document_date")))


def file_upload(storage: FileStorage, hints: FilingHints, channel: str = "upload") -> list[dict]:
    """Save one uploaded file privately under its sanitised name, file it, return the outcomes' JSON.

    A scanned stack gives one outcome per part, an e-mail one per attachment."""
    name = safe_filename(storage.filename or "", fallback="upload")
    # A private folder per upload: the client's name never decides where bytes land.
    uploads = config().home / "tmp" / "uploads"
    uploads.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = uploads / secrets.token_hex(8)
    folder.mkdir(mode=0o700)
    try:
        target = folder / name
        storage.save(target)
        filed = archive().ingest_all(Path(target), current_actor(), hints, channel=channel)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    outcomes = []
    for outcome in filed:
        shown = outcome.to_json()
        # The server's private folder never shows; a part or an attachment keeps its own name after it.
        shown["source"] = name + shown["source"].split(name, 1)[-1] if name in shown["source"] else name
        if shown.get("stack_pages"):  # a stack's part: its pages in the clerk's language
            shown["source"] = f"{name} · {stack_pages_label(shown['stack_pages'])}"
        outcomes.append({**shown, "message": describe(outcome)})
    return outcomes


def stack_pages_label(pages: list[int]) -> str:
    """Return which pages of its stack a part is, as the document page says it."""
    first, last = pages
    if first == last:
        return gettext("page {first} of the stack", first=first)
    return gettext("pages {first}–{last} of the stack", first=first, last=last)


def describe(outcome: IngestOutcome) -> str:
    """Return the one line the clerk sees for an upload's outcome, in the page's language."""
    if outcome.status == "filed":
        return gettext("filed as #{id}", id=outcome.id)
    if outcome.status == "duplicate":
        return gettext("duplicate of #{id}", id=outcome.duplicate_of)
    if outcome.status == "queued":
        return gettext("received as #{id}; it is being read", id=outcome.id)
    reason = sentence(outcome.failure) if outcome.failure else outcome.error or ""
    return gettext("failed: {reason}", reason=reason)


def ingest_request_files(form, files, channel: str = "upload") -> list[dict]:
    """File every uploaded file of a request; raise InvalidInput when there are none."""
    hints = hints_from(form)
    uploads = [f for f in files.getlist("files") + files.getlist("file") if f and f.filename]
    if not uploads:
        raise InvalidInput("upload.no_file", "Choose at least one file.")
    return [outcome for storage in uploads for outcome in file_upload(storage, hints, channel)]


@bp.get("/upload")
def form():
    """Show the upload form (drag-and-drop with progress when scripts run)."""
    return render_template("upload.html", types=config().extraction.types, outcomes=None,
                           max_mb=config().web.max_upload_mb)


@bp.post("/upload")
def receive():
    """File the uploaded files; JSON for the page's script, a results page otherwise."""
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        outcomes = ingest_request_files(request.form, request.files)
    except InvalidInput as exc:
        if wants_json:
            return jsonify({"error": sentence(exc)}), 400
        return render_template("upload.html", types=config().extraction.types, outcomes=None,
                               max_mb=config().web.max_upload_mb, error=sentence(exc)), 400
    if wants_json:
        return jsonify({"outcomes": outcomes})
    return render_template("upload.html", types=config().extraction.types, outcomes=outcomes,
                           max_mb=config().web.max_upload_mb)


