"""A node's search index following the database's change feed (several nodes, one database).

Every change of a document row enters ``document_changes`` in commit order. Each node
reads what came after the last change it applied and brings those documents' entries
in line, so a document filed, changed or disposed through any node is found (or no
longer found) through every node within about ``follow_seconds``. The index stays a
cache: what it holds is always re-read from the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from storage import nodes_repo
from storage.database import Database

log = logging.getLogger(__name__)


class IndexFollower:
    """Applies the change feed from ``start`` on to the index, on one background thread."""

    def __init__(self, db: Database, reindex: Callable[[Iterable[int]], None], start: int, seconds: float) -> None:
        self._db = db
        self._reindex = reindex
        self._seconds = seconds
        self._applied = start
        self._applied_at = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-follower", daemon=True)
        self._thread.start()

    @property
    def applied(self) -> int:
        """The seq of the last change this node's index holds."""
        return self._applied

    def lag(self) -> dict[str, float]:
        """How far this node's index is behind the database: changes not yet applied, and since when."""
        behind = nodes_repo.last_change(self._db.read()) - self._applied
        return {
            "changes_behind": max(0, behind),
            "seconds_since_applied": round(time.monotonic() - self._applied_at, 1),
        }

    def catch_up(self) -> int:
        """Apply every change committed so far; return how many were applied."""
        applied = 0
        while True:
            changes = nodes_repo.changes_after(self._db.read(), self._applied)
            if not changes:
                self._applied_at = time.monotonic()
                return applied
            self._reindex(sorted({document_id for _, document_id in changes}))
            self._applied = changes[-1][0]
            applied += len(changes)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._seconds):
            try:
                self.catch_up()
            except Exception:  # the database away for a moment: the next round catches up
                log.exception("The search index could not follow the change feed")
