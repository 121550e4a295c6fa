"""Fixity rounds: re-hash the store on demand and once a day, and say what last touched a loss."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, require
from archive.clock import iso
from archive.core import Core
from archive.records.fixity import FixityReport, check_originals
from storage import documents_repo
from storage import records_repo as repo

log = logging.getLogger(__name__)

DAILY = timedelta(days=1)
_LAST_FIXITY_KEY = "last_fixity_check"


class FixityRounds:
    """Checks that every stored original is still the bytes that were received."""

    def __init__(self, core: Core, check_derivatives: Callable[[Actor, Collection[int]], object] | None = None) -> None:
        self._core = core
        # The searchable PDFs and thumbnails, checked after the originals (those of a lost
        # original left out); given by the documents room, which can rebuild them.
        self._check_derivatives = check_derivatives

    def verify_store(self, actor: Actor = SYSTEM, progress: Callable[[int], None] | None = None) -> FixityReport:
        """Re-hash every stored original; report what is missing or altered (audited)."""
        require(actor, Permission.VERIFY)
        core = self._core
        expected = documents_repo.list_stored_hashes(core.db.read())
        report = check_originals(core.store, expected, progress)
        core.audit.record(actor, "verify", details={"checked": report.checked, "problems": len(report.problems)})
        return report

    def if_due(self, now: datetime) -> FixityReport | None:
        """Re-hash the store when the last check is a day old (for the `archive run` loop)."""
        core = self._core
        last = repo.get_value(core.db.read(), _LAST_FIXITY_KEY)
        if last is not None and now - datetime.fromisoformat(last.replace("Z", "+00:00")) < DAILY:
            return None
        report = self.verify_store(SYSTEM)
        with core.db.atomic() as conn:
            repo.set_value(conn, _LAST_FIXITY_KEY, iso(now))
        for problem in report.problems:
            log.error("Fixity: %s", problem.sentence())
        if self._check_derivatives is not None:
            self._check_derivatives(SYSTEM, {problem.document_id for problem in report.problems})
        return report

    def details(self, report: FixityReport) -> list[dict[str, Any]]:
        """Return each missing or altered original with the audit entry that last touched its document."""
        conn = self._core.db.read()
        details = []
        for problem in report.problems:
            last = repo.last_audit_for_document(conn, problem.document_id)
            touched = (
                f" Last audit entry about it: {last['seq']} ({last['action']} by {last['actor']}, {last['at']})."
                if last
                else " No audit entry mentions it."
            )
            details.append(
                {
                    "document_id": problem.document_id,
                    "sha256": problem.sha256,
                    "problem": problem.problem,
                    "sentence": problem.sentence() + touched,
                    "last_audit": (
                        {"seq": last["seq"], "at": last["at"], "actor": last["actor"], "action": last["action"]}
                        if last
                        else None
                    ),
                }
            )
        return details
