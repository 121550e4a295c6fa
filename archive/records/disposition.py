"""Disposition: destroy documents past their retention date that no hold keeps.

Safety first, in this order: the due-and-not-held check is made again inside the
same write transaction (BEGIN IMMEDIATE, which serialises writers across processes)
that marks the document disposed — so a hold placed a moment earlier always wins —
and a database trigger refuses the state change under any active hold. Bytes are
removed only after that commit; a crash in between leaves a tombstone whose bytes
are still there, finished by the next run (and fixity never counts a disposed
document's original as missing).
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.audit.checkpoints import CheckpointProblem
from archive.clock import iso
from archive.core import Core
from archive.records.certificate import build_certificate, certificate_html, certificate_json
from archive.records.keeping import RetentionDates
from archive.records.retention import is_due
from storage import derivatives_repo, documents_repo
from storage import records_repo as repo
from storage.errors import StorageError
from storage.filestore import hash_file

log = logging.getLogger(__name__)


# Review reasons that put in doubt what decided a document's destruction: its type chose
# the rule, its date (or, for a dossier's rules, its client) started the period, and a
# page that could not be read well may have given either wrongly.
_TYPE_DOUBTS = frozenset({"no_type", "unsure_type", "low_ocr_confidence", "no_text", "no_ocr"})
_DATE_DOUBTS = frozenset({"no_date", "unsure_date"})
_CLIENT_DOUBTS = frozenset({"no_client", "ambiguous_client", "unsure_client", "client_contradicted"})
UNCONFIRMED = "facts not confirmed"


def unconfirmed_reasons(start: str | None, needs_review: bool, reasons: Iterable[str]) -> list[str]:
    """Return the review reasons that leave the facts deciding a destruction unconfirmed (pure).

    ``start`` is the rule's start (``document_date``, ``end_of_year``, ``event``,
    ``last_change``); a document no longer in the review queue was confirmed by a clerk.
    """
    if not needs_review:
        return []
    doubts = _TYPE_DOUBTS | (_CLIENT_DOUBTS if start in ("event", "last_change") else _DATE_DOUBTS)
    return [reason for reason in reasons if reason in doubts]


@dataclass(frozen=True)
class DueDocument:
    id: int
    retention_until: str
    rule: str | None
    title: str | None = None
    client_id: str | None = None
    document_type: str | None = None
    document_date: str | None = None
    original_filename: str | None = None
    # Why the facts that decided this destruction are unconfirmed (empty: confirmed).
    unconfirmed: tuple[str, ...] = ()
    approved_by: tuple[str, ...] = ()  # records managers who approved already (two approvals required)

    def to_json(self) -> dict[str, Any]:
        """The shape `archive dispose --json` promises (DESIGN.md); the rest is for the records page."""
        return {"id": self.id, "retention_until": self.retention_until, "rule": self.rule}


@dataclass
class DispositionResult:
    due: list[DueDocument] = field(default_factory=list)
    destroyed: list[int] = field(default_factory=list)
    awaiting_second_approval: list[int] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    certificate: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "due": [d.to_json() for d in self.due],
            "destroyed": self.destroyed,
            "awaiting_second_approval": self.awaiting_second_approval,
            "skipped": self.skipped,
            "certificate": self.certificate,
        }


def approval_decision(approvers: list[str], required: int) -> str:
    """Return ``destroy`` when enough different records managers approved, else ``await``."""
    return "destroy" if len(set(approvers)) >= required else "await"


class Disposer:
    """Lists what is due and, on approval, destroys it and keeps the evidence."""

    def __init__(self, core: Core, retention: RetentionDates, on_destroyed: Callable[[list[int]], None]) -> None:
        """``on_destroyed`` is told which documents lost their bytes (the index drops them)."""
        self._core = core
        self._retention = retention
        self._on_destroyed = on_destroyed
        self.certificates_folder = core.config.home / "certificates"

    def due(self, today: date) -> list[DueDocument]:
        """Return the filed documents past their retention date and under no hold, with what decided it."""
        conn = self._core.db.read()
        held = repo.held_document_ids(conn)
        approved: dict[int, list[str]] = {}
        for row in repo.awaiting_approval(conn):
            approved.setdefault(row["document_id"], []).append(row["approver"])
        return [
            self._due(row, tuple(approved.get(row["id"], ())))
            for row in repo.documents_past(conn, today.isoformat())
            if row["id"] not in held
        ]

    def _due(self, row, approved_by: tuple[str, ...]) -> DueDocument:
        return DueDocument(
            row["id"],
            row["retention_until"],
            row["retention_rule"],
            title=row["title"],
            client_id=row["client_id"],
            document_type=row["document_type"],
            document_date=row["document_date"],
            original_filename=row["original_filename"],
            unconfirmed=tuple(self._unconfirmed(row)),
            approved_by=approved_by,
        )

    def _unconfirmed(self, row) -> list[str]:
        rule = self._core.config.records.retention.get(row["retention_rule"] or "")
        return unconfirmed_reasons(
            rule.start if rule else None, bool(row["needs_review"]), json.loads(row["review_reasons"] or "[]")
        )

    def run(
        self,
        actor: Actor,
        approve: bool,
        progress: Callable[[int], None] | None = None,
        ids: Collection[int] | None = None,
        include_unconfirmed: Collection[int] = (),
    ) -> DispositionResult:
        """List what is due; with ``approve``, approve (and when enough approved, destroy) it.

        ``ids`` limits the approval to those documents (default: all that are due). A
        document whose deciding facts were never confirmed is approved only when its id
        is in ``include_unconfirmed`` too; otherwise it is skipped (``facts not confirmed``).
        """
        require(actor, Permission.DISPOSE_PROPOSE)
        if approve:
            require(actor, Permission.DISPOSE_APPROVE)
        self._retention.recompute()
        self.finish_pending()
        today = self._core.clock.now().date()
        result = DispositionResult(due=self.due(today))
        if not approve:
            # For the second records manager: what a first one already approved.
            result.awaiting_second_approval = sorted(item.id for item in result.due if item.approved_by)
            return result
        # Every id is checked again inside its own write transaction, listed or not: one
        # asked for that is held, not due or gone since the list was shown is skipped there.
        chosen = [item.id for item in result.due] if ids is None else sorted(set(ids))
        included = set(include_unconfirmed)
        for document_id in chosen:
            outcome = self._approve_one(document_id, actor, today, document_id in included)
            if outcome == "destroyed":
                result.destroyed.append(document_id)
                self._remove_bytes(document_id)
            elif outcome == "await":
                result.awaiting_second_approval.append(document_id)
            else:
                result.skipped.append({"id": document_id, "reason": outcome})
            if progress:
                progress(1)
        if result.destroyed:
            self._on_destroyed(result.destroyed)
        result.certificate = self.certify_pending()
        if result.destroyed:
            self.empty_database_log()
        return result

    def empty_database_log(self) -> bool:
        """Empty the database's write-ahead log, which still holds destroyed texts; False if not yet possible."""
        if self._core.db.truncate_wal():
            return True
        log.warning(
            "The database's write-ahead log could not be emptied after a disposal (another process is "
            "reading); it is tried again with the daily duties."
        )
        return False

    def _approve_one(self, document_id: int, actor: Actor, today: date, included: bool) -> str:
        core = self._core
        required = core.config.records.disposition_approvals
        with core.db.atomic() as conn:
            row = documents_repo.get_document(conn, document_id)
            if row is None or row["state"] != "filed":
                return "no longer filed"
            until = self._retention.refresh(conn, row)
            if until is None or not is_due(until, today):  # without a date it is never due
                return "not yet due"
            if repo.is_held(conn, document_id):
                return "on legal hold"
            if self._unconfirmed(row) and not included:
                return UNCONFIRMED
            now = iso(core.clock.now())
            repo.add_approval(conn, document_id, actor.name, until, now)
            names = repo.approvers(conn, document_id, until)
            if approval_decision(names, required) == "await":
                core.audit.record(
                    actor,
                    "dispose_approve",
                    document_id,
                    client_id=row["client_id"],
                    details={"retention_until": until, "approvals": len(names), "required": required},
                )
                return "await"
            self._mark_disposed(conn, row, until, names, now, actor)
            return "destroyed"

    def _mark_disposed(self, conn, row, until: str, names: list[str], now: str, actor: Actor) -> None:
        rule = self._core.config.records.retention.get(row["retention_rule"] or "")
        repo.insert_tombstone(
            conn,
            {
                "document_id": row["id"],
                "sha256": row["sha256"],
                "size": row["size"],
                "original_filename": row["original_filename"],
                "mime_type": row["mime_type"],
                "document_type": row["document_type"],
                "client_id": row["client_id"],
                "document_date": row["document_date"],
                "created_at": row["created_at"],
                "filed_at": row["filed_at"],
                "retention_until": until,
                "retention_rule": row["retention_rule"],
                "citation": rule.citation if rule else None,
                "approved_by": json.dumps(names),
                "disposed_at": now,
            },
        )
        repo.mark_disposed(conn, row["id"], now)
        self._core.audit.record(
            actor,
            "dispose",
            row["id"],
            client_id=row["client_id"],
            details={
                "sha256": row["sha256"],
                "retention_until": until,
                "rule": row["retention_rule"],
                "approved_by": names,
            },
        )

    def _remove_bytes(self, document_id: int) -> None:
        core = self._core
        stone = repo.get_tombstone(core.db.read(), document_id)
        if stone is None:  # written in the same disposal, just before
            raise StorageError(
                "disposal.no_tombstone", "Document {id} has no tombstone; its bytes are kept.", id=document_id
            )
        core.store.destroy(stone["sha256"])
        with core.db.atomic() as conn:
            derivatives_repo.forget(conn, stone["sha256"])
            repo.set_bytes_destroyed(conn, document_id, iso(core.clock.now()))

    def finish_pending(self) -> None:
        """Finish disposals a crash interrupted: remove leftover bytes, write missing certificates."""
        pending = repo.tombstones_pending(self._core.db.read())
        leftover = [stone["document_id"] for stone in pending if stone["bytes_destroyed_at"] is None]
        for document_id in leftover:
            self._remove_bytes(document_id)
        if leftover:
            self._on_destroyed(leftover)
        if pending:
            self.certify_pending()
            self.empty_database_log()

    def certify_pending(self) -> dict[str, Any] | None:
        """Write one certificate for every tombstone still without one; return its summary."""
        core = self._core
        stones = [s for s in repo.tombstones_pending(core.db.read()) if s["certificate_id"] is None]
        if not stones:
            return None
        with core.db.atomic() as conn:
            number = repo.next_certificate_id(conn)
            created = iso(core.clock.now())
            certificate = build_certificate(number, created, str(core.config.home), [dict(s) for s in stones])
            html_path, json_path = self._write_certificate(number, certificate)
            home = core.config.home
            # Stored relative to the home, so a restored or moved home still finds them.
            repo.insert_certificate(
                conn,
                {
                    "id": number,
                    "created_at": created,
                    "approved_by": json.dumps(certificate["approved_by"]),
                    "documents": json.dumps([s["document_id"] for s in stones]),
                    "html_path": str(html_path.relative_to(home)),
                    "html_sha256": hash_file(html_path)[0],
                    "json_path": str(json_path.relative_to(home)),
                    "json_sha256": hash_file(json_path)[0],
                },
            )
            repo.set_certificate(conn, [s["document_id"] for s in stones], number)
        return {
            "number": number,
            "html": str(html_path),
            "json": str(json_path),
            "documents": [s["document_id"] for s in stones],
        }

    def _write_certificate(self, number: int, certificate: dict[str, Any]) -> tuple[Path, Path]:
        folder = self.certificates_folder
        folder.mkdir(parents=True, exist_ok=True)
        base = folder / f"verklaring-van-vernietiging-{number:05d}"
        html_path, json_path = base.with_suffix(".html"), base.with_suffix(".json")
        _write_read_only(html_path, certificate_html(certificate))
        _write_read_only(json_path, certificate_json(certificate))
        return html_path, json_path


def tombstone(core: Core, document_id: int) -> dict[str, Any] | None:
    """Return what is kept of a destroyed document, with where its certificate is."""
    conn = core.db.read()
    stone = repo.get_tombstone(conn, document_id)
    if stone is None:
        return None
    kept = {**dict(stone), "approved_by": json.loads(stone["approved_by"])}
    certificate = repo.get_certificate(conn, stone["certificate_id"]) if stone["certificate_id"] else None
    home = core.config.home
    kept["certificate"] = (
        {
            "number": certificate["id"],
            "html": str(home / certificate["html_path"]),
            "json": str(home / certificate["json_path"]),
        }
        if certificate
        else None
    )
    return kept


def verify_certificates(core: Core) -> list[CheckpointProblem]:
    """Return certificates of destruction whose files are missing or changed."""
    problems = []
    for row in repo.list_certificates(core.db.read()):
        for kind in ("html", "json"):
            path = core.config.home / row[f"{kind}_path"]
            if not path.exists():
                problems.append(CheckpointProblem(path.name, "it is missing", "Certificate of destruction"))
            elif hash_file(path)[0] != row[f"{kind}_sha256"]:
                problems.append(CheckpointProblem(path.name, "it was altered", "Certificate of destruction"))
    return problems


def _write_read_only(path: Path, text: str) -> None:
    # Evidence is written once: read-only, fsynced, renamed into place.
    temp = path.with_suffix(path.suffix + ".part")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp, stat.S_IRUSR)
    os.replace(temp, path)
