"""The inbox's pause while the archive itself cannot write, told in one log line and a state file.

The state file (``<home>/inbox-paused.json``) lets ``archive status`` and the inbox page,
in other processes, say why filing waits. A check runs every few seconds while paused;
the first one that passes resumes filing by itself.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from archive.errors import Message

log = logging.getLogger("archive.inbox.service")

CHECK_SECONDS = 5.0
STATE_FILE = "inbox-paused.json"


_STATE_BYTES = 4096  # written once at start, then overwritten in place: a full disk has no room for more


def paused_reason(home: Path) -> dict | None:
    """What a running watcher of this home says about its pause ({"reason", "message", "since"}), else None."""
    try:
        state = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and state.get("reason") else None


class Pause:
    """Whether filing waits for the archive, and the thread that looks when it may go on; thread-safe."""

    def __init__(
        self,
        home: Path,
        check: Callable[[], Message | None],
        resumed: Callable[[], None],
        check_seconds: float = CHECK_SECONDS,
    ) -> None:
        self._state = home / STATE_FILE
        self._check = check
        self._resumed = resumed
        self._check_seconds = check_seconds
        self._lock = threading.Lock()
        self._reason: Message | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return self._reason is not None

    @property
    def reason(self) -> Message | None:
        return self._reason

    def start(self) -> None:
        if self._reason is None:
            self._write_state(None)  # claims the state file's room while there is room
        self._thread = threading.Thread(target=self._loop, name="inbox-pause", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)
        self._forget_state()

    def begin(self, reason: Message) -> None:
        """Pause filing (once: later calls while paused only keep the first reason)."""
        with self._lock:
            if self._reason is not None:
                return
            self._reason = reason
        log.warning("paused: %s Files stay in the inbox; filing resumes by itself when this is fixed.", reason)
        self._write_state(reason)
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._check_seconds)
            self._wake.clear()
            if self._reason is None or self._stopping.is_set():
                continue
            try:
                problem = self._check()
            except Exception:  # the check itself failing is one more sign the fault is there
                log.debug("the check for the archive's fault failed", exc_info=True)
                problem = self._reason
            if problem is None:
                with self._lock:
                    self._reason = None
                self._write_state(None)
                log.warning("resumed: the archive can file again.")
                self._resumed()

    def _write_state(self, reason: Message | None) -> None:
        """Overwrite the state file in place, padded to its first size (no new disk blocks needed).

        The reason is kept in English (`archive status`) and as its code and values, so the
        inbox page words it in the reader's language.
        """
        since = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        state = {"reason": str(reason), "message": reason.as_json(), "since": since} if reason else {}
        text = json.dumps(state).encode()[: _STATE_BYTES - 1]
        try:
            fd = os.open(self._state, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.pwrite(fd, text.ljust(_STATE_BYTES, b" "), 0)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:  # the log line and the running process still say it
            pass

    def _forget_state(self) -> None:
        try:
            self._state.unlink()
        except OSError:
            pass
