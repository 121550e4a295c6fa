"""Records management for one Archive: retention, legal holds, disposition, the audit
trail's checkpoints and reports, fixity rounds and evidence export.

Composed into the Archive as ``archive.records``; the CLI (``archive/cli_records.py``)
and the web app call it. Every method names the acting user and checks its role.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.audit import report as audit_report
from archive.records import export
from archive.access.actors import SYSTEM, Actor
from archive.audit.checkpoints import Checkpoint, CheckpointKey, CheckpointProblem, check_checkpoints, read_files, \
    write_file
from archive.clock import iso
from archive.records.disposition import Disposer, DispositionResult, DueDocument
from archive.errors import Conflict, InvalidInput, NotFound
from archive.records.holds import Hold, check_target, clean_reason, hold_from_row, pick_to_release
from archive.access.permissions import Permission, require
from archive.records.retention import compute_retention, latest_events, schedule_fingerprint
from storage import documents_repo
from storage import records_repo as repo
from storage.filestore import hash_file

if TYPE_CHECKING:
    from archive.records.fixity import FixityReport
    from archive.service import Archive

log = logging.getLogger(__name__)

DAILY = timedelta(days=1)
_SCHEDULE_KEY = "retention_schedule"
_LAST_FIXITY_KEY = "last_fixity_check"


class RecordsService:
    """Retention, holds, disposition, audit checkpoints and export for one archive."""

    def __init__(self, archive: "Archive") -> None:
        self._archive = archive
        self.disposer = Disposer(archive, self)
        home = archive.config.home
        self.key_path = home / archive.config.records.checkpoint_key_file
        self.checkpoint_folder = home / archive.config.records.checkpoint_folder
        self.certificates_folder = home / "certificates"
        self._recompute_if_schedule_changed()

    def initialise(self) -> None:
        """Create the checkpoint key (when absent) and the first checkpoint of a new home."""
        CheckpointKey.load(self.key_path, create=True)
        self.checkpoint()

    # -- retention ----------------------------------------------------------------

    def events_for(self, document_id: int | None, client_id: str | None) -> dict[str, date]:
        """Return the retention events (employment ended, dossier closed…) of a document or its client."""
        rows = repo.events_for(self._archive.db.read(), document_id, client_id)
        return latest_events((row["event"], row["happened_on"]) for row in rows)

    def refresh_retention(self, conn, row) -> str | None:
        """Recompute one document's retention date in the caller's transaction; return it."""
        rule = self._archive.config.records.retention.get(row["document_type"] or "")
        events = {}
        if rule is not None and rule.start == "event":  # only event rules need the (per-row) lookup
            rows = repo.events_for(conn, row["id"], row["client_id"])
            events = latest_events((r["event"], r["happened_on"]) for r in rows)
        received = date.fromisoformat(row["created_at"][:10])
        document_date = date.fromisoformat(row["document_date"]) if row["document_date"] else None
        decision = compute_retention(row["document_type"], document_date, received,
                                     self._archive.config.records.retention, events)
        until = decision.until.isoformat() if decision.until else None
        if (until, decision.rule) != (row["retention_until"], row["retention_rule"]):
            repo.set_retention(conn, row["id"], until, decision.rule)
        return until

    def recompute_retention(self, document_ids: Iterable[int] | None = None) -> list[int]:
        """Bring the retention dates of filed documents (all, or these) in line; return the changed ids."""
        changed = []
        with self._archive.db.atomic() as conn:
            for row in repo.filed_documents(conn, document_ids):
                if self.refresh_retention(conn, row) != row["retention_until"]:
                    changed.append(row["id"])
        return changed

    def _recompute_if_schedule_changed(self) -> None:
        fingerprint = schedule_fingerprint(self._archive.config.records.retention)
        if repo.get_value(self._archive.db.read(), _SCHEDULE_KEY) == fingerprint:
            return
        changed = self.recompute_retention()
        with self._archive.db.atomic() as conn:
            repo.set_value(conn, _SCHEDULE_KEY, fingerprint)
            if changed:
                self._archive.audit.record(SYSTEM, "retention_recomputed", details={
                    "schedule": fingerprint, "documents": len(changed)})
        if changed:
            log.info("The retention schedule changed: %d retention dates recomputed.", len(changed))

    def record_event(self, actor: Actor, event: str, happened_on: date,
                     document_id: int | None = None, client_id: str | None = None) -> list[int]:
        """Record an event that starts retention periods (e.g. employment ended); return changed ids."""
        require(actor, Permission.SCHEDULE)
        check_target(document_id, client_id)
        known = {rule.event for rule in self._archive.config.records.retention.values() if rule.event}
        if event not in known:
            raise InvalidInput(f"Unknown event '{event}'; the schedule knows: {', '.join(sorted(known)) or 'none'}.")
        with self._archive.db.atomic() as conn:
            repo.insert_event(conn, {"event": event, "document_id": document_id, "client_id": client_id,
                                     "happened_on": happened_on.isoformat(), "recorded_by": actor.name,
                                     "recorded_at": iso(self._archive.clock.now())})
            self._archive.audit.record(actor, "retention_event", document_id, client_id=client_id,
                                       details={"event": event, "happened_on": happened_on.isoformat()})
        ids = [document_id] if document_id is not None else repo.client_document_ids(self._archive.db.read(),
                                                                                        client_id)
        return self.recompute_retention(ids)

    # -- legal holds --------------------------------------------------------------

    def place_hold(self, actor: Actor, reason: str, document_id: int | None = None,
                   client_id: str | None = None, case_reference: str | None = None) -> Hold:
        """Put a document, or all of a client's documents (now and later), on legal hold."""
        require(actor, Permission.HOLD)
        check_target(document_id, client_id)
        reason = clean_reason(reason)
        archive = self._archive
        with archive.db.atomic() as conn:
            self._check_hold_target(conn, document_id, client_id)
            hold_id = repo.insert_hold(conn, {
                "document_id": document_id, "client_id": client_id, "reason": reason,
                "case_reference": (case_reference or "").strip() or None, "placed_by": actor.name,
                "placed_at": iso(archive.clock.now())})
            # An approval given before the hold must not count once the hold ends.
            targets = [document_id] if document_id is not None else repo.client_document_ids(conn, client_id)
            repo.clear_approvals(conn, targets)
            archive.audit.record(actor, "hold_add", document_id, client_id=client_id, details={
                "hold": hold_id, "reason": reason, "case": case_reference})
            return hold_from_row(repo.get_hold(conn, hold_id))

    def _check_hold_target(self, conn, document_id: int | None, client_id: str | None) -> None:
        if document_id is not None:
            row = documents_repo.get_document(conn, document_id)
            if row is None:
                raise NotFound(f"There is no document {document_id}.")
            if row["state"] == "disposed":
                raise Conflict(f"Document {document_id} was already destroyed under the retention schedule.")
        elif self._archive.clients.get(client_id) is None and not repo.client_known(conn, client_id):
            raise InvalidInput(f"There is no client with number {client_id}.")

    def release_hold(self, actor: Actor, reason: str, document_id: int | None = None, client_id: str | None = None,
                     case_reference: str | None = None, hold_id: int | None = None) -> list[Hold]:
        """Release a hold on a document or client (one; say which when several); return it."""
        require(actor, Permission.HOLD)
        reason = clean_reason(reason, "release")
        archive = self._archive
        with archive.db.atomic() as conn:
            if hold_id is not None and document_id is None and client_id is None:
                row = repo.get_hold(conn, hold_id)
                document_id, client_id = (row["document_id"], row["client_id"]) if row else (None, None)
                if row is None:
                    raise NotFound(f"There is no hold {hold_id}.")
            check_target(document_id, client_id)
            active = [hold_from_row(r) for r in repo.holds_on_target(conn, document_id, client_id)]
            chosen = pick_to_release(active, case_reference, hold_id)
            now = iso(archive.clock.now())
            for hold in chosen:
                repo.release_hold(conn, hold.id, actor.name, now, reason)
                archive.audit.record(actor, "hold_remove", document_id, client_id=client_id, details={
                    "hold": hold.id, "reason": reason, "case": hold.case_reference})
            return [hold_from_row(repo.get_hold(conn, hold.id)) for hold in chosen]

    def holds(self, actor: Actor, active_only: bool = True) -> list[Hold]:
        """Return the holds (active ones, or all) for the records page and `archive hold list`."""
        require(actor, Permission.VIEW)
        return [hold_from_row(row) for row in repo.list_holds(self._archive.db.read(), active_only)]

    def holds_for(self, document_id: int) -> list[dict[str, Any]]:
        """Return every hold on a document or its client (active and released), as dicts."""
        conn = self._archive.db.read()
        row = documents_repo.get_document(conn, document_id)
        client_id = row["client_id"] if row else None
        return [hold_from_row(r).to_json() for r in repo.holds_for_document(conn, document_id, client_id)]

    def is_held(self, document_id: int) -> bool:
        """Return whether any active hold keeps this document."""
        return repo.is_held(self._archive.db.read(), document_id)

    # -- disposition --------------------------------------------------------------

    def due(self, actor: Actor) -> list[DueDocument]:
        """Return what may be destroyed today (past retention, not held)."""
        require(actor, Permission.DISPOSE_PROPOSE)
        # Dates are kept in line at every change (filing, facts, events, schedule); only a
        # disposal run recomputes them all again before destroying anything.
        return self.disposer.due(self._archive.clock.now().date())

    def dispose(self, actor: Actor, approve: bool = False,
                progress: Callable[[int], None] | None = None) -> DispositionResult:
        """List what is due; with ``approve`` (a records manager), approve and destroy it."""
        return self.disposer.run(actor, approve, progress)

    def tombstone_for(self, document_id: int) -> dict[str, Any] | None:
        """Return what is kept of a destroyed document, with where its certificate is."""
        conn = self._archive.db.read()
        stone = repo.get_tombstone(conn, document_id)
        if stone is None:
            return None
        kept = {**dict(stone), "approved_by": json.loads(stone["approved_by"])}
        certificate = repo.get_certificate(conn, stone["certificate_id"]) if stone["certificate_id"] else None
        home = self._archive.config.home
        kept["certificate"] = ({"number": certificate["id"], "html": str(home / certificate["html_path"]),
                                "json": str(home / certificate["json_path"])} if certificate else None)
        return kept

    def certificates(self, actor: Actor) -> list[dict[str, Any]]:
        """Return every certificate of destruction (number, date, approvers, files)."""
        require(actor, Permission.DISPOSE_PROPOSE)
        return [dict(row) for row in repo.list_certificates(self._archive.db.read())]

    # -- audit trail: checkpoints, verification, reports ---------------------------

    def checkpoint(self, actor: Actor = SYSTEM) -> Checkpoint:
        """Sign the audit chain's head now and write it outside the database; return it."""
        require(actor, Permission.VERIFY)
        archive = self._archive
        with archive.db.atomic() as conn:
            # A new key only for the first checkpoint: a key that vanished later is a finding,
            # not something to paper over with a fresh one.
            key = CheckpointKey.load(self.key_path, create=repo.latest_checkpoint(conn) is None)
            head = repo.audit_head(conn)
            made = key.sign(Checkpoint(at=iso(archive.clock.now()), entries=head["entries"] if head else 0,
                                       head_seq=head["seq"] if head else 0,
                                       head_hash=head["hash"] if head else "0" * 64))
            path = write_file(self.checkpoint_folder, made)
            repo.insert_checkpoint(conn, {"at": made.at, "entries": made.entries, "head_seq": made.head_seq,
                                          "head_hash": made.head_hash, "signature": made.signature,
                                          "file": path.name})
        return made

    def checkpoint_if_due(self, now: datetime) -> Checkpoint | None:
        """Write a checkpoint when the last one is a day old (for the `archive run` loop)."""
        last = repo.latest_checkpoint(self._archive.db.read())
        if last is not None and now - datetime.fromisoformat(last["at"].replace("Z", "+00:00")) < DAILY:
            return None
        return self.checkpoint()

    def verify_checkpoints(self) -> list[CheckpointProblem]:
        """Return what is wrong between the signed checkpoints (files and rows) and the chain."""
        conn = self._archive.db.read()
        files = read_files(self.checkpoint_folder)
        names = {name for name, _ in files}
        problems = [CheckpointProblem(row["file"], "is recorded in the database but its file is gone")
                    for row in repo.list_checkpoints(conn) if row["file"] not in names]
        if not files:
            return problems
        try:
            public_key = CheckpointKey.load(self.key_path).public_key_hex()
        except Exception as exc:  # a missing or damaged key file is itself a finding
            return problems + [CheckpointProblem(self.key_path.name, str(exc).rstrip("."))]
        head = repo.audit_head(conn)
        return problems + check_checkpoints(files, public_key, lambda seq: repo.audit_entry(conn, seq),
                                            head["seq"] if head else 0)

    def verify_certificates(self) -> list[CheckpointProblem]:
        """Return certificates of destruction whose files are missing or changed."""
        problems = []
        for row in repo.list_certificates(self._archive.db.read()):
            for kind in ("html", "json"):
                path = self._archive.config.home / row[f"{kind}_path"]
                if not path.exists():
                    problems.append(CheckpointProblem(path.name, "it is missing", "Certificate of destruction"))
                elif hash_file(path)[0] != row[f"{kind}_sha256"]:
                    problems.append(CheckpointProblem(path.name, "it was altered", "Certificate of destruction"))
        return problems

    def verify_audit(self, actor: Actor = SYSTEM) -> dict[str, Any]:
        """Check the chain and the checkpoints; return a report (``ok`` false on any problem)."""
        return audit_report.verify_report(self._archive, self, actor)

    def audit_log(self, actor: Actor, **filters: Any) -> list[dict[str, Any]]:
        """Return audit entries by document, user, client, action and time (see audit_report)."""
        return audit_report.audit_log(self._archive, actor, **filters)

    def audit_csv(self, entries: list[dict[str, Any]]) -> str:
        """Return entries as CSV text (for the web's download and `archive audit log --csv`)."""
        return audit_report.to_csv(entries)

    def client_access_report(self, actor: Actor, client_id: str) -> dict[str, Any]:
        """Return who viewed or downloaded a client's documents, and when (NEN 7513)."""
        return audit_report.client_access_report(self._archive, actor, client_id)

    # -- fixity -------------------------------------------------------------------

    def fixity_if_due(self, now: datetime) -> "FixityReport | None":
        """Re-hash the store when the last check is a day old (for the `archive run` loop)."""
        archive = self._archive
        last = repo.get_value(archive.db.read(), _LAST_FIXITY_KEY)
        if last is not None and now - datetime.fromisoformat(last.replace("Z", "+00:00")) < DAILY:
            return None
        report = archive.verify_store(SYSTEM)
        with archive.db.atomic() as conn:
            repo.set_value(conn, _LAST_FIXITY_KEY, iso(now))
        for problem in report.problems:
            log.error("Fixity: %s", problem.sentence())
        return report

    def run_daily(self, now: datetime) -> dict[str, Any]:
        """Do what is due today (checkpoint, fixity round); never raises — failures go to the log."""
        done: dict[str, Any] = {}
        for name, duty in (("checkpoint", self.checkpoint_if_due), ("fixity", self.fixity_if_due)):
            try:
                done[name] = duty(now) is not None
            except Exception:  # a daily duty must not stop the watcher or the web server
                log.exception("The daily %s could not be done.", name)
                done[name] = False
        return done

    def start_daily_duties(self, stop: threading.Event, every_seconds: float = 3600.0) -> threading.Thread:
        """Start a thread that calls ``run_daily`` now and then every hour until ``stop`` is set."""

        def loop() -> None:
            while True:
                self.run_daily(self._archive.clock.now())
                if stop.wait(every_seconds):
                    return

        thread = threading.Thread(target=loop, name="records-daily", daemon=True)
        thread.start()
        return thread

    def certificate_file(self, actor: Actor, number: int, kind: str = "html") -> Path:
        """Return the file of a certificate of destruction (``html`` or ``json``); raise NotFound."""
        require(actor, Permission.DISPOSE_PROPOSE)
        row = repo.get_certificate(self._archive.db.read(), number)
        if row is None or kind not in ("html", "json"):
            raise NotFound(f"There is no certificate of destruction number {number}.")
        return self._archive.config.home / row[f"{kind}_path"]

    def fixity_details(self, report: "FixityReport") -> list[dict[str, Any]]:
        """Return each fixity problem with the audit entry that last touched the document."""
        return audit_report.fixity_details(self._archive, report)

    # -- evidence export ----------------------------------------------------------

    def export(self, actor: Actor, out_dir: Path, client_id: str | None = None,
               query: str | None = None) -> export.ExportResult:
        """Write a BagIt evidence bag of a client's or a query's documents into ``out_dir``."""
        return export.export_bag(self._archive, self, actor, Path(out_dir), client_id, query)

    def export_zip(self, actor: Actor, zip_path: Path, client_id: str | None = None,
                   query: str | None = None) -> export.ExportResult:
        """Write the same bag as one zip file (for a download from the web)."""
        return export.export_zip(self._archive, self, actor, Path(zip_path), client_id, query)
