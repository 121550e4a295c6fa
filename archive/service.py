"""The Archive: the one object that knows the whole flow of one archive home.

It is assembled from small sub-services, each given the shared ``Core`` (settings,
database, store, audit trail, clock) and the few collaborators it uses, and offers
what the CLI and the web app need: file, show, get, search, verify, reindex, and
the records, clients and users services. Every call names the acting user; roles
are checked in ``archive.access.permissions`` and every view, download, search and
change is audited by the sub-service that does it.

Constructing an Archive does no I/O; ``Archive.open()`` opens the home and starts
what must run (the index, its feeder, the retention schedule check).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, allows, require
from archive.access.users import UserService, create_first_admin
from archive.analysis.load import analyse
from archive.audit.seals import SealKey
from archive.audit.trail import AuditTrail
from archive.backup.service import BackupService
from archive.clients import ClientService
from archive.clock import Clock, SystemClock
from archive.config import Config
from archive.core import Core, open_database, require_home
from archive.documents.bulk import BulkEditor
from archive.documents.custom_fields import CustomFields
from archive.documents.derivative_fixity import DerivativeFixity, DerivativeReport
from archive.documents.desk import Desk
from archive.documents.fact_edits import FactEditor
from archive.documents.faults import ArchiveFault
from archive.documents.filing import Filer, FilingHints
from archive.documents.index import DocumentIndex
from archive.documents.library import DocumentLibrary
from archive.documents.notes import DocumentNotes
from archive.documents.provenance import Provenance
from archive.documents.reader import DocumentReader
from archive.documents.saved_searches import SavedSearches
from archive.documents.tags import DocumentTags
from archive.documents.views import DocumentView, IngestOutcome, outcome_from_row
from archive.errors import ArchiveError, ConfigError, InvalidInput, Message, NotFound
from archive.inbox import retry as inbox_retry
from archive.inbox.pause import paused_reason as inbox_paused
from archive.inbox.service import last_heartbeat, watcher_running, watcher_state
from archive.inbox.status import inbox_status
from archive.intake.mailboxes import MailService
from archive.intake.queue import FilingQueue
from archive.intake.router import Intake
from archive.intake.sources import destroy_spent_sources
from archive.intake.status import failed_mail, mail_status
from archive.jobs import Jobs
from archive.records.fixity import check_originals
from archive.records.keeping import RetentionDates
from archive.records.legal_holds import LegalHolds
from archive.records.modes import make_private
from archive.records.service import RecordsService
from ingest.values import find_bsns, mask_bsns
from search import SearchRequest, SearchResults
from search.errors import SearchError
from storage import audit_repo, intake_repo
from storage import documents_repo as repo
from storage.database import Database
from storage.filestore import FileStore

__all__ = ["Archive", "FilingHints", "describe_error"]

log = logging.getLogger(__name__)


class Archive:
    """One archive home: its sub-services wired together. Use ``Archive.open``."""

    def __init__(self, core: Core) -> None:
        """Wire the sub-services; nothing is opened or written here."""
        self.core = core
        self.clients = ClientService(core.db, core.config.extraction, audit=core.audit, clock=core.clock)
        self.users = UserService(core.db, core.clock, core.config.web, core.audit)
        self.index = DocumentIndex(core, self.clients)
        self.reader = DocumentReader(core, self.clients)
        retention = RetentionDates(core)
        holds = LegalHolds(core, self.clients)
        self.library = DocumentLibrary(core, self.reader, holds, self.index)
        self.derivative_fixity = DerivativeFixity(core, self.reader)
        self.records = RecordsService(
            core,
            self.clients,
            retention,
            holds,
            self.library,
            on_destroyed=self._destroyed,
            check_derivatives=self.derivative_fixity.check,
        )
        self.queue = _reading_queue(core)
        self._filer = Filer(core, self.reader, self.index, retention, self.queue)
        self.intake = Intake(core, self._filer, self.reader, self.clients, self.check_hints)
        self.filing_queue = FilingQueue(core, self.intake.file, self._queued_actor)
        self._facts = FactEditor(core, self.clients, retention, self.index)
        self.tags = DocumentTags(core, self.index)
        self.notes = DocumentNotes(core, self.index)
        self.desk = Desk(core, self.clients)
        self.saved_searches = SavedSearches(core)
        self.custom_fields = CustomFields(core, self.index)
        self.bulk = BulkEditor(core, self._facts, self.tags, holds, self.index)
        self.jobs = Jobs(core.db, core.clock, core.config.home)

    def _destroyed(self, document_ids: list[int]) -> None:
        """Documents lost their bytes: out of the index; a stack or message whose last document went, too."""
        self.index.reindex_documents(document_ids)
        destroy_spent_sources(self.core, document_ids)

    @classmethod
    def open(cls, config: Config, clock: Clock | None = None, create: bool = False, index: bool = True) -> "Archive":
        """Open the archive at ``config.home``; with ``create``, make its folders first.

        Without ``index`` (a reading worker on a shared database) no search index is kept
        here: the nodes' indexes follow the change feed. Raises NotFound when there is no
        archive there and ``create`` is false.
        """
        home = config.home
        if not create:
            require_home(config)
        for folder in (home, config.inbox_path, config.inbox_path / "failed", config.store_path):
            folder.mkdir(parents=True, exist_ok=True)
        make_private(home)
        db = open_database(config)
        clock = clock or SystemClock()
        try:
            new_home = create and audit_repo.last_entry(db.read()) is None
            seal_key = SealKey.load_or_create(home / config.audit.seal_key_file)
        except BaseException:
            db.close()
            raise
        trail = AuditTrail(db, clock, seal_key, home / config.audit.head_file)
        archive = cls(Core(config, db, FileStore(config.store_path), trail, clock))
        try:
            archive.store.clean_temp()  # what a killed process left half-written
            archive.records.adopt(new_home)
            if archive.queue is not None:
                archive.queue.ensure_schema()
            if index:
                archive.index.open()
            else:
                archive.index.leave_to_nodes()
            archive.records.retention.check_schedule()
        except BaseException:
            archive.close()
            raise
        return archive

    def close(self) -> None:
        """Release the filing queue, the index, the reading workers and the database."""
        self.filing_queue.stop()
        self.index.close()
        self.reader.close()
        self.store.release_temp()
        self.core.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # The parts of the core that callers read directly.
    @property
    def config(self) -> Config:
        return self.core.config

    @property
    def db(self) -> Database:
        return self.core.db

    @property
    def store(self) -> FileStore:
        return self.core.store

    @property
    def audit(self) -> AuditTrail:
        return self.core.audit

    @property
    def clock(self) -> Clock:
        return self.core.clock

    # -- filing -----------------------------------------------------------------

    def ingest(
        self,
        path: Path,
        actor: Actor = SYSTEM,
        hints: FilingHints = FilingHints(),
        channel: str = "cli",
        provenance: Provenance = Provenance(),
    ) -> IngestOutcome:
        """File one file now as one document; bad input gives a failed outcome. Never alters ``path``.

        A file arriving by itself (``inbox``, ``mail``) whose document was set aside after
        its readings were stopped is answered with its reason instead of being read again.
        """
        require(actor, Permission.FILE)
        self.check_hints(hints)
        return self._filer.file(Path(path), actor, hints, channel, provenance)

    def ingest_all(
        self, path: Path, actor: Actor = SYSTEM, hints: FilingHints = FilingHints(), channel: str = "cli"
    ) -> list[IngestOutcome]:
        """File one file now: a stack gives a document per part, a message one per attachment."""
        require(actor, Permission.FILE)
        self.check_hints(hints)
        return self.intake.file(Path(path), actor, hints, channel)

    def hand_over(
        self, path: Path, name: str, actor: Actor, hints: FilingHints = FilingHints(), channel: str = "upload"
    ) -> list[IngestOutcome]:
        """Queue an uploaded file (moved from `path`) to be filed in the background; answer at once.

        The outcomes when filing was quick, else its document in state ``received`` (status
        "received", with its id when it was kept in time); with a job queue, status "queued".
        Raises InvalidInput for bad hints, Conflict when too many uploads wait.
        """
        require(actor, Permission.FILE)
        self.check_hints(hints)
        if self.queue is not None:  # kept and given a job here, read by a worker: quick enough to answer
            return self.ingest_all(Path(path), actor, hints, channel=channel)
        return self.filing_queue.hand_over(Path(path), name, actor, hints, channel)

    def filing_status(self, document_id: int, actor: Actor) -> IngestOutcome:
        """Where a handed-over document is: ``received`` (being read), ``filed`` or ``failed``; raise NotFound."""
        require(actor, Permission.FILE)
        row = repo.get_document(self.db.read(), document_id)
        if row is None or row["state"] == "disposed":
            raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
        if row["state"] == "filed":
            return outcome_from_row(row["original_filename"], "filed", row)
        status = "failed" if row["failed_at"] else "received"
        return IngestOutcome(
            source=row["original_filename"],
            status=status,
            id=row["id"],
            sha256=row["sha256"],
            error=row["last_error"] if row["failed_at"] else None,
        )

    def mail_service(self, actor: Actor = SYSTEM) -> MailService:
        """The pollers of the configured mail accounts (not started)."""
        return MailService(self.core, self.intake.messages, actor)

    def resume_unfinished(self, actor: Actor = SYSTEM) -> list[IngestOutcome]:
        """Finish documents stored but not filed (after a crash); skip earlier failures and set-aside ones.

        A document another process is reading now is left to it; one whose readings
        were stopped too often is set aside (failed, with its reason) instead of read.
        With a job queue they are handed to the workers instead (none is read here).
        """
        waiting = repo.unfinished_ids(self.db.read())
        if self.queue is not None:
            for document_id in waiting:
                with self.db.atomic() as conn:
                    self.queue.enqueue(conn, document_id)
            return []
        outcomes = (self._filer.finish(document_id, actor) for document_id in waiting)
        return [outcome for outcome in outcomes if outcome is not None]

    def inbox_lease(self):
        """The lease that lets one node at a time watch the inbox of a home on a shared database."""
        from archive.inbox.lease import Lease

        return Lease(self.db, self.clock)

    def read_received(self, document_id: int) -> IngestOutcome | None:
        """Read, understand and file one received document, on behalf of whoever brought it in (a worker's job).

        The same claimed reading as in-process (limits, set-aside); None when it is no longer waiting.
        """
        row = repo.get_document(self.db.read(), document_id)
        if row is None:
            raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
        try:
            actor = SYSTEM if row["created_by"] == SYSTEM.name else self.actor_named(row["created_by"])
        except NotFound:  # the user was removed since: the archive itself finishes the filing
            actor = SYSTEM
        try:
            return self._filer.finish(document_id, actor, take_over=True)
        except ArchiveFault:
            raise  # the archive's own disk or database: the document stays waiting, the sweep hands it on again
        except Exception as exc:
            # Marked failed, so the sweep does not hand the same document round for ever; the
            # clerk sees it with the failures, and `archive inbox retry` or a new upload tries again.
            log.exception("Document %d could not be read by this worker", document_id)
            reason = (
                Message.of(exc)
                if isinstance(exc, ArchiveError)
                else Message("archive.internal", "Something went wrong inside the archive; the details are in the log.")
            )
            self._filer.mark_failed(document_id, reason, actor)
            raise

    def reading_worker(self):
        """Return the `archive worker` of this home (procrastinate's worker and the sweep for lost jobs).

        Raises ConfigError when this home reads in-process ([queue] backend).
        """
        from archive.documents.job_queue import ReadingWorker

        if self.queue is None:
            raise ConfigError(
                "queue.in_process",
                "This archive reads documents where they arrive ([queue] backend "
                '= "in-process"): `archive run` reads them; there is no work for a worker.',
            )
        return ReadingWorker(
            self.queue,
            self.config.queue,
            self.read_received,
            lambda document_id: repo.is_waiting(self.db.read(), document_id),
            self.clock.now,
        )

    def reading_in_processes(self, processes: int, setup: Callable[[], None] | None = None):
        """While the block runs, documents filed (from any thread) are read in worker processes."""
        return self.reader.in_processes(processes, setup)

    def _queued_actor(self, name: str) -> Actor:
        return SYSTEM if name == SYSTEM.name else self.actor_named(name)

    def actor_named(self, name: str) -> Actor:
        """Return the archive user with this name as an Actor; raise NotFound."""
        return self.users.actor(name)

    @staticmethod
    def contains_bsn(text: str) -> bool:
        """Return whether a text holds a BSN, however written (the one rule of ingest.values)."""
        return bool(find_bsns(text or ""))

    @staticmethod
    def mask_bsns(text: str) -> str:
        """Return a text with every BSN in it masked (``*****6782``), by the one rule."""
        return mask_bsns(text or "")

    def check_hints(self, hints: FilingHints) -> None:
        """Raise InvalidInput when a given client or document type does not exist."""
        if hints.client_id is not None and self.clients.get(hints.client_id) is None:
            raise self.clients.unknown_number(hints.client_id)
        known_types = set(self.config.extraction.types)
        if hints.document_type is not None and hints.document_type not in known_types:
            raise InvalidInput(
                "document.unknown_type",
                "Unknown document type '{document_type}'; known types: {known}.",
                document_type=hints.document_type,
                known=", ".join(sorted(known_types)),
            )

    # -- reading ----------------------------------------------------------------

    def document(self, document_id: int, actor: Actor, audit: bool = True, from_search: bool = False) -> DocumentView:
        """Return everything the actor may see of one document; raise NotFound."""
        return self.library.document(document_id, actor, audit, from_search)

    def reveal_bsn(self, document_id: int, actor: Actor) -> str | None:
        """Return a document's BSN in full to someone allowed to see it; audited."""
        return self.library.reveal_bsn(document_id, actor)

    def revealed(self, document_id: int, actor: Actor) -> DocumentView:
        """Return the document with its BSNs in clear (fact, text, evidence) to someone allowed; audited."""
        return self.library.revealed(document_id, actor)

    def holds_for(self, document_id: int) -> list[dict]:
        """Return the legal holds on a document or its client, active and released."""
        return self.records.holds_for(document_id)

    def tombstone_for(self, document_id: int) -> dict | None:
        """Return what is kept of a disposed document: its tombstone and certificate."""
        return self.records.tombstone_for(document_id)

    def original_path(self, document_id: int, actor: Actor) -> Path:
        """Return the stored original's path for download; audited."""
        return self.library.original_path(document_id, actor)

    def rendition_path(self, document_id: int, actor: Actor) -> Path:
        """Return the searchable PDF (or the original when it is a text PDF); audited."""
        return self.library.rendition_path(document_id, actor)

    def preview_path(self, document_id: int, actor: Actor, seen: bool = False) -> Path:
        """Return the searchable PDF shown inside a page: audited as a view (unless ``seen`` already)."""
        return self.library.preview_path(document_id, actor, seen)

    def page_image(self, document_id: int, page: int, actor: Actor, seen: bool = False) -> bytes | None:
        """Return a JPEG of one page (1-based) of the document, to look at; a view."""
        return self.library.page_image(document_id, page, actor, seen=seen)

    def thumbnail_path(self, document_id: int, actor: Actor) -> Path | None:
        """Return the first-page thumbnail, rebuilding it when missing."""
        return self.library.thumbnail_path(document_id, actor)

    # -- searching --------------------------------------------------------------

    def search(self, request: SearchRequest, actor: Actor) -> SearchResults:
        """Search the documents the actor may see; the query is audited."""
        return self.library.search(request, actor)

    def type_aliases(self) -> dict[str, str]:
        """Return every word a clerk may type for a document type, mapped to the type."""
        return self.index.type_aliases()

    def index_lag(self) -> dict[str, float] | None:
        """How far this node's search index is behind the shared database (None on one machine)."""
        return self.index.lag()

    def flush_index(self) -> None:
        """Wait until every queued index write is committed."""
        self.index.flush()

    def reindex_documents(self, document_ids) -> None:
        """Bring the index entries of these documents in line with the database."""
        self.index.reindex_documents(document_ids)

    def reindex(self, progress: Callable[[int], None] | None = None, actor: Actor = SYSTEM) -> int:
        """Build a fresh index beside the live one and swap it in; return the count."""
        require(actor, Permission.REINDEX)
        count = self.index.rebuild_and_swap(progress)
        self.audit.record(actor, "reindex", details={"documents": count})
        return count

    # -- integrity --------------------------------------------------------------

    def verify_store(self, actor: Actor = SYSTEM, progress: Callable[[int], None] | None = None):
        """Re-hash every stored original; report what is missing or altered."""
        return self.records.verify_store(actor, progress)

    def verify_all(self, actor: Actor = SYSTEM, progress: Callable[[int], None] | None = None) -> dict:
        """Check the store's fixity and the audit chain; return a report (``ok`` false on any problem)."""
        store = self.verify_store(actor, progress)
        # A derivative found altered is rebuilt (audited) and noted, not reported as a loss.
        derivatives = self.derivative_fixity.check(actor, lost={p.document_id for p in store.problems})
        # The kept originals of scanned stacks are records too: their parts were cut from them.
        stacks = check_originals(self.store, intake_repo.list_stack_hashes(self.db.read()), progress)
        messages = check_originals(self.store, intake_repo.list_message_hashes(self.db.read()), progress)
        audit = self.records.audit_findings()
        fixity_details = self.records.fixity_details(store)
        certificate_problems = self.records.verify_certificates()
        row_problems = self.records.check_document_rows()
        mode_problems = self.records.mode_problems()
        problems = (
            [d["sentence"] for d in fixity_details]
            + [p.sentence() for p in row_problems]
            + [str(m) for m in mode_problems]
            + [_kept_original_problem("Scanned stack", p) for p in stacks.problems]
            + [_kept_original_problem("E-mail message", p) for p in messages.problems]
            + audit["problems"]
            + [p.sentence() for p in certificate_problems]
            + [str(f.message()) for f in derivatives.problems]
        )
        return {
            "fixity_problems": fixity_details,
            "mode_problems": [str(m) for m in mode_problems],
            "document_problems": [
                {"id": p.document_id, "problem": p.problem, "sentence": p.sentence()} for p in row_problems
            ],
            "checkpoint_problems": audit["checkpoint_problems"] + [vars(p) for p in certificate_problems],
            "stack_problems": [vars(p) for p in stacks.problems],
            "message_problems": [vars(p) for p in messages.problems],
            "ok": not problems,
            "files_checked": store.checked + stacks.checked + messages.checked,
            "audit_entries": audit["entries"],
            "missing": [p.document_id for p in store.problems if p.problem == "missing"],
            "altered": [p.document_id for p in store.problems if p.problem == "altered"],
            "audit_breaks": audit["breaks"],
            "seal_problems": audit["seal_problems"],
            "schema_problems": audit["schema_problems"],
            "public_key_fingerprint": audit["public_key_fingerprint"],
            "problems": problems,
            "derivatives_checked": derivatives.checked,
            "derivative_findings": [{**f.to_json(), "sentence": str(f.message())} for f in derivatives.findings],
            "notes": audit["notes"] + _derivative_notes(derivatives),
        }

    def initialise(self, actor: Actor = SYSTEM) -> str | None:
        """Finish creating a new home; return a message to show once (a password, the key's fingerprint).

        ``actor``: the built-in user as the command line gives it (with who ran the command).
        """
        self.audit.record(actor, "init", details={"home": str(self.config.home)})
        message = create_first_admin(self.users, by=actor)
        key = self.records.initialise()
        lines = [message] if message else []
        if key:
            lines.append(
                f"Audit checkpoint key fingerprint (write it down; an auditor checks the archive with it): {key}"
            )
        return "\n".join(lines) or None

    # -- facts and the review queue (the clerk's corrections) -----------------

    def update_facts(
        self,
        document_id: int,
        changes: dict,
        actor: Actor,
        confirm: bool = False,
        without_client: bool = False,
        without_date: bool = False,
        date_after_today: bool = False,
    ) -> DocumentView:
        """Change a filed document's facts (validated, each change audited); raise InvalidInput.

        Confirming a document left without a client needs ``without_client``, emptying its
        date ``without_date``, a date after today ``date_after_today`` (each said by a person).
        """
        self._facts.update(
            document_id,
            changes,
            actor,
            confirm,
            without_client=without_client,
            without_date=without_date,
            date_after_today=date_after_today,
        )
        return self.document(document_id, actor, audit=False)

    def check_fact(self, name: str, value: str | None) -> str | None:
        """Return a typed fact value in its stored form (``12-03-2024`` → ``2024-03-12``); raise InvalidInput."""
        return self._facts.normalise(name, value)

    def review_queue(self, actor: Actor, limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
        """Return how many documents need review and the oldest ``limit`` of them."""
        return self.library.review_queue(actor, limit, offset)

    def backups(self) -> BackupService:
        """Return this home's backups (snapshots, their status); the chain's head is signed before each."""
        return BackupService(self.core, sign_head=lambda: self.records.checkpoint_if_due(self.clock.now()))

    def backup_figures(self) -> dict:
        """Return how this home's backups stand and what a past restore left to do (status page)."""
        return self.backups().figures()

    def count_documents(self) -> int:
        """Return how many documents are filed."""
        return self.library.count_documents()

    # -- the start page -------------------------------------------------------------

    def start_page(self, actor: Actor) -> dict[str, Any]:
        """Return what the start page shows this person: recent and last-opened documents,
        the review queue's count and the inbox's state where their role works them, saved searches."""
        require(actor, Permission.VIEW)
        page: dict[str, Any] = {
            "recent": self.desk.recent(actor),
            "last_opened": self.desk.last_opened(actor, 8),
            "review_waiting": self.library.review_queue(actor, 0)[0] if allows(actor, Permission.REVIEW) else None,
            "inbox": self.inbox_status() if allows(actor, Permission.FILE) else None,
            "saved": [(saved, self._count(saved.query)) for saved in self.saved_searches.for_actor(actor)],
        }
        return page

    def _count(self, query: str) -> int | None:
        # Only a count, not a search a person reads: no audit entry per saved search on every start page.
        try:
            return self.index.search(
                SearchRequest(query=query, page_size=1, with_facets=False, with_highlights=False)
            ).total
        except (SearchError, ValueError):
            return None

    # -- the inbox and the analysis, as the web pages show them -----------------

    def inbox_status(self) -> dict[str, object]:
        """Return the inbox's figures now, and whether a watcher runs."""
        figures = inbox_status(self.config.inbox_path, self.db, self.clock.now())
        figures["watcher_running"] = watcher_running(self.config.home)
        beat = last_heartbeat(self.config.home)
        figures["heartbeat_age_seconds"] = (
            None if beat is None else round(max(0.0, self.clock.now().timestamp() - beat), 1)
        )
        figures["watcher_state"] = watcher_state(bool(figures["watcher_running"]), figures["heartbeat_age_seconds"])
        figures["paused"] = inbox_paused(self.config.home) if figures["watcher_running"] else None
        return figures

    def mail_overview(self) -> dict[str, list[dict[str, Any]]]:
        """Return each mail account's last poll and errors, and the latest messages that could not be filed."""
        return {"accounts": mail_status(self.db, self.config.mail), "failed": failed_mail(self.db, self.config.mail)}

    def failed_inbox_files(self) -> list[dict]:
        """Return the files set aside in inbox/failed/ with their reasons."""
        return inbox_retry.failed_files(self.config.inbox_path)

    def failed_file_named(self, key: str) -> str:
        """Return the name of the failed inbox file a page's key stands for. Raises NotFound."""
        return inbox_retry.failed_file_named(self.config.inbox_path, key)

    def retry_failed(self, name: str, actor: Actor) -> Path:
        """Move a failed inbox file back to be filed again; audited. Raises NotFound."""
        return inbox_retry.retry_failed(self.config.inbox_path, name, actor, self.audit, self.db)

    def remove_failed(self, name: str, reason: str, actor: Actor) -> None:
        """Delete a failed inbox file for good, the reasons and its hash kept in the audit trail."""
        inbox_retry.remove_failed(self.config.inbox_path, name, reason, actor, self.audit)

    def analysis(
        self,
        actor: Actor,
        since: date | None = None,
        until: date | None = None,
        by: str = "day",
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Return the front-office figures for a period (see archive.analysis); the read is audited."""
        result = analyse(self.db, actor, now or self.clock.now(), since, until, by)
        self.audit.record(actor, "analysis", details={**result["period"], "by": by})
        return result


def _reading_queue(core: Core):
    """The job queue documents are read through, or None to read them in this process (the embedded default)."""
    if core.config.queue.backend != "procrastinate":
        return None
    from archive.documents.job_queue import ReadingQueue  # procrastinate is loaded only for a queue

    return ReadingQueue(core.db, core.config.queue)


def _kept_original_problem(what: str, problem) -> str:
    state = "missing from the store" if problem.problem == "missing" else "altered (the bytes no longer match)"
    return f"{what} {problem.document_id}: its original is {state}."


def _derivative_notes(report: DerivativeReport) -> list[str]:
    notes = [str(f.message()) for f in report.findings if f.rebuilt]
    if report.recorded_now:
        notes.append(
            str(
                Message(
                    "fixity.derivatives_recorded",
                    "{count} searchable PDF(s) and thumbnail(s) made by an earlier release had no recorded "
                    "hash; their hashes are recorded now and checked from here on.",
                    {"count": report.recorded_now},
                )
            )
        )
    return notes


def describe_error(exc: Exception) -> str:
    """Return the sentence to show a person for an error from the archive."""
    if isinstance(exc, ArchiveError):
        return str(exc)
    return "Something went wrong inside the archive; the details are in the log."
