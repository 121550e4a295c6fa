"""A node's search index following the database's change feed (several nodes, one database).

Every change of a document row enters ``document_changes`` in commit order. Each node
reads what came after the last change it applied and brings those documents' entries
in line, so a document filed, changed or disposed through any node is found (or no
longer found) through every node within about ``follow_seconds``. The index stays a
cache: what it holds is always re-read from the database.

The index folder keeps the follower's position (``FOLLOWED``: the last change applied and
when it was last caught up), so `archive status` on the node tells its lag without
opening the index.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from storage import nodes_repo
from storage.database import Database

log = logging.getLogger(__name__)

POSITION_FILE = "FOLLOWED"


def lag_figures(last_change: int, applied: int, seconds_since_applied: float) -> dict[str, float]:
    """How far an index is behind (pure): changes not yet applied, since when, and whether it is behind at all."""
    behind = max(0, last_change - applied)
    return {
        "changes_behind": behind,
        "seconds_since_applied": round(max(0.0, seconds_since_applied), 1),
        "behind": behind > 0,
    }


def node_lag(db: Database, index_path: Path, now: float) -> dict[str, float] | None:
    """The lag of the index at ``index_path`` as its follower last wrote it down; None when it never followed."""
    try:
        position = json.loads((index_path / POSITION_FILE).read_text(encoding="utf-8"))
        applied, caught_up = int(position["applied"]), float(position["caught_up_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return lag_figures(nodes_repo.last_change(db.read()), applied, now - caught_up)


def describe_lag(lag: dict[str, float] | None) -> str:
    """The status line of a node's search index (pure)."""
    if lag is None:
        return "Search index     not following the database on this node yet (start archive serve)"
    age = lag["seconds_since_applied"]
    caught_up = f"{age:.0f} s" if age < 120 else f"{age / 60:.0f} min"
    behind = int(lag["changes_behind"])
    state = "up to date" if not behind else f"{behind} change{'s' if behind != 1 else ''} behind the database"
    return f"Search index     {state} (caught up {caught_up} ago)"


class IndexFollower:
    """Applies the change feed from ``start`` on to the index, on one background thread."""

    def __init__(
        self,
        db: Database,
        reindex: Callable[[Iterable[int]], None],
        start: int,
        seconds: float,
        index_path: Path | None = None,
    ) -> None:
        """``index_path``: the index folder where the position is written down after each round."""
        self._db = db
        self._reindex = reindex
        self._seconds = seconds
        self._applied = start
        self._applied_at = time.monotonic()
        self._position = index_path / POSITION_FILE if index_path is not None else None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-follower", daemon=True)
        self._thread.start()

    @property
    def applied(self) -> int:
        """The seq of the last change this node's index holds."""
        return self._applied

    def lag(self) -> dict[str, float]:
        """How far this node's index is behind the database: changes not yet applied, since when, and whether."""
        return lag_figures(nodes_repo.last_change(self._db.read()), self._applied, time.monotonic() - self._applied_at)

    def catch_up(self) -> int:
        """Apply every change committed so far; return how many were applied."""
        applied = 0
        while True:
            changes = nodes_repo.changes_after(self._db.read(), self._applied)
            if not changes:
                self._applied_at = time.monotonic()
                self._write_position()
                return applied
            self._reindex(sorted({document_id for _, document_id in changes}))
            self._applied = changes[-1][0]
            applied += len(changes)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _write_position(self) -> None:
        # A cache's note, rewritten every round: replaced atomically, not synced to disk.
        if self._position is None:
            return
        temporary = self._position.with_name(f".{POSITION_FILE}.{os.getpid()}")
        try:
            temporary.write_text(json.dumps({"applied": self._applied, "caught_up_at": time.time()}), encoding="utf-8")
            os.replace(temporary, self._position)
        except OSError as exc:  # the index folder unwritable: the searches themselves are unaffected
            log.warning("Could not note the search index's position in %s: %s", self._position, exc)

    def _run(self) -> None:
        while not self._stop.wait(self._seconds):
            try:
                self.catch_up()
            except Exception:  # the database away for a moment: the next round catches up
                log.exception("The search index could not follow the change feed")
