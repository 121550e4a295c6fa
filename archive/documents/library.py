"""Finding and opening documents: views, files to download, thumbnails, the review queue.

Every view, download, search and BSN reveal by a person is an audit entry written
here, so the web app and the command line never write the trail themselves.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from archive.access.actors import Actor
from archive.access.permissions import Permission, allows, mask_bsn, require
from archive.core import Core
from archive.documents.index import DocumentIndex
from archive.documents.provenance import stack_pages_of
from archive.documents.reader import DocumentReader
from archive.documents.views import DocumentView, provenance_fields
from archive.errors import IntegrityFailure, InvalidInput, NotFound, SearchUnavailable
from archive.records.disposition import tombstone
from archive.records.legal_holds import LegalHolds
from ingest.einvoice import vat_breakdown_rows
from ingest.thumbnail import THUMBNAIL_KIND
from ingest.values import mask_bsns
from search import SearchRequest, SearchResults
from search.errors import QuerySyntaxError, SearchError
from storage import desk_repo, intake_repo, review_repo
from storage import documents_repo as repo

log = logging.getLogger(__name__)

# What everyone who may see a document may see of its history: how it was kept, filed,
# corrected, held and destroyed. Who read it, when and from where (views, downloads,
# searches, reveals, exports) is for those who watch over access (Permission.SEE_ACCESS).
RECORD_ACTIONS = frozenset(
    {
        "receive",
        "file",
        "duplicate",
        "ingest_failed",
        "inbox_retry",
        "change",
        "review_confirmed",
        "hold_add",
        "hold_remove",
        "retention_event",
        "retention_recomputed",
        "dispose_approve",
        "dispose",
        "stack_received",
        "stack_split",
        "mail_filed",
        "mail_failed",
        "tag_add",
        "tag_remove",
        "title_change",
        "note_add",
        "note_edit",
        "derivative_rebuilt",
        "derivative_lost",
    }
)


class DocumentLibrary:
    """What staff, clerks and auditors read of one archive, checked and audited."""

    def __init__(self, core: Core, reader: DocumentReader, holds: LegalHolds, index: DocumentIndex) -> None:
        self._core = core
        self._reader = reader
        self._holds = holds
        self._index = index

    # -- one document -----------------------------------------------------------

    def document(self, document_id: int, actor: Actor, audit: bool = True, from_search: bool = False) -> DocumentView:
        """Return everything the actor may see of one document; raise NotFound.

        ``from_search`` marks a view opened from search results (the analysis counts them).
        """
        require(actor, Permission.VIEW)
        row = self._row(document_id)
        if audit:
            details = {"from_search": True} if from_search else None
            self._core.audit.record(actor, "view", document_id, client_id=row["client_id"], details=details)
        return self._view(row, actor)

    def reveal_bsn(self, document_id: int, actor: Actor) -> str | None:
        """Return a document's BSN in full to someone allowed to see it; audited."""
        return self.revealed(document_id, actor).bsn

    def revealed(self, document_id: int, actor: Actor) -> DocumentView:
        """Return the document with its BSNs in clear (fact, text, evidence) to someone allowed; audited.

        Everywhere else a BSN is masked, for every role: seeing one is always this one
        deliberate, recorded act.
        """
        require(actor, Permission.SEE_BSN)
        row = self._row(document_id)
        self._core.audit.record(actor, "reveal_bsn", document_id, client_id=row["client_id"])
        return self._view(row, actor, reveal=True)

    def _row(self, document_id: int):
        row = repo.get_document(self._core.db.read(), document_id)
        if row is None:
            raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
        return row

    def _view(self, row, actor: Actor, reveal: bool = False) -> DocumentView:
        conn = self._core.db.read()
        shown = _clear if reveal else mask_bsns
        texts = [p["text"] for p in repo.get_pages(conn, row["id"])]
        pages = [shown(text) for text in texts]
        holds = self._holds.for_document(row["id"])
        bsn = row["bsn"] if reveal else mask_bsn(row["bsn"])
        facts = repo.get_facts(conn, row["id"])
        evidence = shown_evidence(facts, reveal)
        notes = desk_repo.notes_of(conn, row["id"])
        written = [
            *texts,
            row["title"] or "",
            *(n["text"] for n in notes),
            *(str(f["source_text"] or "") for f in facts),
        ]
        breakdown = next((f["value"] for f in evidence if f["name"] == "vat_breakdown"), None)
        return DocumentView(
            id=row["id"],
            state=row["state"],
            sha256=row["sha256"],
            title=shown(row["title"] or "") or None,
            original_filename=row["original_filename"],
            mime_type=row["mime_type"],
            created_at=row["created_at"],
            filed_at=row["filed_at"],
            pages=row["pages"],
            ocr=None if row["ocr"] is None else bool(row["ocr"]),
            ocr_confidence=row["ocr_confidence"],
            document_type=row["document_type"],
            client_id=row["client_id"],
            document_date=row["document_date"],
            amount=row["amount"],
            currency=row["currency"],
            iban=row["iban"],
            reference=row["reference"],
            language=row["language"],
            bsn=bsn,
            has_bsn=bool(row["bsn"]) or any(mask_bsns(text) != text for text in written),
            needs_review=bool(row["needs_review"]),
            review_reasons=json.loads(row["review_reasons"]),
            retention_until=row["retention_until"],
            retention_rule=row["retention_rule"],
            legal_hold=any(h.get("active", True) for h in holds),
            holds=holds,
            has_rendition=bool(row["has_rendition"]),
            channel=row["channel"],
            size=row["size"],
            text="\n\f".join(pages),
            page_texts=pages,
            evidence=evidence,
            vat_rates=vat_breakdown_rows(breakdown) if breakdown else [],
            history=self._history(row["id"], actor),
            duplicates=[dict(d) for d in repo.get_duplicates(conn, row["id"])],
            tombstone=tombstone(self._core, row["id"]) if row["state"] == "disposed" else None,
            **{k: v for k, v in provenance_fields(row).items() if k != "channel"},
            title_set_by=row["title_set_by"],
            tags=desk_repo.tags_of(conn, row["id"]),
            notes=[{**dict(note), "text": shown(note["text"])} for note in notes],
            custom=desk_repo.custom_values_of(conn, row["id"]),
            **_came_with(conn, row),
        )

    def _history(self, document_id: int, actor: Actor) -> list[dict]:
        entries = self._core.audit.for_document(document_id)
        if allows(actor, Permission.SEE_ACCESS):
            return entries
        return [
            {k: v for k, v in entry.items() if k != "address"} for entry in entries if entry["action"] in RECORD_ACTIONS
        ]

    # -- files --------------------------------------------------------------------

    def original_path(self, document_id: int, actor: Actor) -> Path:
        """Return the stored original's path for download; audited."""
        return self._file_for_download(document_id, actor, "original")

    def rendition_path(self, document_id: int, actor: Actor) -> Path:
        """Return the searchable PDF (or the original when it is a text PDF); audited."""
        return self._file_for_download(document_id, actor, "pdf")

    def preview_path(self, document_id: int, actor: Actor, seen: bool = False) -> Path:
        """Return the searchable PDF to show inside a page: a ``view``, never a ``download``.

        ``seen``: the page around it recorded this view already (one look, one entry).
        """
        return self._file_for_download(document_id, actor, "pdf", preview=True, seen=seen)

    def _file_for_download(
        self, document_id: int, actor: Actor, rendition: str, preview: bool = False, seen: bool = False
    ) -> Path:
        require(actor, Permission.VIEW if preview else Permission.DOWNLOAD)
        store = self._core.store
        row = repo.get_document(self._core.db.read(), document_id)
        if row is None or row["state"] == "disposed":
            raise NotFound(
                "document.nothing_to_download",
                "There is no document {document_id} to download.",
                document_id=document_id,
            )
        path = store.path_for(row["sha256"])
        if rendition == "pdf" and row["has_rendition"]:
            path = store.derivative_path(row["sha256"], "pdf")
            if not path.exists():
                # Derivatives are rebuilt on demand from the original.
                self._reader.rebuild_derivatives(row["sha256"])
        if not path.exists():
            raise IntegrityFailure(
                "document.file_missing",
                "The file of document {id} is missing from the store; "
                "tell the administrator (`archive verify` lists every missing file).",
                id=document_id,
            )
        if preview and not seen:
            self._core.audit.record(
                actor, "view", document_id, client_id=row["client_id"], details={"preview": rendition}
            )
        elif not preview:
            self._core.audit.record(
                actor, "download", document_id, client_id=row["client_id"], details={"rendition": rendition}
            )
        return path

    def page_image(self, document_id: int, page: int, actor: Actor, seen: bool = False) -> bytes | None:
        """Return a JPEG of page ``page`` (1-based) of the document's PDF, None when it cannot be drawn.

        A view like the preview (``seen``: the page around it recorded it already). Raises
        NotFound for a page the document does not have or a document shown only as an image.
        """
        require(actor, Permission.VIEW)
        row = repo.get_document(self._core.db.read(), document_id)
        if row is not None and row["state"] != "disposed":  # else the preview says there is nothing
            is_pdf = row["has_rendition"] or row["mime_type"] == "application/pdf"
            if not is_pdf or not 1 <= page <= (row["pages"] or 1):
                raise NotFound(
                    "document.no_such_page",
                    "Document {document_id} has no page {page}.",
                    document_id=document_id,
                    page=page,
                )
        pdf = self.preview_path(document_id, actor, seen=seen)
        return self._reader.page_image(document_id, pdf, page - 1)

    def thumbnail_path(self, document_id: int, actor: Actor) -> Path | None:
        """Return the first-page thumbnail, rebuilding it when missing; audited (it shows the page)."""
        require(actor, Permission.VIEW)
        row = repo.get_document(self._core.db.read(), document_id)
        if row is None or row["state"] == "disposed":
            raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
        self._core.audit.record(actor, "thumbnail", document_id, client_id=row["client_id"])
        for kind in (THUMBNAIL_KIND, "thumb.png"):  # PNG: made by earlier versions
            path = self._core.store.derivative_path(row["sha256"], kind)
            # Empty: torn by a power cut (thumbnails are not flushed to disk when made); drawn again.
            if _has_bytes(path):
                return path
        return self._reader.rebuild_thumbnail(row["id"], row["sha256"], row["mime_type"])

    # -- searching and the review queue ---------------------------------------------

    def search(self, request: SearchRequest, actor: Actor) -> SearchResults:
        """Search the documents the actor may see; the query is audited."""
        require(actor, Permission.SEARCH)
        try:
            results = self._index.search(request)
        except QuerySyntaxError as exc:
            raise InvalidInput.wrapping(exc) from exc
        except SearchError as exc:
            log.error("Search failed for a query of %d characters: %s", len(request.query), exc)
            raise SearchUnavailable(
                "search.unavailable",
                "Searching is not possible right now; try again in a moment, or ask the "
                "administrator to run `archive reindex`.",
            ) from exc
        self._core.audit.record(actor, "search", details={"query": request.query, "total": results.total})
        return results

    def review_queue(self, actor: Actor, limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
        """Return how many documents need review and the oldest ``limit`` of them."""
        require(actor, Permission.REVIEW)
        conn = self._core.db.read()
        rows = review_repo.waiting(conn, limit, offset)
        items = [
            {
                **dict(row),
                "review_reasons": json.loads(row["review_reasons"]),
                "evidence": shown_evidence(repo.get_facts(conn, row["id"]), reveal=False),
            }
            for row in rows
        ]
        for item in items:
            item["bsn"] = mask_bsn(item["bsn"])
        return review_repo.count_waiting(conn), items

    def count_documents(self) -> int:
        """Return how many documents are filed."""
        return repo.count_in_state(self._core.db.read(), "filed")


def _came_with(conn, row) -> dict[str, Any]:
    """The stack's name and the documents that came with this one (its stack's other parts, its message's)."""
    if row["stack_id"] is not None:
        stack = intake_repo.get_stack(conn, row["stack_id"])
        others = intake_repo.stack_parts(conn, row["stack_id"])
        name = stack["original_filename"] if stack is not None else None
    elif row["mail_message_id"] is not None:
        others, name = intake_repo.message_documents(conn, row["mail_message_id"]), None
    else:
        return {}
    related = [
        {
            "id": other["id"],
            "title": other["title"],
            "original_filename": other["original_filename"],
            "stack_pages": stack_pages_of(other),
            "state": other["state"],
        }
        for other in others
        if other["id"] != row["id"]
    ]
    return {"stack_name": name, "related": related}


def shown_evidence(rows, reveal: bool) -> list[dict]:
    """Return fact evidence as shown: every BSN in a value or a line masked unless revealed."""
    shown = _clear if reveal else mask_bsns
    facts = []
    for row in rows:
        fact = dict(row)
        if fact.get("value") is not None and fact["name"] == "bsn":
            fact["value"] = fact["value"] if reveal else mask_bsn(fact["value"])
        fact["source_text"] = shown(fact.get("source_text") or "")
        facts.append(fact)
    return facts


def _clear(text: str) -> str:
    return text


def _has_bytes(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False
