"""The inbox watcher: notices files, waits until they are settled, hands them on once.

Three ways a file is noticed, because any one of them alone loses scans: file events
from watchdog (inotify, or a polling observer on network shares where events never
arrive), a sweep at start-up for what arrived while the archive was down, and a
periodic rescan for whatever an event missed. All three feed one de-duplicated set
of pending paths; a path handed to the listener stays "in flight" (and is never
handed again) until the listener releases it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path, PurePosixPath
from typing import Callable, Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from ingest.errors import Phrase
from ingest.inbox_paths import inside_inbox, relative_to_inbox, scan_inbox
from ingest.settings import IngestSettings
from ingest.stability import Decision, StabilityTracker

log = logging.getLogger(__name__)


class InboxListener(Protocol):
    """What the watcher tells about inbox files (implemented by archive.inbox)."""

    def arrived(self, path: Path, relative: PurePosixPath) -> None:
        """A new file was noticed."""

    def settled(self, path: Path, relative: PurePosixPath) -> bool:
        """The file is complete; return True to take it (then call release), False to hand it back."""

    def rejected(self, path: Path, relative: PurePosixPath, reason: Phrase) -> None:
        """The file will never be complete (or is no file at all); set it aside."""

    def vanished(self, path: Path, relative: PurePosixPath) -> None:
        """The file left the inbox before it was taken."""


class InboxWatcher:
    """Watches one inbox folder and hands each settled file to the listener exactly once."""

    def __init__(
        self,
        inbox: Path,
        settings: IngestSettings,
        listener: InboxListener,
        clock: Callable[[], float] = time.monotonic,
        native_observer: Callable[[], BaseObserver] = Observer,
    ) -> None:
        self.inbox = Path(os.path.abspath(inbox))
        self._settings = settings
        self._listener = listener
        self._clock = clock
        self._native_observer = native_observer
        self._tracker = StabilityTracker(settings)
        self._lock = threading.Lock()
        self._pending: dict[Path, PurePosixPath] = {}
        self._in_flight: set[Path] = set()
        self._folders_to_scan: set[Path] = set()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._observer: BaseObserver | None = None
        self._thread: threading.Thread | None = None
        self._next_rescan = 0.0
        self.observer_kind = "none"

    def start(self) -> None:
        """Start observing, sweep the inbox once, and start the settle loop."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        self._observer = self._start_observer()
        self.rescan()
        self._next_rescan = self._clock() + self._settings.rescan_seconds
        self._thread = threading.Thread(target=self._settle_loop, name="inbox-settle", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop observing and the settle loop; files not yet handed on stay in the inbox."""
        self._stopping.set()
        self._wake.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout)
        if self._thread is not None:
            self._thread.join(timeout)

    def release(self, path: Path) -> None:
        """Forget a handed-on path; if it is still in the inbox a later scan notices it again."""
        with self._lock:
            self._in_flight.discard(path)

    def notice(self, path: Path) -> None:
        """Consider ``path`` (from an event or a scan) for filing, unless ignored or known."""
        relative = relative_to_inbox(self.inbox, path)
        if relative is None or not inside_inbox(self.inbox, path):
            return
        with self._lock:
            if path in self._pending or path in self._in_flight:
                return
            self._pending[path] = relative
        self._listener.arrived(path, relative)
        self._wake.set()

    def notice_folder(self, folder: Path) -> None:
        """Queue a scan of a folder that appeared (moving a folder in sends no file events)."""
        with self._lock:
            self._folders_to_scan.add(folder)
        self._wake.set()

    def rescan(self) -> None:
        """Walk the whole inbox and notice every candidate (the sweep and the safety net)."""
        for entry in scan_inbox(self.inbox):
            self.notice(entry.path)

    def counts(self) -> tuple[int, int]:
        """Return (files waiting to settle, files handed on and not yet released)."""
        with self._lock:
            return len(self._pending), len(self._in_flight)

    def _start_observer(self) -> BaseObserver:
        handler = _EventHandler(self)
        if not self._settings.polling:
            try:
                observer = self._native_observer()
                observer.schedule(handler, str(self.inbox), recursive=True)
                observer.start()
                self.observer_kind = "native"
                return observer
            except OSError as exc:
                # e.g. inotify watch or instance limits reached: events are unavailable.
                log.warning("Native file events unavailable for %s (%s); polling instead.", self.inbox, exc)
        observer = PollingObserver(timeout=min(1.0, max(0.1, self._settings.settle_seconds / 2)))
        observer.schedule(handler, str(self.inbox), recursive=True)
        observer.start()
        self.observer_kind = "polling"
        return observer

    def _settle_loop(self) -> None:
        tick = min(0.5, max(0.05, self._settings.settle_seconds / 4))
        while not self._stopping.is_set():
            self._wake.wait(tick)
            self._wake.clear()
            try:
                self._settle_round()
            except Exception:  # the loop must survive anything one odd file does
                log.exception("Inbox settle round failed; continuing.")

    def _settle_round(self) -> None:
        if self._clock() >= self._next_rescan:
            self._next_rescan = self._clock() + self._settings.rescan_seconds
            self.rescan()
        with self._lock:
            folders, self._folders_to_scan = self._folders_to_scan, set()
            pending = list(self._pending.items())
        for folder in folders:
            for entry in scan_inbox(folder):
                self.notice(entry.path)
        for path, relative in pending:
            if self._stopping.is_set():
                return
            self._poll_one(path, relative)

    def _poll_one(self, path: Path, relative: PurePosixPath) -> None:
        verdict = self._tracker.poll(path, self._clock())
        if verdict.decision is Decision.WAIT:
            return
        with self._lock:
            self._pending.pop(path, None)
            self._in_flight.add(path)
        if verdict.decision is Decision.READY:
            if not self._listener.settled(path, relative):
                self.release(path)
            return
        try:
            if verdict.decision is Decision.GONE:
                self._listener.vanished(path, relative)
            elif verdict.refusal is not None:
                self._listener.rejected(path, relative, verdict.refusal)
        finally:
            self.release(path)


class _EventHandler(FileSystemEventHandler):
    """Turns watchdog events into notices; deletions need nothing (the tracker sees them)."""

    def __init__(self, watcher: InboxWatcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("deleted", "opened", "closed_no_write"):
            return
        raw = event.dest_path if event.event_type == "moved" else event.src_path
        path = Path(os.fsdecode(raw))
        if event.is_directory:
            if event.event_type in ("created", "moved"):
                self._watcher.notice_folder(path)
            return
        self._watcher.notice(path)
