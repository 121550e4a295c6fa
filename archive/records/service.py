"""Records management for one archive: retention, legal holds, disposition, the audit
trail's checkpoints and reports, fixity rounds and evidence export.

Composed into the Archive as ``archive.records`` from its parts (each in its own
module, each given only what it uses); the CLI and the web app call it. Every
method names the acting user and checks its role.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from datetime import date, datetime
from pathlib import Path
from typing import Any

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, require
from archive.audit import report as audit_report
from archive.audit.checkpointing import Checkpointer
from archive.audit.checkpoints import Checkpoint, CheckpointProblem, fingerprint, read_public_key
from archive.audit.schedule import CheckpointSchedule
from archive.audit.witness import Witness
from archive.clients import ClientService
from archive.core import Core
from archive.errors import Message, NotFound
from archive.records.disposition import Disposer, DispositionResult, DueDocument, tombstone, verify_certificates
from archive.records.export import DocumentSource, Exporter, ExportResult
from archive.records.fixity import FixityReport
from archive.records.fixity_rounds import FixityRounds
from archive.records.holds import Hold
from archive.records.keeping import RetentionDates
from archive.records.ledger import DocumentRowProblem, arrivals_from, check_rows
from archive.records.legal_holds import LegalHolds
from archive.records.modes import loose_paths, mode_problems
from storage import records_repo as repo

log = logging.getLogger(__name__)


class RecordsService:
    """Retention, holds, disposition, audit checkpoints, fixity and export for one archive."""

    def __init__(
        self,
        core: Core,
        clients: ClientService,
        retention: RetentionDates,
        holds: LegalHolds,
        documents: DocumentSource,
        on_destroyed: Callable[[list[int]], None],
        check_derivatives: Callable[[Actor, Collection[int]], object] | None = None,
    ) -> None:
        self._core = core
        self.retention = retention
        self.legal_holds = holds
        self.disposer = Disposer(core, retention, on_destroyed)
        self.checkpointer = Checkpointer(
            core.db, core.clock, core.config.records, core.config.audit, core.config.home, core.audit
        )
        self.fixity = FixityRounds(core, check_derivatives)
        self._exporter = Exporter(core, documents, self.checkpointer, clients)
        self.key_path = self.checkpointer.key_path
        self.checkpoint_folder = self.checkpointer.folder
        self.certificates_folder = self.disposer.certificates_folder

    def adopt(self, new_home: bool) -> None:
        """Pin the keys in the trail and start the checkpoint series, where not done yet (at open)."""
        self.checkpointer.adopt(new_home)

    def initialise(self) -> str | None:
        """Sign a checkpoint of the new home; return the checkpoint key's fingerprint (for the auditor)."""
        self.checkpointer.checkpoint()
        pinned = self.checkpointer.pinned_key()
        return fingerprint(pinned) if pinned else None

    # -- retention ----------------------------------------------------------------

    def events_for(self, document_id: int | None, client_id: str | None) -> dict[str, date]:
        """Return the retention events (employment ended, dossier closed…) of a document or its client."""
        return self.retention.events_for(document_id, client_id)

    def record_event(
        self, actor: Actor, event: str, happened_on: date, document_id: int | None = None, client_id: str | None = None
    ) -> list[int]:
        """Record an event that starts retention periods (e.g. employment ended); return changed ids."""
        return self.retention.record_event(actor, event, happened_on, document_id, client_id)

    # -- legal holds --------------------------------------------------------------

    def place_hold(
        self,
        actor: Actor,
        reason: str,
        document_id: int | None = None,
        client_id: str | None = None,
        case_reference: str | None = None,
    ) -> Hold:
        """Put a document, or all of a client's documents (now and later), on legal hold."""
        return self.legal_holds.place(actor, reason, document_id, client_id, case_reference)

    def release_hold(
        self,
        actor: Actor,
        reason: str,
        document_id: int | None = None,
        client_id: str | None = None,
        case_reference: str | None = None,
        hold_id: int | None = None,
    ) -> list[Hold]:
        """Release a hold on a document or client (one; say which when several); return it."""
        return self.legal_holds.release(actor, reason, document_id, client_id, case_reference, hold_id)

    def holds(self, actor: Actor, active_only: bool = True) -> list[Hold]:
        """Return the holds (active ones, or all) for the records page and `archive hold list`."""
        return self.legal_holds.listed(actor, active_only)

    def holds_for(self, document_id: int) -> list[dict[str, Any]]:
        """Return every hold on a document or its client (active and released), as dicts."""
        return self.legal_holds.for_document(document_id)

    def is_held(self, document_id: int) -> bool:
        """Return whether any active hold keeps this document."""
        return self.legal_holds.is_held(document_id)

    # -- disposition --------------------------------------------------------------

    def due(self, actor: Actor) -> list[DueDocument]:
        """Return what may be destroyed today (past retention, not held); the look is audited."""
        require(actor, Permission.DISPOSE_PROPOSE)
        # Dates are kept in line at every change (filing, facts, events, schedule); only a
        # disposal run recomputes them all again before destroying anything.
        due = self.disposer.due(self._core.clock.now().date())
        self._core.audit.record(actor, "records_view", details={"due": len(due)})
        return due

    def dispose(
        self,
        actor: Actor,
        approve: bool = False,
        progress: Callable[[int], None] | None = None,
        ids: Collection[int] | None = None,
        include_unconfirmed: Collection[int] = (),
    ) -> DispositionResult:
        """List what is due; with ``approve`` (a records manager), approve and destroy it (or only ``ids``).

        A document whose deciding facts were never confirmed (still in the review queue
        with its type or date unsure) is left alone unless named in ``include_unconfirmed``.
        """
        return self.disposer.run(actor, approve, progress, ids, include_unconfirmed)

    def tombstone_for(self, document_id: int) -> dict[str, Any] | None:
        """Return what is kept of a destroyed document, with where its certificate is."""
        return tombstone(self._core, document_id)

    def certificates(self, actor: Actor) -> list[dict[str, Any]]:
        """Return every certificate of destruction (number, date, approvers, files)."""
        require(actor, Permission.DISPOSE_PROPOSE)
        return [dict(row) for row in repo.list_certificates(self._core.db.read())]

    def certificate_file(self, actor: Actor, number: int, kind: str = "html") -> Path:
        """Return the file of a certificate of destruction (``html`` or ``json``); raise NotFound."""
        require(actor, Permission.DISPOSE_PROPOSE)
        row = repo.get_certificate(self._core.db.read(), number)
        if row is None or kind not in ("html", "json"):
            raise NotFound(
                "certificate.not_found", "There is no certificate of destruction number {number}.", number=number
            )
        return self._core.config.home / row[f"{kind}_path"]

    def verify_certificates(self) -> list[CheckpointProblem]:
        """Return certificates of destruction whose files are missing or changed."""
        return verify_certificates(self._core)

    # -- audit trail: checkpoints, verification, reports ---------------------------

    def checkpoint(self, actor: Actor = SYSTEM) -> Checkpoint:
        """Sign the audit chain's head now and write it outside the database; return it."""
        return self.checkpointer.checkpoint(actor)

    def checkpoint_if_due(self, now: datetime) -> Checkpoint | None:
        """Write a checkpoint when the last one is a day old."""
        return self.checkpointer.checkpoint_if_due(now)

    def checkpoint_schedule(self) -> CheckpointSchedule:
        """Return (not started) the timer that checkpoints a long-running process's trail."""
        settings = self._core.config.audit
        schedule = CheckpointSchedule(
            self.checkpointer.checkpoint,
            self.checkpointer.entries_since_last,
            settings.checkpoint_minutes,
            settings.checkpoint_entries,
        )
        self._core.audit.on_appended(schedule.appended)
        return schedule

    def verify_audit(
        self, actor: Actor = SYSTEM, public_key: Path | None = None, witness_dir: Path | None = None
    ) -> dict[str, Any]:
        """Check chain, seals, checkpoints and schema; return a report (``ok`` false on any problem).

        ``public_key`` is a file with the auditor's own copy of the checkpoint key;
        ``witness_dir`` a witness folder to compare with instead of the configured one.
        Raises IntegrityFailure when the key file cannot be read.
        """
        key = read_public_key(public_key) if public_key is not None else None
        witness = Witness(witness_dir) if witness_dir is not None else None
        return audit_report.verify_report(self._core.db, self._core.audit, self.checkpointer, actor, key, witness)

    def audit_findings(self) -> dict[str, Any]:
        """Return the audit trail's findings without recording the check (for `archive verify`)."""
        return audit_report.audit_findings(self._core.db, self._core.audit, self.checkpointer)

    def audit_log(self, actor: Actor, **filters: Any) -> list[dict[str, Any]]:
        """Return audit entries by document, user, client, action and time (see audit.report)."""
        return audit_report.audit_log(self._core.db, self._core.audit, actor, **filters)

    def audit_csv(self, entries: list[dict[str, Any]]) -> str:
        """Return entries as CSV text (for the web's download and `archive audit log --csv`)."""
        return audit_report.to_csv(entries)

    def client_access_report(self, actor: Actor, client_id: str) -> dict[str, Any]:
        """Return who viewed or downloaded a client's documents, and when (NEN 7513)."""
        return audit_report.client_access_report(self._core.db, self._core.audit, actor, client_id)

    # -- fixity -------------------------------------------------------------------

    def verify_store(self, actor: Actor = SYSTEM, progress: Callable[[int], None] | None = None) -> FixityReport:
        """Re-hash every stored original; report what is missing or altered."""
        return self.fixity.verify_store(actor, progress)

    def fixity_if_due(self, now: datetime) -> FixityReport | None:
        """Re-hash the store when the last check is a day old (for the `archive run` loop)."""
        return self.fixity.if_due(now)

    def check_document_rows(self) -> list[DocumentRowProblem]:
        """Return each document row deleted, changed or added outside the archive (against the trail)."""
        conn = self._core.db.read()
        return check_rows(
            arrivals_from(repo.arrival_entries(conn)),
            repo.document_fingerprints(conn),
            repo.tombstone_fingerprints(conn),
        )

    def mode_problems(self) -> list[Message]:
        """Return what in the home users other than the archive's own could read or enter."""
        config = self._core.config
        return mode_problems(config.home, loose_paths(config.home, config.inbox_path))

    def fixity_details(self, report: FixityReport) -> list[dict[str, Any]]:
        """Return each fixity problem with the audit entry that last touched the document."""
        return self.fixity.details(report)

    # -- daily duties -------------------------------------------------------------

    def run_daily(self, now: datetime) -> dict[str, Any]:
        """Do what is due today (the fixity round); never raises — failures go to the log.

        Checkpoints have their own schedule (``checkpoint_schedule``).
        """
        done: dict[str, Any] = {}
        for name, duty in (("fixity", self.fixity_if_due), ("database log", self._empty_database_log)):
            try:
                done[name] = duty(now) is not None
            except Exception:  # a daily duty must not stop the watcher or the web server
                log.exception("The daily %s could not be done.", name)
                done[name] = False
        return done

    def _empty_database_log(self, _now: datetime) -> bool | None:
        # After a disposal whose emptying another process's reader prevented (see Disposer).
        return True if self.disposer.empty_database_log() else None

    def start_daily_duties(self, stop: threading.Event, every_seconds: float = 3600.0) -> threading.Thread:
        """Start a thread that calls ``run_daily`` now and then every hour until ``stop`` is set."""

        def loop() -> None:
            while True:
                self.run_daily(self._core.clock.now())
                if stop.wait(every_seconds):
                    return

        thread = threading.Thread(target=loop, name="records-daily", daemon=True)
        thread.start()
        return thread

    # -- evidence export ----------------------------------------------------------

    def export(
        self,
        actor: Actor,
        out_dir: Path,
        client_id: str | None = None,
        query: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ExportResult:
        """Write a BagIt evidence bag of a client's or a query's documents into ``out_dir``."""
        return self._exporter.bag(actor, Path(out_dir), client_id, query, progress)

    def export_zip(
        self,
        actor: Actor,
        zip_path: Path,
        client_id: str | None = None,
        query: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ExportResult:
        """Write the same bag as one zip file (for a download from the web); ``progress`` gets (done, total)."""
        return self._exporter.bag_as_zip(actor, Path(zip_path), client_id, query, progress)
