"""The Archive service: the one object that knows the whole flow.

It owns the database, the file store, the search index and the OCR runner of one
archive home, and offers what the CLI and the web app need: file, show, get,
search, verify, reindex. Every call names the acting user; roles are checked in
``archive.permissions`` and every view, download, search and change is audited.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from pathlib import Path

from archive.documents import fact_edits
from archive.records import fixity
from archive.access.actors import SYSTEM, Actor
from archive.audit.trail import AuditTrail
from archive.clients import ClientService
from archive.clock import Clock, SystemClock
from archive.config import Config
from archive.errors import ArchiveError, InvalidInput, NotFound, SearchUnavailable
from archive.documents.filing import Filer, FilingHints
from archive.documents.index_feeder import IndexFeeder
from archive.documents.indexing import indexed_document
from archive.documents.reading import BrokenProcessPool, Knowledge, ReadingPool, Understood, read_and_understand
from archive.access.permissions import Permission, allows, mask_bsn, require
from archive.records.service import RecordsService
from archive.access.users import UserService, create_first_admin
from archive.documents.views import DocumentView, IngestOutcome
from ingest.errors import IngestError
from ingest.reader import OcrRunner
from ingest.thumbnail import THUMBNAIL_KIND, make_thumbnail
from search import IndexDamaged, SearchIndex, SearchRequest, SearchResults, rebuild_index
from search.errors import QuerySyntaxError, SearchError
from storage import documents_repo as repo
from storage import review_repo
from storage.database import Database
from storage.filestore import FileStore

log = logging.getLogger(__name__)

__all__ = ["Archive", "FilingHints"]


class Archive:
    """One archive home, opened."""

    def __init__(self, config: Config, db: Database, store: FileStore, clock: Clock) -> None:
        self.config = config
        self.db = db
        self.store = store
        self.clock = clock
        self.audit = AuditTrail(db, clock)
        self.clients = ClientService(db, config.extraction, audit=self.audit, clock=clock)
        self.users = UserService(db, clock, config.web, self.audit)
        self._filer = Filer(self)
        self._ocr: OcrRunner | None = None
        self._ocr_lock = threading.Lock()
        self._reading_pool: ReadingPool | None = None
        self._index_lock = threading.Lock()
        self.index = self._open_index()
        self._feeder = IndexFeeder(self.reindex_documents)
        self.records = RecordsService(self)

    @classmethod
    def open(cls, config: Config, clock: Clock | None = None, create: bool = False) -> "Archive":
        """Open the archive at ``config.home``; with ``create``, make its folders first.

        Raises NotFound when there is no archive there and ``create`` is false.
        """
        home = config.home
        if not (config.database_path.exists() or create):
            raise NotFound(f"There is no archive in {home}. Create one with: archive --home {home} init")
        for folder in (home, config.inbox_path, config.inbox_path / "failed", config.store_path):
            folder.mkdir(parents=True, exist_ok=True)
        db = Database(config.database_path)
        return cls(config, db, FileStore(config.store_path), clock or SystemClock())

    def close(self) -> None:
        """Release the index, the OCR workers and the database."""
        self._feeder.close()
        if self._ocr is not None:
            self._ocr.close()
        self.index.close()
        self.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- filing -----------------------------------------------------------------

    def ingest(
        self, path: Path, actor: Actor = SYSTEM, hints: FilingHints = FilingHints(), channel: str = "cli"
    ) -> IngestOutcome:
        """File one file now; bad input gives a failed outcome. Never alters ``path``."""
        require(actor, Permission.FILE)
        self._check_hints(hints)
        return self._filer.file(Path(path), actor, hints, channel)

    def resume_unfinished(self, actor: Actor = SYSTEM) -> list[IngestOutcome]:
        """Finish documents stored but not filed (after a crash); skip earlier failures."""
        conn = self.db.read()
        waiting = [
            row["id"] for row in conn.execute(
                "SELECT id FROM documents WHERE state = 'received' AND failed_at IS NULL ORDER BY id")
        ]
        return [self._filer.finish(document_id, actor) for document_id in waiting]

    def actor_named(self, name: str) -> Actor:
        """Return the archive user with this name as an Actor; raise NotFound."""
        return self.users.actor(name)

    def ocr_runner(self) -> OcrRunner:
        """Return the OCR runner, started on first use (web-only processes never need it)."""
        with self._ocr_lock:
            if self._ocr is None:
                self._ocr = OcrRunner(self.config.ocr)
            return self._ocr

    @contextmanager
    def reading_in_processes(self, processes: int, setup: Callable[[], None] | None = None) -> Iterator[None]:
        """While the block runs, documents filed (from any thread) are read in worker processes.

        `setup` runs first in each worker (logging). With fewer than two processes the
        documents are read in this process as usual.
        """
        if processes < 2:
            yield
            return
        pool = ReadingPool(processes, self.config.ocr, self.store.temp_dir(), setup)
        self._reading_pool = pool
        try:
            yield
        finally:
            self._reading_pool = None
            pool.close()

    def understand(self, original: Path, work_dir: Path) -> Understood:
        """Read a stored original (derivatives into `work_dir`) and find its facts; raise IngestError."""
        knowledge = Knowledge(self.clients.registry(), self.config.extraction, self.clients.classifier())
        pool = self._reading_pool
        if pool is not None and pool.ready:
            try:
                return pool.understand(original, work_dir, knowledge)
            except BrokenProcessPool:
                # A worker died (killed, out of memory): this and later documents are read here.
                log.error("A reading worker process stopped unexpectedly; reading in the filing process instead.")
                self._reading_pool = None
            except CancelledError:
                log.info("The reading workers were stopped; reading %s in the filing process.", original.name)
        return read_and_understand(original, work_dir, self.config.ocr, self.ocr_runner(), knowledge)

    def _check_hints(self, hints: FilingHints) -> None:
        if hints.client_id is not None and self.clients.get(hints.client_id) is None:
            raise InvalidInput(f"There is no client with number {hints.client_id}.")
        known_types = set(self.config.extraction.types)
        if hints.document_type is not None and hints.document_type not in known_types:
            raise InvalidInput(
                f"Unknown document type '{hints.document_type}'; known types: {', '.join(sorted(known_types))}."
            )

    # -- reading ----------------------------------------------------------------

    def document(self, document_id: int, actor: Actor, audit: bool = True) -> DocumentView:
        """Return everything the actor may see of one document; raise NotFound."""
        require(actor, Permission.VIEW)
        conn = self.db.read()
        row = repo.get_document(conn, document_id)
        if row is None:
            raise NotFound(f"There is no document {document_id}.")
        if audit:
            self.audit.record(actor, "view", document_id, client_id=row["client_id"])
        return self._view(row, actor)

    def _view(self, row, actor: Actor) -> DocumentView:
        conn = self.db.read()
        pages = [p["text"] for p in repo.get_pages(conn, row["id"])]
        holds = self.holds_for(row["id"])
        bsn = row["bsn"] if allows(actor, Permission.SEE_BSN) else mask_bsn(row["bsn"])
        return DocumentView(
            id=row["id"], state=row["state"], sha256=row["sha256"], title=row["title"],
            original_filename=row["original_filename"], mime_type=row["mime_type"],
            created_at=row["created_at"], filed_at=row["filed_at"], pages=row["pages"],
            ocr=None if row["ocr"] is None else bool(row["ocr"]), ocr_confidence=row["ocr_confidence"],
            document_type=row["document_type"], client_id=row["client_id"],
            document_date=row["document_date"], amount=row["amount"], currency=row["currency"],
            iban=row["iban"], reference=row["reference"], bsn=bsn,
            needs_review=bool(row["needs_review"]), review_reasons=json.loads(row["review_reasons"]),
            retention_until=row["retention_until"], retention_rule=row["retention_rule"],
            legal_hold=any(h.get("active", True) for h in holds), holds=holds,
            has_rendition=bool(row["has_rendition"]), channel=row["channel"], size=row["size"],
            text="\n\f".join(pages), page_texts=pages,
            evidence=[dict(f) for f in repo.get_facts(conn, row["id"])],
            history=self.audit.for_document(row["id"]),
            duplicates=[dict(d) for d in repo.get_duplicates(conn, row["id"])],
            tombstone=self.tombstone_for(row["id"]) if row["state"] == "disposed" else None,
        )

    def holds_for(self, document_id: int) -> list[dict]:
        """Return the legal holds on a document or its client, active and released."""
        return self.records.holds_for(document_id)

    def tombstone_for(self, document_id: int) -> dict | None:
        """Return what is kept of a disposed document: its tombstone and certificate."""
        return self.records.tombstone_for(document_id)

    def original_path(self, document_id: int, actor: Actor) -> Path:
        """Return the stored original's path for download; audited."""
        return self._file_for_download(document_id, actor, "original")

    def rendition_path(self, document_id: int, actor: Actor) -> Path:
        """Return the searchable PDF (or the original when it is a text PDF); audited."""
        return self._file_for_download(document_id, actor, "pdf")

    def _file_for_download(self, document_id: int, actor: Actor, rendition: str) -> Path:
        require(actor, Permission.DOWNLOAD)
        row = repo.get_document(self.db.read(), document_id)
        if row is None or row["state"] == "disposed":
            raise NotFound(f"There is no document {document_id} to download.")
        path = self.store.path_for(row["sha256"])
        if rendition == "pdf" and row["has_rendition"]:
            path = self._rendition(row)
        if not path.exists():
            raise NotFound(f"The file of document {document_id} is missing from the store; run archive verify.")
        self.audit.record(actor, "download", document_id, client_id=row["client_id"],
                          details={"rendition": rendition})
        return path

    def _rendition(self, row) -> Path:
        path = self.store.derivative_path(row["sha256"], "pdf")
        if not path.exists():
            # Derivatives are rebuilt on demand from the original.
            self._filer.rebuild_derivatives(row)
        return path

    def thumbnail_path(self, document_id: int, actor: Actor) -> Path | None:
        """Return the first-page thumbnail, rebuilding it when missing; not audited."""
        require(actor, Permission.VIEW)
        row = repo.get_document(self.db.read(), document_id)
        if row is None or row["state"] == "disposed":
            raise NotFound(f"There is no document {document_id}.")
        for kind in (THUMBNAIL_KIND, "thumb.png"):  # PNG: made by earlier versions
            path = self.store.derivative_path(row["sha256"], kind)
            if path.exists():
                return path
        return self._rebuild_thumbnail(row)

    def _rebuild_thumbnail(self, row) -> Path | None:
        # Derivatives are rebuildable: a lost thumbnail is drawn again from the original
        # (milliseconds; never a new OCR run). None when the original cannot be drawn.
        work_dir = self.store.temp_dir()
        try:
            drawn = make_thumbnail(self.store.path_for(row["sha256"]), row["mime_type"],
                                   self.config.ocr.max_image_pixels, work_dir / THUMBNAIL_KIND)
            return self.store.put_derivative(row["sha256"], THUMBNAIL_KIND, drawn)
        except (IngestError, OSError) as exc:
            log.warning("No thumbnail for document %s: %s", row["id"], exc)
            return None
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)

    # -- searching --------------------------------------------------------------

    def search(self, request: SearchRequest, actor: Actor) -> SearchResults:
        """Search the documents the actor may see; the query is audited."""
        require(actor, Permission.SEARCH)
        try:
            self._feeder.flush()
            results = self.index.search(request)
        except QuerySyntaxError as exc:
            raise InvalidInput(str(exc)) from exc
        except SearchError as exc:
            log.error("Search failed for a query of %d characters: %s", len(request.query), exc)
            raise SearchUnavailable(
                "Searching is not possible right now; try again in a moment, or ask the administrator "
                "to run `archive reindex`."
            ) from exc
        self.audit.record(actor, "search", details={"query": request.query, "total": results.total})
        return results

    def _open_index(self) -> SearchIndex:
        aliases = self.type_aliases()
        try:
            index = SearchIndex.open(self.config.index_path, self.config.search, aliases)
        except IndexDamaged:
            log.warning("The search index is damaged; rebuilding it from the database.")
            self._rebuild(progress=None)
            index = SearchIndex.open(self.config.index_path, self.config.search, aliases)
        self.index = index
        self._repair_index()
        return index

    def type_aliases(self) -> dict[str, str]:
        """Return every word a clerk may type for a document type, mapped to the type."""
        aliases: dict[str, str] = {}
        for name, rule in self.config.extraction.types.items():
            for word in (name, rule.label_nl, rule.label_en, *rule.aliases):
                if word:
                    aliases[word.lower()] = name
        return aliases

    def _repair_index(self) -> None:
        # Documents filed while the index was unreachable (or removed since) are put right.
        filed = set(repo.ids_in_state(self.db.read(), "filed"))
        indexed = self.index.document_ids()
        if indexed - filed:
            self.index.delete(indexed - filed)
        if filed - indexed:
            log.info("Indexing %d documents missing from the search index.", len(filed - indexed))
            self.reindex_documents(sorted(filed - indexed))

    def queue_reindex(self, document_ids: Iterable[int]) -> None:
        """Index these documents soon, batched with others (see IndexFeeder)."""
        self._feeder.submit(document_ids)

    def flush_index(self) -> None:
        """Wait until every queued index write is committed."""
        self._feeder.flush()

    def reindex_documents(self, document_ids: Iterable[int]) -> None:
        """Bring the index entries of these documents in line with the database."""
        conn = self.db.read()
        upserts, deletions = [], []
        for document_id in document_ids:
            row = repo.get_document(conn, document_id)
            if row is None or row["state"] != "filed":
                deletions.append(document_id)
            else:
                upserts.append(self._indexed(row))
        with self._index_lock:
            if deletions:
                self.index.delete(deletions)
            if upserts:
                self.index.upsert(upserts)

    def _indexed(self, row):
        client = self.clients.get(row["client_id"]) if row["client_id"] else None
        text = repo.document_text(self.db.read(), row["id"])
        return indexed_document(row, text, client.name if client else None)

    def reindex(self, progress: Callable[[int], None] | None = None, actor: Actor = SYSTEM) -> int:
        """Build a fresh index beside the live one and swap it in; return the count."""
        require(actor, Permission.REINDEX)
        count = self._rebuild(progress)
        with self._index_lock:
            self.index.close()
            self.index = SearchIndex.open(self.config.index_path, self.config.search, self.type_aliases())
        self.audit.record(actor, "reindex", details={"documents": count})
        return count

    def _rebuild(self, progress: Callable[[int], None] | None) -> int:
        conn = self.db.read()
        total = repo.count_in_state(conn, "filed")
        documents = (self._indexed(row) for row in repo.iter_documents(conn, "filed"))
        rebuild_index(self.config.index_path, self.config.search, documents, total, progress,
                      type_aliases=self.type_aliases())
        return total

    # -- integrity --------------------------------------------------------------

    def verify_store(self, actor: Actor = SYSTEM, progress: Callable[[int], None] | None = None) -> fixity.FixityReport:
        """Re-hash every stored original; report what is missing or altered."""
        require(actor, Permission.VERIFY)
        expected = repo.list_stored_hashes(self.db.read())
        report = fixity.check_originals(self.store, expected, progress)
        self.audit.record(actor, "verify", details={"checked": report.checked, "problems": len(report.problems)})
        return report

    def verify_all(self, actor: Actor = SYSTEM, progress: Callable[[int], None] | None = None) -> dict:
        """Check the store's fixity and the audit chain; return a report (``ok`` false on any problem)."""
        store = self.verify_store(actor, progress)
        chain = self.audit.verify()
        fixity_details = self.records.fixity_details(store)
        checkpoint_problems = self.records.verify_checkpoints() + self.records.verify_certificates()
        problems = [d["sentence"] for d in fixity_details] + [
            f"Audit trail: entry {b.seq} (position {b.position}) {b.reason}." for b in chain.breaks
        ] + [p.sentence() for p in checkpoint_problems]
        return {
            "fixity_problems": fixity_details, "checkpoint_problems": [vars(p) for p in checkpoint_problems],
            "ok": not problems, "files_checked": store.checked, "audit_entries": chain.entries,
            "missing": [p.document_id for p in store.problems if p.problem == "missing"],
            "altered": [p.document_id for p in store.problems if p.problem == "altered"],
            "audit_breaks": [vars(b) for b in chain.breaks], "problems": problems,
        }

    def initialise(self) -> str | None:
        """Finish creating a new home; return a message to show once (e.g. a password)."""
        self.audit.record(SYSTEM, "init", details={"home": str(self.config.home)})
        self.records.initialise()
        return create_first_admin(self.users)

    # -- facts and the review queue (the clerk's corrections) -----------------

    def update_facts(self, document_id: int, changes: dict, actor: Actor, confirm: bool = False) -> DocumentView:
        """Change a filed document's facts (validated, each change audited); raise InvalidInput.

        Confirming clears the review flag; a corrected fact clears the reasons it settles.
        """
        require(actor, Permission.EDIT_FACTS)
        fact_edits.update_facts(self, document_id, changes, actor, confirm)
        self.reindex_documents([document_id])
        return self.document(document_id, actor, audit=False)

    def review_queue(self, actor: Actor, limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
        """Return how many documents need review and the oldest ``limit`` of them."""
        require(actor, Permission.REVIEW)
        conn = self.db.read()
        rows = review_repo.waiting(conn, limit, offset)
        items = [{**dict(row), "review_reasons": json.loads(row["review_reasons"]),
                  "evidence": [dict(f) for f in repo.get_facts(conn, row["id"])]} for row in rows]
        for item in items:
            item["bsn"] = item["bsn"] if allows(actor, Permission.SEE_BSN) else mask_bsn(item["bsn"])
        return review_repo.count_waiting(conn), items

    def count_documents(self) -> int:
        """Return how many documents are filed."""
        return repo.count_in_state(self.db.read(), "filed")


def describe_error(exc: Exception) -> str:
    """Return the sentence to show a person for an error from the archive."""
    if isinstance(exc, ArchiveError):
        return str(exc)
    return "Something went wrong inside the archive; the details are in the log."
