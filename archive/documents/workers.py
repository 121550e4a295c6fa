"""Worker processes that can be killed without harm: every reading of a file runs in one.

A crafted or broken file can make a reader allocate gigabytes, loop for minutes or
crash inside a C library. None of that may reach the filing process, which holds the
database, the index and the inbox. So a job runs in a worker process whose address
space is capped (``RLIMIT_AS``, inherited by the Tesseract it starts) and which the
filing process kills when the job goes ``timeout`` seconds without a sign of
progress (a job reports progress with ``beat()``). A worker that was killed, ran out
of memory or died is replaced by a fresh one; the job's caller gets a
``ReadingStopped`` saying why, and every other job goes on.

    Workers.run(function, *args) ─► an idle worker (started when none is idle, up to
    `processes`) ─► ("beat",)* then ("done", value) | ("failed", IngestError) |
    ("memory",) | ("error", text)  ─► value, or the error raised here
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from archive.documents.faults import ArchiveFault, fault_of_archive
from archive.documents.worker_start import worker_process
from ingest.errors import IngestError

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.25
_MEMORY_EXIT = 70  # a worker that ran out of memory exits with this code after saying so
_START_SECONDS = 120.0  # a worker's start on a busy machine, the fork server's first start included


@dataclass(frozen=True)
class WorkerLimits:
    """What one job in a worker may use."""

    memory_mb: int = 1024  # address space of the worker and of each program it starts
    timeout_seconds: float = 120.0  # longest time without progress


class ReadingStopped(IngestError):
    """A job was stopped by its worker's limits, or its worker died; ``retry`` says whether trying again may help."""

    retry = True


class ReadingTimedOut(ReadingStopped):
    """The job went too long without progress and its worker was killed."""


class ReadingOutOfMemory(ReadingStopped):
    """The job needed more memory than a worker may use."""

    retry = False


class ReadingCrashed(ReadingStopped):
    """The worker died while doing the job (a crash inside a reading library, or killed from outside)."""


class ReadingBug(ReadingStopped):
    """The job raised an unexpected error (a file the readers do not expect); the details are in the log."""

    retry = False


def timed_out(seconds: float) -> ReadingTimedOut:
    """The error for a reading stopped for taking too long (pure)."""
    return ReadingTimedOut(
        "reading.timed_out",
        "Reading this document went on for more than {seconds:.0f} seconds without progress "
        "and was stopped; the file may be damaged or made to overload the archive. Scan or save it again.",
        seconds=seconds,
    )


def out_of_memory(memory_mb: int) -> ReadingOutOfMemory:
    """The error for a reading that needed too much memory (pure)."""
    return ReadingOutOfMemory(
        "reading.out_of_memory",
        "Reading this document needed more memory than the archive allows for one "
        "document ({memory_mb} MB); the file may be damaged or made to overload the archive. Scan or save it "
        "again at a normal size.",
        memory_mb=memory_mb,
    )


def crashed() -> ReadingCrashed:
    return ReadingCrashed(
        "reading.crashed",
        "The program reading this document stopped unexpectedly; the file "
        "may be damaged. Scan or save it again; if it keeps failing, tell the administrator.",
    )


def unexpected() -> ReadingBug:
    return ReadingBug(
        "reading.unexpected",
        "This document could not be read because of an unexpected problem "
        "with its contents (the details are in the archive log). Scan or save it again; if it keeps "
        "failing, tell the administrator.",
    )


class Workers:
    """Up to `processes` killable worker processes running jobs; thread-safe."""

    def __init__(
        self,
        processes: int,
        limits: WorkerLimits,
        context: multiprocessing.context.ForkServerContext,
        initializer: Callable[..., None],
        initargs: tuple = (),
    ) -> None:
        """Nothing starts here: a worker is started when a job finds none idle."""
        self.processes = max(1, processes)
        self.limits = limits
        self._context = context
        self._initializer = initializer
        self._initargs = initargs
        self._lock = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._closed = False

    def pids(self) -> list[int]:
        """The process ids of the workers now running (for measurements)."""
        with self._lock:
            return [worker.process.pid for worker in self._all if worker.process.pid]

    def start(self, count: int) -> None:
        """Start workers until `count` (at most `processes`) are running, without waiting for them."""
        with self._lock:
            while len(self._all) < min(count, self.processes) and not self._closed:
                self._idle.append(self._spawn())

    def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run `function(*args)` in a worker and return its value.

        Raises the IngestError the job raised, a ReadingStopped when the worker's limits
        stopped it or the worker died, or CancelledError once the workers are closed.
        """
        worker = self._started_worker()
        try:
            kind, payload = self._exchange(worker, function, args)
        except BaseException:
            self._give_back(worker, healthy=False)
            raise
        self._give_back(worker, healthy=True)
        if kind == "done":
            return payload
        if kind == "failed":
            raise payload
        if kind == "fault":
            raise ArchiveFault.of(payload)
        log.error("A reading job failed unexpectedly:\n%s", payload)
        raise unexpected()

    def close(self) -> None:
        """Stop every worker: idle ones at once, busy ones are killed by the jobs waiting on them."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._lock.notify_all()
        for worker in idle:
            worker.stop()
        deadline = time.monotonic() + 10
        with self._lock:
            self._all.difference_update(idle)
        with self._lock:
            while self._all and time.monotonic() < deadline:
                self._lock.wait(0.1)

    # -- inside the filing process ---------------------------------------------------

    def _started_worker(self) -> "_Worker":
        """A worker that said "ready"; one that died before it was given the job is replaced, not blamed on it."""
        for _ in range(self.processes + 1):
            worker = self._take()
            try:
                self._await_start(worker)
                return worker
            except _DiedBeforeTheJob:
                self._give_back(worker, healthy=False)
            except BaseException:
                self._give_back(worker, healthy=False)
                raise
        raise crashed()  # fresh workers keep dying at their start: nothing a document did

    def _take(self) -> "_Worker":
        with self._lock:
            while True:
                if self._closed:
                    raise CancelledError()
                while self._idle and self._idle[-1].gone():
                    self._all.discard(self._idle.pop())  # died while idle (killed from outside)
                if self._idle:
                    return self._idle.pop()
                if len(self._all) < self.processes:
                    return self._spawn()
                self._lock.wait(_POLL_SECONDS)

    def _give_back(self, worker: "_Worker", healthy: bool) -> None:
        with self._lock:
            if healthy and not self._closed:
                self._idle.append(worker)
                self._lock.notify_all()
                return
        if healthy:
            worker.stop()
        else:
            worker.kill()
        with self._lock:
            self._all.discard(worker)
            self._lock.notify_all()

    def _spawn(self) -> "_Worker":
        # Called with the lock held; the process starts in the background (forkserver).
        ours, theirs = self._context.Pipe(duplex=True)
        process = worker_process(self._context)(
            target=_worker_main,
            name="archive-reading",
            args=(theirs, self.limits, self._initializer, self._initargs, os.getpid()),
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self._all.add(worker)
        return worker

    def _exchange(self, worker: "_Worker", function: Callable[..., Any], args: tuple) -> tuple[str, Any]:
        """Send the job and wait for its answer: ("done", value), ("failed", error) or ("error", traceback).

        Raises ReadingStopped when the worker must be replaced, CancelledError once closed.
        """
        try:
            worker.conn.send((function, args))
        except (BrokenPipeError, EOFError, OSError) as exc:
            raise crashed() from exc
        deadline = time.monotonic() + self.limits.timeout_seconds
        while True:
            if self._closed:
                raise CancelledError()
            try:
                ready = worker.conn.poll(_POLL_SECONDS)
                message = worker.conn.recv() if ready else None
            except (EOFError, OSError, MemoryError) as exc:
                worker.process.join(1)  # its exit code says how it ended
                log.error("A reading worker stopped unexpectedly (exit code %s).", worker.process.exitcode)
                raise crashed() from exc
            except Exception as exc:  # an answer that cannot be unpickled here: the job failed, the worker is fine
                return "error", repr(exc)
            if message is None:
                if time.monotonic() > deadline:
                    log.error(
                        "A reading job went %.0f s without progress; its worker was stopped.",
                        self.limits.timeout_seconds,
                    )
                    raise timed_out(self.limits.timeout_seconds)
                continue
            kind = message[0]
            if kind == "beat":
                deadline = time.monotonic() + self.limits.timeout_seconds
            elif kind == "memory":
                log.error("A reading job needed more than %d MB; its worker was stopped.", self.limits.memory_mb)
                raise out_of_memory(self.limits.memory_mb)
            else:
                return kind, message[1]

    def _await_start(self, worker: "_Worker") -> None:
        """Wait for a new worker's "ready": starting (the fork server's first start included) is not the job's time."""
        deadline = time.monotonic() + _START_SECONDS
        while not worker.ready:
            if self._closed:
                raise CancelledError()
            try:
                if worker.conn.poll(_POLL_SECONDS):
                    worker.ready = worker.conn.recv() == ("ready",)
                    continue
            except (EOFError, OSError) as exc:
                raise _DiedBeforeTheJob() from exc
            if time.monotonic() > deadline:
                raise crashed()


class _DiedBeforeTheJob(Exception):
    """A worker ended before it said "ready": it never saw the job."""


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.ready = False

    def gone(self) -> bool:
        """Whether an idle worker has died.

        The fork server tells a worker's exit late (it must reap it first), so a worker
        killed a moment ago may still look alive; its end of the pipe closes at once. An
        idle worker that said "ready" sends nothing until it is given a job, so anything
        readable on its pipe is that end closing.
        """
        if not self.process.is_alive():
            return True
        try:
            return self.ready and self.conn.poll(0)
        except (EOFError, OSError):
            return True

    def stop(self) -> None:
        """Ask an idle worker to end, and kill it if it does not."""
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(1)
        self.kill()

    def kill(self) -> None:
        """End the process now (it may be in the middle of a job) and reap it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


# -- inside a worker process ----------------------------------------------------------

_channel: dict[str, Any] = {}


def beat() -> None:
    """Tell the filing process that the job in this worker is making progress (no-op elsewhere)."""
    conn = _channel.get("conn")
    if conn is None:
        return
    with _channel["lock"]:
        try:
            conn.send(("beat",))
        except OSError:
            pass


def _worker_main(
    conn: Connection, limits: WorkerLimits, initializer: Callable[..., None], initargs: tuple, filing_process: int
) -> None:
    _end_with(filing_process)
    _limit_memory(limits.memory_mb)
    _channel.update(conn=conn, lock=threading.Lock())
    initializer(*initargs)
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        function, args = job
        try:
            answer: tuple = ("done", function(*args))
        except MemoryError:
            answer = ("memory",)
        except Exception as exc:
            answer = _answer_for(exc)
        answer = _send_answer(conn, answer)
        if answer[0] == "memory":
            # The heap may be in pieces after an allocation failed: a fresh worker takes over.
            os._exit(_MEMORY_EXIT)


def _answer_for(exc: Exception) -> tuple:
    """A full disk or a lost store is the archive's fault, whatever reader it reached; else the file's."""
    fault = fault_of_archive(exc)
    if fault is not None:
        return ("fault", fault)
    if isinstance(exc, IngestError):
        return ("failed", exc)
    import traceback  # a reader's bug on an odd file: reported, and this worker goes on

    return ("error", traceback.format_exc())


def _send_answer(conn: Connection, answer: tuple) -> tuple:
    """Send the job's answer; one that cannot be sent (too large, not picklable) becomes an error."""
    with _channel["lock"]:
        try:
            conn.send(answer)
            return answer
        except MemoryError:
            answer = ("memory",)
        except Exception:  # pickling: an error class with an odd constructor, a value too odd to send
            import traceback

            answer = ("error", traceback.format_exc())
        conn.send(answer)
        return answer


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file with a client's text


def _end_with(filing_process: int) -> None:
    """End this worker as soon as the filing process that started it is gone.

    A worker blocked in a job never reads its pipe again, and the fork server lives as
    long as one of its children does: without this, a filing process killed with
    SIGKILL would leave its workers and their fork server running forever.
    """

    def wait_then_exit() -> None:
        try:
            handle = os.pidfd_open(filing_process)
        except ProcessLookupError:
            os._exit(0)
        except OSError:  # no pidfd (old kernel): look once a second instead
            while _alive(filing_process):
                time.sleep(1.0)
            os._exit(0)
        select.select([handle], [], [])
        os._exit(0)

    threading.Thread(target=wait_then_exit, name="end-with-filing-process", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
