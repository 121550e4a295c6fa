"""The inbox at work: settled files are filed by a pool of workers, then let go.

The watcher (``ingest.watcher``) hands each settled file over once. A bounded queue
feeds ``ingest.workers`` filing threads that call ``Archive.ingest``; the Archive
serialises commits and the shared OCR runner bounds Tesseract. A file leaves the
inbox only after its document is committed and its bytes are in the store; what
cannot be filed moves to ``failed/`` with a note saying why.

Crash safety rests on three facts: the store and the ``received`` row come before
any reading; every taking is written down before filing (``inbox_events``); and a
file whose bytes are already a document filed *from this very inbox path* and never
let go is the same filing interrupted — it is completed, not called a duplicate.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import queue
import threading
import time
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Callable, Protocol

from archive.access.actors import SYSTEM, Actor
from archive.clock import iso
from archive.core import Core
from archive.documents.faults import ArchiveFault, fault_of_archive
from archive.documents.filing import FilingHints, shown_path
from archive.documents.reading import MIN_BATCH_FOR_WORKERS
from archive.documents.views import IngestOutcome, summarize
from archive.errors import Conflict, InvalidInput, Message, Templated
from archive.inbox.faults import check_writable
from archive.inbox.notes import write_note
from archive.inbox.pause import Pause
from archive.wording import office_wording
from ingest.errors import Phrase
from ingest.inbox_paths import FAILED_FOLDER, folder_hints, free_name
from ingest.values import mask_bsns
from ingest.watcher import InboxWatcher
from storage import documents_repo, inbox_repo
from storage.filestore import hash_file


class FilingArchive(Protocol):
    """What the inbox needs of the archive it files into."""

    @property
    def core(self) -> Core: ...

    def ingest(self, path: Path, actor: Actor, hints: FilingHints, channel: str) -> IngestOutcome: ...

    def ingest_all(self, path: Path, actor: Actor, hints: FilingHints, channel: str) -> list[IngestOutcome]: ...

    def resume_unfinished(self, actor: Actor) -> list[IngestOutcome]: ...

    def reading_in_processes(
        self, processes: int, setup: Callable[[], None] | None = None
    ) -> AbstractContextManager[None]: ...


log = logging.getLogger(__name__)

INTERNAL_ERROR = Message(
    "inbox.internal_error",
    "The archive could not file this document because of an internal error (details are "
    "in the archive log). Move the file back into the inbox to try again; if it fails again, tell the "
    "administrator.",
)
STOPPED = Message("inbox.stopped", "Filing was stopped before it was done; the file is filed at the next start.")


def _with_folder_advice(reason: Templated) -> Message:
    """Return a refused folder hint with the advice to move the file (the hint came from its folders)."""
    return Message(
        "inbox.folder_advice",
        "{reason} The folders a file sits in set its client number or document "
        "type: move it to the right folder, or straight into the inbox.",
        {"reason": Message.of(reason)},
    )


def watch_lock_path(home: Path) -> Path:
    """Return the lock file a running watcher holds."""
    return home / "watch.lock"


def heartbeat_path(home: Path) -> Path:
    return home / "watch.heartbeat"


# A running watcher touches its heartbeat file this often; the inbox page shows its age.
HEARTBEAT_SECONDS = 10.0


# A heartbeat older than this many beats means the watcher holds the inbox but no longer
# turns (hung, stopped, its disk full): files wait although the lock says it runs.
STALE_BEATS = 3


def watcher_state(running: bool, heartbeat_age_seconds: float | None) -> str:
    """Return ``alive``, ``stale`` (holds the inbox, no recent sign of life) or ``stopped`` (pure)."""
    if not running:
        return "stopped"
    if heartbeat_age_seconds is not None and heartbeat_age_seconds > STALE_BEATS * HEARTBEAT_SECONDS:
        return "stale"
    return "alive"  # a watcher that has just started has not beaten yet


def last_heartbeat(home: Path) -> float | None:
    """Return when a watcher last said it was alive (seconds since the epoch), or None."""
    try:
        return heartbeat_path(home).stat().st_mtime
    except OSError:
        return None


def watcher_running(home: Path) -> bool:
    """Return True when a watcher process holds this home's watch lock."""
    try:
        handle = open(watch_lock_path(home))
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@dataclass(frozen=True)
class _Work:
    path: Path
    relative: PurePosixPath
    arrived: float  # monotonic


class InboxService:
    """Files what the watcher hands over; one per archive process."""

    def __init__(
        self,
        archive: FilingArchive,
        actor: Actor = SYSTEM,
        clock: Callable[[], float] = time.monotonic,
        reading_setup: Callable[[], None] | None = None,
    ) -> None:
        """`reading_setup` runs first in each reading worker process (logging), if a burst starts them."""
        self._archive = archive
        self._core = archive.core
        self._reading = ExitStack()
        self._reading_considered = False
        self._reading_setup = reading_setup
        self._actor = actor
        self._clock = clock
        self._settings = archive.core.config.ingest
        self.inbox = archive.core.config.inbox_path
        self.workers = self._settings.workers or os.cpu_count() or 1
        self._queue: queue.Queue[_Work] = queue.Queue(maxsize=self._settings.queue_size or 4 * self.workers)
        self._arrivals: dict[Path, float] = {}
        self._unwritten_arrivals: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._failed_lock = threading.Lock()
        self._stopping = threading.Event()
        self._last_beat = -HEARTBEAT_SECONDS
        self._threads: list[threading.Thread] = []
        self._lock_file: IO[str] | None = None
        # The note beside a file set aside is for the office's clerks: in the office's language.
        self._wording = office_wording(archive.core.config.web.default_language)
        self.watcher = InboxWatcher(self.inbox, self._settings, self)
        self.pause = Pause(self._core.config.home, lambda: check_writable(self._core), self._resumed)

    # -- life cycle -------------------------------------------------------------

    def start(self) -> None:
        """Settle what a previous run left, then start the workers and the watcher (with its sweep).

        Raises Conflict when another process already watches this inbox.
        """
        self._hold_watch_lock()
        problem = check_writable(self._core)  # inbox/failed a file, a full disk: pause, do not refuse to start
        if problem is not None:
            self.pause.begin(problem)
        # One reading worker ready (with the log set up in it); a burst starts the others.
        self._reading.enter_context(self._archive.reading_in_processes(1, self._reading_setup))
        self._recover_open_takes()
        if not self.pause.active:
            try:
                for outcome in self._archive.resume_unfinished(self._actor):
                    log.info("resumed: document #%s %s", outcome.id, outcome.status)
            except ArchiveFault as exc:
                self.pause.begin(Message.of(exc))
        for number in range(self.workers):
            thread = threading.Thread(target=self._work_loop, name=f"inbox-filer-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)
        self.watcher.start()
        self.pause.start()
        log.info("watching %s (%s events, %d workers)", self.inbox, self.watcher.observer_kind, self.workers)

    def stop(self) -> bool:
        """Stop taking files; hand back what is queued; let work in progress finish within the grace time.

        Returns False when some filing was still running at the deadline (it resumes
        from the store at the next start).
        """
        self._stopping.set()
        self.pause.stop()
        self.watcher.stop()
        self._hand_back_queued()
        self._write_arrivals()
        deadline = self._clock() + self._settings.stop_grace_seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - self._clock()))
        finished = not any(thread.is_alive() for thread in self._threads)
        self._reading.close()
        if self._lock_file is not None:
            self._lock_file.close()  # closing releases the lock
            self._lock_file = None
        log.info("stopped watching %s%s", self.inbox, "" if finished else " (filing still running was left to resume)")
        return finished

    def _beat(self) -> None:
        # The lock says a process holds the inbox; the heartbeat says its workers still turn.
        now = time.monotonic()
        if now - self._last_beat < HEARTBEAT_SECONDS:
            return
        self._last_beat = now
        path = heartbeat_path(self._core.config.home)
        try:
            path.touch()
        except OSError as exc:
            log.warning("cannot write the watcher's heartbeat %s: %s", path, exc)

    def _hold_watch_lock(self) -> None:
        # Two watchers on one inbox would take the same files; the lock dies with the process.
        handle = open(watch_lock_path(self._core.config.home), "a+")
        for _ in range(20):  # `archive status` holds it shared for a moment
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._lock_file = handle
                return
            except BlockingIOError:
                time.sleep(0.1)
        handle.close()
        raise Conflict(
            "inbox.watched_elsewhere",
            "Another archive process is already watching {inbox}; stop it first.",
            inbox=self.inbox,
        )

    def _hand_back_queued(self) -> None:
        while True:
            try:
                work = self._queue.get_nowait()
            except queue.Empty:
                return
            self.watcher.release(work.path)

    # -- the watcher's listener -------------------------------------------------

    def arrived(self, path: Path, relative: PurePosixPath) -> None:
        """Note the arrival time (for durations) and log it; the event is written with the next batch."""
        at = iso(self._core.clock.now())
        with self._lock:
            first = path not in self._arrivals
            self._arrivals.setdefault(path, self._clock())
            if not self.pause.active or first:
                self._unwritten_arrivals.append((_text(relative), at))
        if not self.pause.active:  # while paused every rescan notices the waiting files again
            log.info("arrived: %s", _shown(relative))

    def _write_arrivals(self) -> None:
        # A burst of hundreds of files arrives at once: one transaction for all, not one each.
        if self.pause.active:
            return  # the database may be what cannot be written; they are written after
        with self._lock:
            batch, self._unwritten_arrivals = self._unwritten_arrivals, []
        if batch:
            try:
                with self._core.db.atomic() as conn:
                    for relative, at in batch:
                        inbox_repo.record_arrival(conn, relative, at)
            except Exception as exc:
                fault = fault_of_archive(exc)
                if fault is None:
                    raise
                with self._lock:
                    self._unwritten_arrivals[:0] = batch
                self.pause.begin(fault)

    def settled(self, path: Path, relative: PurePosixPath) -> bool:
        """Queue a settled file for a worker; waits while the queue is full (back-pressure)."""
        if self.pause.active:
            return False  # left in the inbox, handed on again once the archive can file
        self._write_arrivals()
        with self._lock:
            arrived = self._arrivals.get(path, self._clock())
        work = _Work(path, relative, arrived)
        while not self._stopping.is_set():
            try:
                self._queue.put(work, timeout=0.2)
                self._read_in_processes_when_busy()
                return True
            except queue.Full:
                continue
        return False

    def _read_in_processes_when_busy(self) -> None:
        # A burst (a scanner's batch, a folder copied in) is read in worker processes, one
        # per core; the usual trickle of single scans never needs them.
        backlog = min(MIN_BATCH_FOR_WORKERS, self._queue.maxsize or MIN_BATCH_FOR_WORKERS)
        with self._lock:
            if self._reading_considered or self._queue.qsize() < backlog:
                return
            self._reading_considered = True
        processes = self._settings.reading_processes or os.cpu_count() or 1
        if processes > 1:
            log.info("a burst of files: reading in %d worker processes from now on", processes)
            self._reading.enter_context(self._archive.reading_in_processes(processes, self._reading_setup))

    def _resumed(self) -> None:
        """The archive can file again: write what waited and look at the whole inbox now."""
        self._write_arrivals()
        self.watcher.rescan()

    def rejected(self, path: Path, relative: PurePosixPath, reason: Phrase) -> None:
        """Set aside a file that will never be complete (or is not a file)."""
        self._write_arrivals()
        self._forget_arrival(path)
        self._set_aside(path, relative, Message.of(reason), take_id=None, seconds=None)

    def vanished(self, path: Path, relative: PurePosixPath) -> None:
        """Note a file that left before it was taken."""
        self._write_arrivals()
        self._forget_arrival(path)
        log.info("vanished: %s (removed before it was taken)", _shown(relative))
        self._record(lambda conn, at: inbox_repo.record_end(conn, None, _text(relative), "vanished", at))

    # -- filing -----------------------------------------------------------------

    def _work_loop(self) -> None:
        while not self._stopping.is_set():
            self._beat()
            try:
                work = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                if self._stopping.is_set() or self.pause.active:
                    continue
                self._file_one(work)
            except Exception as exc:  # a worker must survive anything one file does
                fault = fault_of_archive(exc)
                if fault is not None:  # the archive's own: the file stays where it is
                    self.pause.begin(fault)
                    continue
                log.exception("filing %s failed unexpectedly", _shown(work.relative))
                self._set_aside_after_error(work)
            finally:
                self._forget_arrival(work.path)
                self.watcher.release(work.path)

    def _set_aside_after_error(self, work: _Work) -> None:
        # Without this, the next rescan would take the file again and fail the same way, forever.
        if self._stopping.is_set() or not os.path.lexists(work.path):
            return
        try:
            self._set_aside(work.path, work.relative, INTERNAL_ERROR, None, None)
        except Exception as exc:
            fault = fault_of_archive(exc)
            if fault is not None:
                self.pause.begin(fault)
            else:
                log.exception("could not set %s aside", _shown(work.relative))

    def _file_one(self, work: _Work) -> None:
        if not _is_utf8(work.path.name):
            self._rename_readable(work)
            return
        taken = self._clock()
        try:
            before = os.lstat(work.path)
            sha256, _ = hash_file(work.path)
        except FileNotFoundError:
            self.vanished(work.path, work.relative)
            return
        except OSError as exc:
            self._set_aside(work.path, work.relative, _unreadable(exc), None, None)
            return
        take_id = self._record(
            lambda conn, at: inbox_repo.record_take(conn, _text(work.relative), sha256, at, taken - work.arrived)
        )
        log.info("taken: %s after %.1f s", _shown(work.relative), taken - work.arrived)
        outcome = self._ingest(work, sha256)
        if self._stopping.is_set() and outcome.status == "failed":
            # Likely the stop itself (OCR workers ended): try again at the next start.
            self._end(take_id, work, "handed_back", taken, reason="stopped while filing")
            return
        if outcome.status == "failed":
            self._set_aside(work.path, work.relative, outcome.failure or INTERNAL_ERROR, take_id, self._clock() - taken)
            return
        if outcome.status == "received":  # kept, reading interrupted by a fault of the archive: try later
            self._end(take_id, work, "handed_back", taken, reason="the archive paused")
            return
        self._let_go(work, take_id, before, sha256, outcome, taken)

    def _rename_readable(self, work: _Work) -> None:
        """Give a name in a legacy encoding (old SMB shares) a readable one; it is then taken anew."""
        readable = os.fsencode(work.path.name).decode("cp1252", "replace")
        target = free_name(work.path.parent, readable)
        os.rename(work.path, target)
        log.info(
            "renamed: %s to %s (the name was not UTF-8)", _shown(work.relative), _shown(PurePosixPath(target.name))
        )

    def _ingest(self, work: _Work, sha256: str) -> IngestOutcome:
        interrupted = self._interrupted_filing(work.path, sha256)
        if interrupted is not None:
            log.info("completing: %s was filed as #%d before an interruption", _shown(work.relative), interrupted)
            return IngestOutcome(source=str(work.path), status="filed", id=interrupted, sha256=sha256)
        client_id, document_type = folder_hints(work.relative, self._settings.folder_types)
        hints = FilingHints(client_id=client_id, document_type=document_type)
        try:
            # A stack or a message becomes several documents: the file goes once all are in.
            return summarize(self._archive.ingest_all(work.path, self._actor, hints, channel="inbox"), sha256)
        except InvalidInput as exc:
            return IngestOutcome.failed(str(work.path), _with_folder_advice(exc))
        except Exception as exc:
            if self._stopping.is_set():
                return IngestOutcome.failed(str(work.path), STOPPED)
            fault = fault_of_archive(exc)
            if fault is not None:
                self.pause.begin(fault)
                return IngestOutcome(source=str(work.path), status="received")
            log.exception("filing %s raised", _shown(work.relative))
            return IngestOutcome.failed(str(work.path), INTERNAL_ERROR)

    def _interrupted_filing(self, path: Path, sha256: str) -> int | None:
        """Return the document these bytes were filed as from this same inbox path, if never let go."""
        conn = self._core.db.read()
        row = documents_repo.find_by_sha256(conn, sha256)
        if row is None or row["state"] != "filed" or row["channel"] != "inbox" or row["source"] != shown_path(path):
            return None
        return None if inbox_repo.document_left_inbox(conn, row["id"]) else int(row["id"])

    def _let_go(
        self, work: _Work, take_id: int, before: os.stat_result, sha256: str, outcome: IngestOutcome, taken: float
    ) -> None:
        if not (_unchanged(work.path, before) and outcome.sha256 == sha256 and self._core.store.has(sha256)):
            # Replaced or rewritten while being filed: keep it; it is filed again as new bytes.
            log.warning("kept: %s changed while it was being filed; it will be taken again", _shown(work.relative))
            self._end(take_id, work, "handed_back", taken, reason="changed while filing")
            return
        try:
            os.unlink(work.path)
        except FileNotFoundError:
            pass
        if outcome.status == "filed":
            self._end(take_id, work, "filed", taken, document_id=outcome.id)
            log.info(
                "filed: %s as #%s in %.1f s (%.1f s after arrival)",
                _shown(work.relative),
                outcome.id,
                self._clock() - taken,
                self._clock() - work.arrived,
            )
        else:
            self._end(take_id, work, "duplicate", taken, document_id=outcome.duplicate_of)
            log.info("duplicate: %s of #%s, removed from the inbox", _shown(work.relative), outcome.duplicate_of)

    def _set_aside(
        self, path: Path, relative: PurePosixPath, reason: Message, take_id: int | None, seconds: float | None
    ) -> None:
        folder = self.inbox / FAILED_FOLDER
        with self._failed_lock:
            problem = check_writable(self._core) if not folder.is_dir() else None
            if problem is not None:
                raise ArchiveFault.of(problem)
            target = free_name(folder, path.name)
            try:
                os.rename(path, target)
            except FileNotFoundError:
                self.vanished(path, relative)
                return
            except OSError as exc:  # failed/ unwritable: the file stays in the inbox meanwhile
                _raise_fault(exc)
                raise ArchiveFault(
                    "inbox.failed_unwritable",
                    "{folder} cannot be written ({problem}): files that cannot be filed have nowhere to go.",
                    folder=str(folder),
                    problem=exc.strerror or str(exc),
                ) from exc
            try:
                write_note(target, relative, reason, self._core.clock.now(), self._wording)
            except OSError as exc:
                os.rename(target, path)  # never a file in failed/ without its note
                _raise_fault(exc)
                raise ArchiveFault(
                    "inbox.note_unwritable",
                    "The note for {name} cannot be written ({problem}).",
                    name=path.name,
                    problem=exc.strerror or str(exc),
                ) from exc
        took = f" after {seconds:.1f} s" if seconds is not None else ""
        log.warning("failed: %s%s: %s", _shown(relative), took, mask_bsns(str(reason)))
        self._record(
            lambda conn, at: inbox_repo.record_end(
                conn, take_id, _text(relative), "failed", at, seconds, reason=json.dumps(reason.as_json())
            )
        )

    # -- bookkeeping ------------------------------------------------------------

    def _end(
        self,
        take_id: int,
        work: _Work,
        event: str,
        taken: float,
        document_id: int | None = None,
        reason: str | None = None,
    ) -> None:
        seconds = self._clock() - taken
        self._record(
            lambda conn, at: inbox_repo.record_end(
                conn, take_id, _text(work.relative), event, at, seconds, document_id, reason
            )
        )

    def _record(self, write: Callable):
        with self._core.db.atomic() as conn:
            return write(conn, iso(self._core.clock.now()))

    def _forget_arrival(self, path: Path) -> None:
        with self._lock:
            self._arrivals.pop(path, None)

    def _recover_open_takes(self) -> None:
        """End the takings a previous run left open (it was killed mid-filing)."""
        conn = self._core.db.read()
        for take in inbox_repo.open_takes(conn):
            path = self.inbox / take["path"]
            row = documents_repo.find_by_sha256(conn, take["sha256"]) if take["sha256"] else None
            if os.path.lexists(path):
                event, document_id, reason = "handed_back", None, "interrupted; taken again"
            elif row is not None and row["state"] == "filed" and row["source"] == shown_path(path):
                event, document_id, reason = "filed", row["id"], "let go just before an interruption"
            else:
                event, document_id, reason = "vanished", None, "interrupted"
            end = (take["id"], take["path"], event, document_id, reason)
            self._record(
                lambda c, at, end=end: inbox_repo.record_end(c, end[0], end[1], end[2], at, None, end[3], end[4])
            )
            log.info("recovered: %s ended as %s", _shown(PurePosixPath(take["path"])), event)


def _unchanged(path: Path, before: os.stat_result) -> bool:
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        return False
    return (now.st_ino, now.st_size, now.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)


def _unreadable(exc: OSError) -> Message:
    if isinstance(exc, IsADirectoryError):
        return Message("file.is_folder", "This is a folder, not a file.")
    return Message(
        "inbox.unreadable",
        "The file could not be read ({problem}); check its permissions, then put it back.",
        {"problem": exc.strerror or str(exc)},
    )


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(relative: PurePosixPath) -> str:
    # Names with bytes that are not UTF-8 get replacement marks: never crash a log line or an insert.
    return os.fsencode(str(relative)).decode("utf-8", "replace")


def _raise_fault(exc: OSError) -> None:
    """Raise the archive's own fault (a full disk, a lost share) that ``exc`` is, if it is one."""
    fault = fault_of_archive(exc)
    if fault is not None:
        raise ArchiveFault.of(fault) from exc


def _shown(relative: PurePosixPath) -> str:
    return mask_bsns(f"inbox/{_text(relative)}")
