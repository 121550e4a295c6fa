"""Uploading: files chosen together, with the facts typed for them, each filed like an inbox file.

The facts a clerk types (client, type, date) belong to the files sent with them and
to no other: the page shows them beside each file before it is sent and clears them
once the files are sent. They are hints, not orders: a client the document
contradicts is decided by the archive (``archive.documents.filing``), which files the
document under the client it names and puts it in the review queue, saying why.
Each result says what it was filed as: client, type, date, and a link.
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from flask import Blueprint, jsonify, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from archive.documents.filing import FilingHints
from archive.errors import ArchiveError, InvalidInput
from archive.typed import read_optional_date
from web import labels
from web.access import current_actor
from web.context import archive, config
from web.headers import safe_filename
from web.i18n import format_date, sentence
from web.templating import current_language, gettext, type_label

bp = Blueprint("upload", __name__)


class HintsRefused(InvalidInput):
    """One or more of the facts typed for the files cannot be used; ``fields`` says which and why."""

    def __init__(self, code: str, template: str, fields: dict[str, InvalidInput]) -> None:
        super().__init__(code, template)
        self.fields = fields


def hints_from(form) -> FilingHints:
    """Return the facts the uploader gave for the files of this request; raise HintsRefused per field."""
    typed = {name: form.get(name, "").strip() or None for name in ("client_id", "document_type", "document_date")}
    problems: dict[str, InvalidInput] = {}
    day = None
    try:
        day = read_optional_date(typed["document_date"])
    except InvalidInput as exc:
        problems["document_date"] = exc
    for name in ("client_id", "document_type"):
        try:
            archive().check_hints(FilingHints(**{name: typed[name]}))
        except InvalidInput as exc:
            problems[name] = exc
    if problems:
        raise HintsRefused("upload.facts_refused", "Some of the facts typed cannot be used; see beside them.", problems)
    return FilingHints(client_id=typed["client_id"], document_type=typed["document_type"], document_date=day)


def file_upload(storage: FileStorage, hints: FilingHints, channel: str = "upload") -> list[dict]:
    """Save one uploaded file privately under its sanitised name, hand it over for filing, return the outcomes' JSON.

    It is filed in the background, never read inside the request: an outcome is
    "received" (with the document's id) until it is filed. A scanned stack gives one
    outcome per part, an e-mail one per attachment, once filed."""
    name = safe_filename(storage.filename or "", fallback="upload")
    # A private folder per upload: the client's name never decides where bytes land.
    uploads = config().home / "tmp" / "uploads"
    uploads.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = uploads / secrets.token_hex(8)
    folder.mkdir(mode=0o700)
    try:
        target = folder / name
        storage.save(target)
        filed = archive().hand_over(Path(target), name, current_actor(), hints, channel)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    outcomes = []
    for outcome in filed:
        shown = outcome.to_json()
        # The server's private folder never shows; a part or an attachment keeps its own name after it.
        shown["source"] = name + shown["source"].split(name, 1)[-1] if name in shown["source"] else name
        if shown.get("stack_pages"):  # a stack's part: its pages in the clerk's language
            shown["source"] = f"{name} · {stack_pages_label(shown['stack_pages'])}"
        # A failure is worded for the person reading the page.
        outcomes.append({**shown, "reason_shown": sentence(outcome.failure) if outcome.failure else shown.get("error")})
    return outcomes


def stack_pages_label(pages: list[int]) -> str:
    """Return which pages of its stack a part is, as the document page says it."""
    first, last = pages
    if first == last:
        return gettext("page {first} of the stack", first=first)
    return gettext("pages {first}–{last} of the stack", first=first, last=last)


def shown(outcome: dict) -> dict:
    """Return an outcome with what the page says about it: a sentence, the facts in words, a link."""
    document_id = outcome.get("id") or outcome.get("duplicate_of")
    client = archive().clients.get(outcome["client_id"]) if outcome.get("client_id") else None
    return {
        **outcome,
        "message": describe(outcome),
        "url": url_for("documents.show", document_id=document_id) if document_id else None,
        "client_name": client.name if client else None,
        "type_label": type_label(outcome.get("document_type")),
        "date_shown": format_date(outcome.get("document_date"), current_language()),
        "reasons_shown": [labels.label(labels.REVIEW_REASONS, r) for r in outcome.get("review_reasons") or []],
    }


def describe(outcome: dict) -> str:
    """Return the one line the clerk sees for an upload's outcome."""
    status = outcome["status"]
    if status == "filed" and outcome.get("needs_review"):
        return gettext("filed as #{id}, and waiting in the review queue", id=outcome["id"])
    if status == "filed":
        return gettext("filed as #{id}", id=outcome["id"])
    if status == "duplicate":
        return gettext("already in the archive as #{id}; not filed twice", id=outcome["duplicate_of"])
    if status in ("received", "queued") and outcome.get("id"):
        return gettext("received as #{id}; it is being read", id=outcome["id"])
    if status == "received":  # handed over, not yet kept: the status page follows it
        return gettext("received; it is waiting to be read and filed")
    return gettext("not filed: {reason}", reason=outcome.get("reason_shown") or outcome.get("error") or "")


def ingest_request_files(form, files, channel: str = "upload") -> list[dict]:
    """File every uploaded file of a request; raise InvalidInput when there are none."""
    hints = hints_from(form)
    uploads = [f for f in files.getlist("files") + files.getlist("file") if f and f.filename]
    if not uploads:
        raise InvalidInput("upload.no_file", "Choose at least one file.")
    return [outcome for storage in uploads for outcome in file_upload(storage, hints, channel)]


def _page(
    outcomes: list[dict] | None = None,
    error: str | None = None,
    fields: dict | None = None,
    typed=None,
    status: int = 200,
):
    return render_template(
        "upload.html",
        types=config().extraction.types,
        outcomes=outcomes,
        error=error,
        fields=fields or {},
        typed=typed or {},
        max_mb=config().web.max_upload_mb,
    ), status


@bp.get("/upload")
def form():
    """Show the upload form (files dragged or chosen, the facts for them, progress while they are read)."""
    return _page()


@bp.post("/upload")
def receive():
    """File the uploaded files with the facts sent with them; JSON for the page's script, else a page."""
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        outcomes = [shown(o) for o in ingest_request_files(request.form, request.files)]
    except ArchiveError as exc:
        fields = {k: sentence(v) for k, v in exc.fields.items()} if isinstance(exc, HintsRefused) else {}
        if wants_json:
            return jsonify({"error": sentence(exc), "fields": fields}), 400
        return _page(error=sentence(exc), fields=fields, typed=request.form, status=400)
    if wants_json:
        return jsonify({"outcomes": outcomes})
    return _page(outcomes)


@bp.get("/upload/status/<int:document_id>")
def status(document_id: int):
    """Where an uploaded document is now: still being read, or filed (with its facts)."""
    view = archive().document(document_id, current_actor(), audit=False)
    if view.state != "filed":
        return jsonify(
            {"id": document_id, "status": "received", "message": describe({"status": "received", "id": document_id})}
        )
    outcome = {
        "source": view.original_filename,
        "status": "filed",
        "id": view.id,
        "duplicate_of": None,
        "client_id": view.client_id,
        "document_type": view.document_type,
        "document_date": view.document_date,
        "needs_review": view.needs_review,
        "review_reasons": view.review_reasons,
    }
    return jsonify(shown(outcome))
