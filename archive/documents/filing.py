"""The flow of one document (DESIGN.md steps 2-5): keep, read, understand, file.

Each step is a short method returning a small result; decisions are pure, I/O is
at the ends. A failure while reading leaves the stored original and the row in
state ``received`` with the reason, so nothing is ever lost.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import stat
import threading
import time
from concurrent.futures import CancelledError
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from archive.access.actors import Actor
from archive.clock import iso
from archive.core import Core
from archive.documents.claims import is_live, this_process
from archive.documents.faults import ArchiveFault, fault_of_archive
from archive.documents.index import DocumentIndex
from archive.documents.provenance import Provenance
from archive.documents.reader import DocumentReader, StoredDerivative
from archive.documents.reading import Understood, mean_confidence
from archive.documents.titles import title_from_facts
from archive.documents.views import IngestOutcome, outcome_from_row
from archive.documents.workers import ReadingStopped
from archive.errors import Message
from archive.records.keeping import RetentionDates
from ingest.errors import IngestError, UnsupportedFormat
from ingest.facts import Facts
from ingest.formats import detect_format
from ingest.reader import ReadResult
from ingest.values import mask_bsns
from storage import documents_repo as repo
from storage import intake_repo
from storage.errors import StorageError

log = logging.getLogger(__name__)

# A candidate client this strong (identifiers, or a name with its address) contradicts a given one.
CLASH_SCORE = 0.5
CLIENT_CONTRADICTED = "client_contradicted"
# Evidence rows beside the facts: the client given at upload when the document named
# another, and each candidate client with what was seen of it (JSON in source_text).
GIVEN_CLIENT = "given_client_id"
CANDIDATE_PREFIX = "client_candidate:"

# Which review reasons a fact given by the clerk (folder, --client…) makes moot.
_REASONS_SETTLED_BY = {
    "client_id": ("no_client", "ambiguous_client", "unsure_client"),
    "document_type": ("unsure_type", "no_type"),
    "document_date": ("no_date", "unsure_date"),
}


@dataclass(frozen=True)
class FilingHints:
    """Facts known before reading: from a sub-folder, a CLI option or an upload form."""

    client_id: str | None = None
    document_type: str | None = None
    document_date: date | None = None

    def to_json(self) -> str:
        values = {k: v for k, v in vars(self).items() if v is not None}
        return json.dumps({k: str(v) for k, v in values.items()}, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> "FilingHints":
        values = json.loads(text or "{}")
        if "document_date" in values:
            values["document_date"] = date.fromisoformat(values["document_date"])
        return FilingHints(**values)


@dataclass(frozen=True)
class Kept:
    document_id: int | None
    duplicate_of: int | None = None
    error: Message | None = None
    sha256: str | None = None
    queued: bool = False


class Queue(Protocol):
    """Where a received document's reading is handed on (``job_queue.ReadingQueue``)."""

    def enqueue(self, conn: Any, document_id: int) -> bool: ...


def client_clash(given: str | None, facts: Facts) -> str | None:
    """Return the client the document points to instead of the given one, or None when it does not contradict it.

    It contradicts the given client when it names another one: recognised outright, or
    a candidate with real evidence (an identifier, a name confirmed by an address) that
    counts for more than whatever the document holds of the given client. A document
    that is merely unsure, or unsure between the given client and another, does not:
    that is what a clerk's given client is for.
    """
    if given is None:
        return None
    if facts.client_id is not None and facts.client_id != given:
        return facts.client_id
    given_score = next((c.score for c in facts.client_candidates if c.client_id == given), 0.0)
    other = next((c for c in facts.client_candidates if c.client_id != given and c.score >= CLASH_SCORE), None)
    return other.client_id if other is not None and other.score > given_score else None


def apply_hints(facts: Facts, hints: FilingHints) -> tuple[dict[str, object], list[str]]:
    """Return the final fact values and review reasons once the given facts are applied.

    A given fact settles what the archive was unsure of; a given client that the
    document contradicts does not overrule it: the document keeps the client it names
    (or none) and waits in the review queue with ``client_contradicted``.
    """
    values: dict[str, object] = {
        "client_id": facts.client_id,
        "document_type": facts.document_type,
        "document_date": facts.document_date,
        "amount": facts.amount,
        "currency": facts.currency,
        "iban": facts.iban,
        "reference": facts.reference,
        "bsn": facts.bsn,
        "language": facts.language,
    }
    reasons = list(facts.review_reasons)
    clash = client_clash(hints.client_id, facts)
    for name in _REASONS_SETTLED_BY:
        given = getattr(hints, name)
        if given is None or (name == "client_id" and clash is not None):
            continue
        values[name] = given
        reasons = [r for r in reasons if r not in _REASONS_SETTLED_BY[name]]
    if clash is not None:
        reasons.append(CLIENT_CONTRADICTED)
    return values, reasons


class Filer:
    """Files documents for one Archive; safe to call from several threads and processes at once."""

    def __init__(
        self,
        core: Core,
        reader: DocumentReader,
        index: DocumentIndex,
        retention: RetentionDates,
        queue: Queue | None = None,
    ) -> None:
        """With a ``queue``, a received document is read by a worker, not here."""
        self._core = core
        self._queue = queue
        self._reader = reader
        self._index = index
        self._retention = retention
        self._me = this_process()
        self._reading: set[int] = set()  # documents this process reads now (its own claims that are live)
        self._reading_lock = threading.Lock()

    def _claimed_elsewhere(self, row) -> bool:
        """True when another reading holds this document now (in another process, or in another thread here)."""
        if row["reading_by"] == self._me:
            with self._reading_lock:
                return row["id"] in self._reading
        return is_live(row["reading_by"])

    def file(
        self,
        source: Path,
        actor: Actor,
        hints: FilingHints,
        channel: str,
        provenance: Provenance = Provenance(),
        text_layers: tuple[str, ...] | None = None,
        work_dir: Path | None = None,
    ) -> IngestOutcome:
        """File one file; bad input ends as a failed outcome, never an exception.

        A file arriving by itself (inbox, mail) whose document was set aside after its
        readings were stopped is answered with that reason instead of being read again;
        one a person hands in (command line, upload) is read again. `text_layers` are the
        PDF's text layers when a look for separator sheets read them already; `work_dir`
        a work folder in the store the caller removes afterwards, for the reading to use.
        """
        started = time.monotonic()
        shown = mask_bsns(provenance.source) if provenance.source else shown_path(source)
        retry = channel not in AUTOMATIC_CHANNELS
        try:
            check_regular_file(source)
            mime_type = detect_format(source).mime_type
            kept = self._keep(source, mime_type, actor, hints, channel, provenance, retry)
        except (IngestError, StorageError, OSError) as exc:
            fault = fault_of_archive(exc)
            if fault is not None:  # the archive's disk or database, not this file: nothing is refused
                raise ArchiveFault.of(fault) from exc
            reason = _os_reason(exc) if isinstance(exc, OSError) else Message.of(exc)
            return self._failed(shown, reason, actor, channel)
        if kept.error:
            return IngestOutcome.failed(shown, kept.error, sha256=kept.sha256)
        if kept.duplicate_of is not None:
            row = _stored(self._core.db.read(), kept.duplicate_of)
            return outcome_from_row(shown, "duplicate", row, duplicate_of=kept.duplicate_of)
        assert kept.document_id is not None  # kept: neither an error nor a duplicate
        if kept.queued:
            row = _stored(self._core.db.read(), kept.document_id)
            return IngestOutcome(
                source=shown, status="queued", id=kept.document_id, sha256=row["sha256"], channel=row["channel"]
            )
        try:
            return self._read_claimed(kept.document_id, actor, shown, text_layers, work_dir)
        finally:
            log.info("%s: done in %.2f s", shown_name(source), time.monotonic() - started)

    def finish(self, document_id: int, actor: Actor, take_over: bool = False) -> IngestOutcome | None:
        """Read, understand and file a stored document (to resume after a crash, or a worker's job).

        Returns None when another process is reading it now or it is no longer received.
        A queue's worker passes ``take_over``: the queue's lock lets one job of a document
        run at a time, so a claim still in the row is a stopped worker's, on any machine;
        taking it over counts an attempt, and a document that keeps stopping its workers
        is set aside as it is in-process.
        """
        with self._core.db.atomic() as conn:
            row = repo.get_document(conn, document_id)
            if row is None or row["state"] != "received":
                return None
            if not take_over and self._claimed_elsewhere(row):
                return None
            repo.claim_reading(conn, document_id, self._me, iso(self._core.clock.now()))
        return self._read_claimed(document_id, actor, None)

    # -- keeping the original ----------------------------------------------------------

    def _keep(
        self,
        source: Path,
        mime_type: str,
        actor: Actor,
        hints: FilingHints,
        channel: str,
        provenance: Provenance,
        retry: bool,
    ) -> Kept:
        core = self._core
        stored = core.store.put(source)
        # A stack's part or a mail's attachment is shown by its own name and origin, not a temporary path.
        name = mask_bsns(provenance.original_filename) if provenance.original_filename else shown_name(source)
        shown = mask_bsns(provenance.source) if provenance.source else shown_path(source)
        with core.db.atomic() as conn:
            existing = repo.find_by_sha256(conn, stored.sha256)
            if existing is None:
                now = iso(core.clock.now())
                document_id = repo.insert_received(
                    conn,
                    {
                        "sha256": stored.sha256,
                        "size": stored.size,
                        "mime_type": mime_type,
                        "original_filename": name,
                        "source": shown,
                        "channel": channel,
                        "hinted": hints.to_json(),
                        "created_by": actor.name,
                        "created_at": now,
                    },
                )
                intake_repo.set_provenance(conn, document_id, provenance.columns())
                core.audit.record(
                    actor,
                    "receive",
                    document_id,
                    details={
                        "sha256": stored.sha256,
                        "filename": name,
                        "channel": channel,
                        **provenance.audit_details(),
                    },
                )
                return self._hand_on(conn, document_id, now)
            return self._existing(conn, existing, name, shown, actor, channel, retry)

    def _existing(self, conn, existing, name: str, shown: str, actor: Actor, channel: str, retry: bool) -> Kept:
        document_id = existing["id"]
        if existing["state"] == "disposed":
            self._core.store.destroy(existing["sha256"])
            return self._refused(
                existing,
                name,
                actor,
                channel,
                Message(
                    "document.destroyed_bytes",
                    "These exact bytes were document {id}, destroyed under the retention "
                    "schedule; they are not filed again.",
                    {"id": document_id},
                ),
            )
        if existing["state"] == "received" and not self._claimed_elsewhere(existing):
            set_aside = existing["reading_attempts"] >= self._attempts() and existing["failed_at"] is not None
            if set_aside and not retry:
                return self._refused(existing, name, actor, channel, _last_reason(existing))
            # Stored earlier but never finished (a crash, or an earlier failure): finish it now.
            if set_aside:
                repo.reset_reading_attempts(conn, existing["sha256"])
            return self._hand_on(conn, document_id, iso(self._core.clock.now()))
        # Filed already, or being read right now by this or another process (the same
        # bytes arriving through two channels at once): this arrival is a duplicate.
        repo.record_duplicate(
            conn,
            {
                "document_id": document_id,
                "original_filename": name,
                "source": shown,
                "channel": channel,
                "actor": actor.name,
                "at": iso(self._core.clock.now()),
            },
        )
        self._core.audit.record(actor, "duplicate", document_id, details={"filename": name, "channel": channel})
        return Kept(None, duplicate_of=document_id)

    def _hand_on(self, conn, document_id: int, now: str) -> Kept:
        """Claim a kept document's reading here, or with a queue give it a job (committed with the row, or neither)."""
        if self._queue is not None:
            self._queue.enqueue(conn, document_id)
            return Kept(document_id, queued=True)
        repo.claim_reading(conn, document_id, self._me, now)
        return Kept(document_id)

    def _refused(self, existing, name: str, actor: Actor, channel: str, reason: Message) -> Kept:
        """An arrival of known bytes that is not read again: its outcome is in the trail all the same."""
        self._core.audit.record(
            actor,
            "ingest_failed",
            existing["id"],
            details={"filename": name, "channel": channel, **failure_details(reason)},
        )
        return Kept(None, error=reason, sha256=existing["sha256"])

    # -- reading, with its limits --------------------------------------------------------

    def _attempts(self) -> int:
        return self._core.config.ingest.reading_attempts

    def _read_claimed(
        self,
        document_id: int,
        actor: Actor,
        shown: str | None,
        text_layers: tuple[str, ...] | None = None,
        work_dir: Path | None = None,
    ) -> IngestOutcome:
        """Read a document this process has claimed, again while a stopped reading may be retried; then file it."""
        with self._reading_lock:
            self._reading.add(document_id)
        try:
            return self._read_and_file(document_id, actor, shown, text_layers, work_dir)
        finally:
            with self._reading_lock:
                self._reading.discard(document_id)

    def _read_and_file(
        self,
        document_id: int,
        actor: Actor,
        shown: str | None,
        text_layers: tuple[str, ...] | None,
        work_dir: Path | None = None,
    ) -> IngestOutcome:
        row = _stored(self._core.db.read(), document_id)
        shown = shown or row["original_filename"]
        while True:
            if row["reading_attempts"] > self._attempts():
                return self._set_aside(row, actor, shown, _last_reason(row))
            try:
                understood, derivatives = self._read_and_understand(row, text_layers, work_dir)
                break
            except ReadingStopped as exc:
                if not exc.retry or row["reading_attempts"] >= self._attempts():
                    return self._set_aside(row, actor, shown, Message.of(exc))
                log.warning("%s: reading stopped (%s); trying once more", shown, exc)
                row = self._claim_again(row, str(exc))
            except IngestError as exc:
                self._mark_failed(document_id, Message.of(exc), actor)
                return IngestOutcome.failed(shown, exc, sha256=row["sha256"])
            except (CancelledError, ArchiveFault):
                self._release(document_id, uncount=True)  # a shutdown, a full disk: not this document's fault
                raise
            except BaseException:
                self._release(document_id, uncount=False)
                raise
        if not self._commit(row, understood.reading, understood.facts, actor, derivatives):
            log.warning("%s: filed meanwhile by another process; this reading is dropped", shown)
            # Its derivatives replaced the twin's files all the same: their hashes are what is there now.
            self._reader.record_derivatives(row["sha256"], derivatives)
            row = _stored(self._core.db.read(), document_id)
            return outcome_from_row(shown, "duplicate", row, duplicate_of=document_id)
        self._index.queue([document_id])
        return outcome_from_row(shown, "filed", _stored(self._core.db.read(), document_id))

    def _claim_again(self, row, reason: str):
        with self._core.db.atomic() as conn:
            repo.update_document(conn, row["id"], last_error=reason)
            repo.claim_reading(conn, row["id"], self._me, iso(self._core.clock.now()))
            return repo.get_document(conn, row["id"])

    def _release(self, document_id: int, uncount: bool) -> None:
        try:
            with self._core.db.atomic() as conn:
                repo.release_reading(conn, document_id, uncount)
        except Exception:  # the database itself failing: the claim dies with this process anyway
            log.exception("could not release the reading claim on document %s", document_id)

    def _set_aside(self, row, actor: Actor, shown: str, reason: Message) -> IngestOutcome:
        """Give up on a document whose readings were stopped: failed, out of the resume path, with its reason."""
        self._mark_failed(row["id"], reason, actor, stopped=True)
        log.error("%s: set aside after %d stopped reading(s): %s", shown, row["reading_attempts"], reason)
        return IngestOutcome.failed(shown, reason, sha256=row["sha256"])

    def _read_and_understand(
        self, row, text_layers: tuple[str, ...] | None, work_dir: Path | None = None
    ) -> tuple[Understood, tuple[StoredDerivative, ...]]:
        """The reading, and its derivatives stored (their hashes are recorded as it is filed).

        In `work_dir` when the caller gives one (and removes it), else in a work folder of its own.
        """
        store = self._core.store
        work = work_dir or store.temp_dir()
        try:
            understood = self._reader.understand(store.path_for(row["sha256"]), work, text_layers)
            return understood, self._reader.store_derivatives(row["sha256"], understood.reading)
        finally:
            if work_dir is None:
                shutil.rmtree(work, ignore_errors=True)

    # -- filing ------------------------------------------------------------------

    def _commit(
        self, row, reading: ReadResult, facts: Facts, actor: Actor, derivatives: tuple[StoredDerivative, ...] = ()
    ) -> bool:
        """Write the facts and state ``filed`` with its audit entry, and the hashes of its derivatives
        (one transaction: no document is filed without them); False when a twin filed it first."""
        core = self._core
        hints = FilingHints.from_json(row["hinted"])
        values, reasons = apply_hints(facts, hints)
        title = facts.title
        if hints.client_id or hints.document_type or hints.document_date:
            # Given facts decide the title as much as found ones do.
            knowledge = self._reader.knowledge()
            title = title_from_facts(
                knowledge.extraction,
                knowledge.registry,
                {k: (str(v) if v is not None else None) for k, v in values.items()},
            )
        now = iso(core.clock.now())
        with core.db.atomic() as conn:
            filed = repo.mark_filed(
                conn,
                row["id"],
                mime_type=reading.mime_type,
                pages=len(reading.pages),
                ocr=int(reading.ocr),
                ocr_confidence=mean_confidence(reading),
                title=title,
                needs_review=int(bool(reasons)),
                review_reasons=json.dumps(reasons),
                has_rendition=int(reading.searchable_pdf is not None),
                filed_at=now,
                updated_at=now,
                last_error=None,
                failed_at=None,
                reading_attempts=0,
                **{k: (str(v) if v is not None else None) for k, v in values.items()},
            )
            if not filed:
                return False
            repo.replace_pages(conn, row["id"], [_page_row(p) for p in reading.pages])
            repo.replace_facts(conn, row["id"], _evidence_rows(facts, hints))
            self._reader.note_derivatives(conn, row["sha256"], derivatives)
            retention_until = self._retention.refresh(conn, repo.get_document(conn, row["id"]))
            core.audit.record(
                actor,
                "file",
                row["id"],
                client_id=_client_of(values),
                details={
                    "document_type": values["document_type"],
                    "pages": len(reading.pages),
                    "ocr": reading.ocr,
                    "needs_review": bool(reasons),
                    "review_reasons": reasons,
                    "retention_until": retention_until,
                    "channel": row["channel"],
                },
            )
        return True

    def mark_failed(self, document_id: int, reason: Message, actor: Actor) -> None:
        """Leave a stored document unread with the reason (it is kept, and not read again by itself)."""
        self._mark_failed(document_id, reason, actor)

    def _mark_failed(self, document_id: int, reason: Message, actor: Actor, stopped: bool = False) -> None:
        """Record why a document was not filed; only stopped readings keep counting towards setting it aside."""
        now = iso(self._core.clock.now())
        with self._core.db.atomic() as conn:
            repo.update_document(conn, document_id, last_error=str(reason), failed_at=now, updated_at=now)
            if not stopped:
                repo.update_document(conn, document_id, reading_attempts=0)
            repo.release_reading(conn, document_id, uncount=False)
            self._core.audit.record(actor, "ingest_failed", document_id, details=failure_details(reason))

    def _failed(self, shown: str, reason: Message, actor: Actor, channel: str) -> IngestOutcome:
        log.warning("%s: not filed: %s", Path(shown).name, reason)
        self._core.audit.record(
            actor,
            "ingest_failed",
            details={"filename": Path(shown).name, **failure_details(reason), "channel": channel},
        )
        return IngestOutcome.failed(shown, reason)


def _stored(conn: sqlite3.Connection, document_id: int) -> sqlite3.Row:
    """Return a document row that must exist (this process stored it); raise StorageError if it is gone."""
    row = repo.get_document(conn, document_id)
    if row is None:
        raise StorageError("document.row_gone", "Document {id} is no longer in the database.", id=document_id)
    return row


def _client_of(values: dict[str, object]) -> str | None:
    """Return the client id among final fact values."""
    client = values.get("client_id")
    return str(client) if client is not None else None


# Channels where files arrive by themselves, retried by the archive on its own.
AUTOMATIC_CHANNELS = ("inbox", "mail")
CRASHED_BEFORE = Message(
    "reading.set_aside",
    "The archive stopped while reading this document more than once; it was set aside so "
    "that it cannot stop the archive again. Scan or save it again; if it keeps failing, tell the administrator.",
)


def _last_reason(row) -> Message:
    """Why a document's readings were stopped, as its row keeps it (the sentence), for setting it aside."""
    if not row["last_error"]:
        return CRASHED_BEFORE
    return Message("reading.stopped_reason", "{reason}", {"reason": row["last_error"]})


def check_regular_file(path: Path) -> None:
    """Refuse what is not an ordinary file before opening it: a pipe or device would block or never end."""
    mode = os.stat(path).st_mode  # a link given by name is followed: the clerk chose it
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(mode):
        raise NotAFile(
            "file.not_regular",
            "This is not an ordinary file (for example a pipe or a device); only documents can be filed.",
        )


def shown_path(path: Path) -> str:
    """Return a path as it may be stored and shown: valid UTF-8, any BSN masked.

    Scanners name files after whatever they read, and a BSN must never appear in
    a file name the archive shows; a name that is not valid UTF-8 keeps its
    readable parts.
    """
    raw = os.fsencode(path)
    return mask_bsns(raw.decode("utf-8", errors="replace"))


def shown_name(path: Path) -> str:
    """Return the file name part of ``shown_path``."""
    return shown_path(Path(path.name))


def _page_row(page) -> dict[str, object]:
    return {
        "number": page.number,
        "text": page.text,
        "ocr": int(page.ocr),
        "confidence": page.confidence,
        "rotated": page.rotated,
    }


def _evidence_rows(facts: Facts, hints: FilingHints) -> list[dict[str, object]]:
    rows: dict[str, dict[str, object]] = {
        fact.name: {
            "name": fact.name,
            "value": fact.value,
            "confidence": fact.confidence,
            "page": fact.page,
            "source_text": fact.source_text,
            "origin": "extracted",
        }
        for fact in facts.evidence
    }
    clash = client_clash(hints.client_id, facts)
    for name in _REASONS_SETTLED_BY:
        given = getattr(hints, name)
        if given is not None:
            # A contradicted client stays beside the one the document names, for the clerk to choose.
            key = GIVEN_CLIENT if name == "client_id" and clash is not None else name
            rows[key] = {
                "name": key,
                "value": str(given),
                "confidence": 1.0,
                "page": None,
                "source_text": "",
                "origin": "given",
            }
    for candidate in facts.client_candidates:
        seen = [{"kind": s.kind, "page": s.page, "text": mask_bsns(s.text)} for s in candidate.seen]
        rows[CANDIDATE_PREFIX + candidate.client_id] = {
            "name": CANDIDATE_PREFIX + candidate.client_id,
            "value": candidate.client_id,
            "confidence": candidate.score,
            "page": candidate.seen[0].page if candidate.seen else None,
            "source_text": json.dumps(seen, ensure_ascii=False),
            "origin": "extracted",
        }
    return list(rows.values())


class NotAFile(UnsupportedFormat):
    """A pipe, socket or device given to be filed."""


def failure_details(reason: Message) -> dict[str, object]:
    """Return what an ``ingest_failed`` audit entry keeps of the reason: its sentence, and it as a message.

    The sentence is what the trail always held; the message lets each language word it.
    """
    return {"reason": str(reason), "message": reason.as_json()}


def _os_reason(exc: OSError) -> Message:
    if isinstance(exc, FileNotFoundError):
        return Message("file.gone", "The file is no longer there; it was moved or deleted before it could be filed.")
    if isinstance(exc, IsADirectoryError):
        return Message("file.is_folder", "This is a folder, not a file.")
    if isinstance(exc, PermissionError):
        return Message("file.not_allowed", "The archive is not allowed to read this file; check its permissions.")
    return Message("file.unreadable", "The file could not be read ({problem}).", {"problem": exc.strerror or str(exc)})
