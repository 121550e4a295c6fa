"""When a long-running process writes checkpoints: on a timer, every N entries, at clean stop.

`archive run`, `serve` and `watch` each run one of these beside their work. A
checkpoint is written only when the trail grew since the newest one (by any process
on the home), so an idle archive does not fill its folder; every N entries this
process appends wake it at once instead of at the next tick.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class CheckpointSchedule:
    """A thread that writes a checkpoint every ``minutes`` and every ``entries`` new entries."""

    def __init__(
        self, checkpoint: Callable[[], object], entries_since: Callable[[], int], minutes: float, entries: int
    ) -> None:
        """``checkpoint`` writes one; ``entries_since`` says how far the trail is past the newest one."""
        self._checkpoint = checkpoint
        self._entries_since = entries_since
        self._interval = max(minutes * 60.0, 0.01)
        self._entries = max(entries, 1)
        self._appended = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def appended(self, _head_seq: int) -> None:
        """Count an entry this process committed (the audit trail calls this)."""
        with self._lock:
            self._appended += 1
            if self._appended >= self._entries:
                self._wake.set()

    def start(self) -> None:
        """Start the thread."""
        self._thread = threading.Thread(target=self._run, name="audit-checkpoints", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the thread; the last checkpoint is written on the way out when the trail grew."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            self._write_if_grown(at_least=1)
        self._write_if_grown(at_least=1)

    def _write_if_grown(self, at_least: int) -> None:
        try:
            if self._entries_since() >= at_least:
                self._checkpoint()
        except Exception:  # a checkpoint that cannot be written must not stop the archive; verify will say
            log.exception("The audit checkpoint could not be written.")
        with self._lock:
            self._appended = 0
