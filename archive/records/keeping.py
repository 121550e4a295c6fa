"""Keeping retention dates in line: at filing, fact changes, events and schedule changes.

``retention_until`` is derived, never typed: every change that can move it goes
through ``RetentionDates.refresh`` inside the caller's write transaction, and a
changed schedule recomputes every filed document when the archive opens.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, require
from archive.clock import iso
from archive.core import Core
from archive.errors import InvalidInput
from archive.records.holds import check_target
from archive.records.retention import latest_events, retention_for, schedule_fingerprint
from storage import records_repo as repo

log = logging.getLogger(__name__)

_SCHEDULE_KEY = "retention_schedule"


class RetentionDates:
    """Computes and stores the retention dates of one archive's documents."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def events_for(self, document_id: int | None, client_id: str | None) -> dict[str, date]:
        """Return the retention events (employment ended, dossier closed…) of a document or its client."""
        rows = repo.events_for(self._core.db.read(), document_id, client_id)
        return latest_events((row["event"], row["happened_on"]) for row in rows)

    def refresh(self, conn, row, cascade: bool = True) -> str | None:
        """Recompute one document's retention date in the caller's transaction; return it.

        A document in a dossier whose rule runs from its last change (medical records)
        changes that dossier: with ``cascade``, every other document of it — and of a
        dossier it was just moved out of — is recomputed too.
        """
        schedule = self._core.config.records.retention
        rule = schedule.get(row["document_type"] or "")
        events, changed = {}, None
        if rule is not None and rule.start == "event":  # only event rules need the (per-row) lookup
            rows = repo.events_for(conn, row["id"], row["client_id"])
            events = latest_events((r["event"], r["happened_on"]) for r in rows)
        if rule is not None and rule.start == "last_change":
            changed = self._dossier_changed(conn, row["client_id"], row["id"])
        decision = retention_for(row, schedule, events, changed)
        until = decision.until.isoformat() if decision.until else None
        if (until, decision.rule) != (row["retention_until"], row["retention_rule"]):
            repo.set_retention(conn, row["id"], until, decision.rule)
        if cascade and self._dossier_types():
            self._refresh_dossiers(conn, row["id"])
        return until

    def _dossier_types(self) -> frozenset[str]:
        return frozenset(
            name for name, rule in self._core.config.records.retention.items() if rule.start == "last_change"
        )

    def _dossier_changed(self, conn, client_id: str | None, document_id: int) -> date | None:
        last = repo.dossier_last_change(conn, client_id, document_id, self._dossier_types())
        return date.fromisoformat(last[:10]) if last else None

    def _refresh_dossiers(self, conn, document_id: int) -> list[int]:
        types = self._dossier_types()
        changed = []
        for client_id in sorted({client for client, kind in repo.dossiers_of(conn, document_id) if kind in types}):
            for other in repo.dossier_documents(conn, client_id, types):
                if other["id"] != document_id and self.refresh(conn, other, cascade=False) != other["retention_until"]:
                    changed.append(other["id"])
        return changed

    def recompute(self, document_ids: Iterable[int] | None = None) -> list[int]:
        """Bring the retention dates of filed documents (all, or these) in line; return the changed ids."""
        changed = []
        with self._core.db.atomic() as conn:
            # Every row is visited (no cascade); a dossier date is the same for each of its documents.
            for row in repo.filed_documents(conn, document_ids):
                if self.refresh(conn, row, cascade=document_ids is not None) != row["retention_until"]:
                    changed.append(row["id"])
        return changed

    def check_schedule(self) -> None:
        """Recompute every date when the schedule differs from the one last applied (at open)."""
        core = self._core
        fingerprint = schedule_fingerprint(core.config.records.retention)
        if repo.get_value(core.db.read(), _SCHEDULE_KEY) == fingerprint:
            return
        changed = self.recompute()
        with core.db.atomic() as conn:
            repo.set_value(conn, _SCHEDULE_KEY, fingerprint)
            if changed:
                core.audit.record(
                    SYSTEM, "retention_recomputed", details={"schedule": fingerprint, "documents": len(changed)}
                )
        if changed:
            log.info("The retention schedule changed: %d retention dates recomputed.", len(changed))

    def record_event(
        self, actor: Actor, event: str, happened_on: date, document_id: int | None = None, client_id: str | None = None
    ) -> list[int]:
        """Record an event that starts retention periods (e.g. employment ended); return changed ids."""
        require(actor, Permission.SCHEDULE)
        check_target(document_id, client_id)
        core = self._core
        known = {rule.event for rule in core.config.records.retention.values() if rule.event}
        if event not in known:
            raise InvalidInput(
                "retention.unknown_event",
                "Unknown event '{event}'; the schedule knows: {known}.",
                event=event,
                known=", ".join(sorted(known)) or "none",
            )
        with core.db.atomic() as conn:
            repo.insert_event(
                conn,
                {
                    "event": event,
                    "document_id": document_id,
                    "client_id": client_id,
                    "happened_on": happened_on.isoformat(),
                    "recorded_by": actor.name,
                    "recorded_at": iso(core.clock.now()),
                },
            )
            core.audit.record(
                actor,
                "retention_event",
                document_id,
                client_id=client_id,
                details={"event": event, "happened_on": happened_on.isoformat()},
            )
        if document_id is not None:
            return self.recompute([document_id])
        assert client_id is not None  # check_target: a document or a client
        return self.recompute(repo.client_document_ids(core.db.read(), client_id))
