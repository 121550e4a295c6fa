"""Uploads filed in the background: handed over at once, read by a filing thread.

An upload that is read inside the web request holds a server thread for as long as
OCR takes (minutes for a long scan) and is lost when the server stops meanwhile. So
the request only spools the file durably and waits a moment for its document to be
kept (a row in state ``received``, which from then on is the truth); a filing thread
reads and files it, in a reading worker like every other document.

    home/queue/<token>/job.json   who handed it over, the facts given, the channel
    home/queue/<token>/<name>     the bytes, until they are filed
    home/queue/<token>/done.json  the outcomes, kept a while for the status page

A job is held under an exclusive lock on its job.json while it is filed; the lock
dies with its process, so a job interrupted by a stop or a crash is taken again at
the next start (the filing path recognises bytes already kept).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import queue
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive.access.actors import Actor
from archive.core import Core
from archive.documents.faults import ArchiveFault
from archive.documents.filing import FilingHints, shown_path
from archive.documents.views import IngestOutcome
from archive.errors import Conflict, Message
from storage import documents_repo

log = logging.getLogger(__name__)

FileAll = Callable[[Path, Actor, FilingHints, str], list[IngestOutcome]]

# Jobs waiting at most; beyond it an upload is refused with a sentence (try again soon).
CAPACITY = 200
# How long a request waits for its document to be kept (hashing, storing: milliseconds;
# seconds on a machine busy reading).
ANSWER_SECONDS = 10.0
_DONE_KEPT_SECONDS = 24 * 3600
# Threads mostly wait for a reading worker (the pool bounds the reading itself): enough of
# them that a new upload is kept, and answered, while others are being read.
_THREADS = 8
_FAULT_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class _Job:
    folder: Path
    actor: Actor


class FilingQueue:
    """A bounded queue of handed-over files and the threads that file them; thread-safe."""

    def __init__(self, core: Core, file_all: FileAll, actor_named: Callable[[str], Actor]) -> None:
        """`file_all` files one file (stacks and messages by their parts); nothing starts here."""
        self._core = core
        self._file_all = file_all
        self._actor_named = actor_named
        self._folder = core.config.home / "queue"
        self._queue: queue.Queue[_Job] = queue.Queue(maxsize=CAPACITY)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> None:
        """Start the filing threads and take up the jobs a previous run left (once)."""
        with self._lock:
            if self._threads or self._stopping.is_set():
                return
            self._folder.mkdir(mode=0o700, exist_ok=True)
            for number in range(_THREADS):
                thread = threading.Thread(target=self._work, name=f"filing-queue-{number}", daemon=True)
                thread.start()
                self._threads.append(thread)
        self._take_up_left_jobs()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop taking jobs; a job being filed finishes or is taken up again at the next start."""
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout)

    def hand_over(self, path: Path, name: str, actor: Actor, hints: FilingHints, channel: str) -> list[IngestOutcome]:
        """Queue `path` (moved into the queue) for filing; return at once what is known.

        That is the outcomes when filing was quick (a duplicate, a refusal, a small PDF),
        else its document in state ``received`` (status "received" with its id). Raises
        Conflict when the queue is full.
        """
        self.start()
        if self._queue.full():
            raise Conflict("upload.queue_full", "Too many uploads are waiting to be filed; try again in a few minutes.")
        folder = self._folder / secrets.token_hex(8)
        folder.mkdir(mode=0o700)
        target = folder / name
        shutil.move(path, target)
        job = {"actor": actor.name, "hints": hints.to_json(), "channel": channel, "name": name}
        _write_json(folder / "job.json", job)
        try:
            self._queue.put_nowait(_Job(folder, actor))
        except queue.Full as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise Conflict(
                "upload.queue_full", "Too many uploads are waiting to be filed; try again in a few minutes."
            ) from exc
        return self._first_answer(folder, target, name)

    def _first_answer(self, folder: Path, target: Path, name: str) -> list[IngestOutcome]:
        source = shown_path(target)
        deadline = time.monotonic() + ANSWER_SECONDS
        while True:
            done = _read_done(folder)
            if done is not None:
                return done
            row = documents_repo.find_by_source(self._core.db.read(), source)
            if row is not None:
                return [IngestOutcome(source=name, status="received", id=row["id"], sha256=row["sha256"])]
            if time.monotonic() > deadline:
                return [IngestOutcome(source=name, status="received")]
            time.sleep(0.05)

    # -- the filing threads ---------------------------------------------------------

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                job = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                self._file(job)
            except ArchiveFault as exc:  # the archive's own fault (a full disk): the upload waits, then again
                log.warning("upload %s waits: %s", job.folder.name, exc)
                if not self._stopping.wait(_FAULT_WAIT_SECONDS):
                    try:
                        self._queue.put_nowait(job)
                    except queue.Full:
                        pass  # taken up at the next start
            except Exception:  # a thread must outlive anything one job does; the job stays for the next start
                log.exception("filing the upload in %s failed unexpectedly", job.folder.name)

    def _file(self, job: _Job) -> None:
        try:
            handle = open(job.folder / "job.json", "r+", encoding="utf-8")
        except FileNotFoundError:
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another process files it
            if (job.folder / "done.json").exists():
                return
            spec = json.load(handle)
            path = job.folder / spec["name"]
            outcomes = self._file_all(path, job.actor, FilingHints.from_json(spec["hints"]), spec["channel"])
            _write_json(job.folder / "done.json", [_stored_outcome(o) for o in outcomes])
            path.unlink(missing_ok=True)

    def _take_up_left_jobs(self) -> None:
        """Queue again the jobs a stopped or crashed run left; drop old answers."""
        for folder in sorted(self._folder.iterdir(), key=lambda f: f.stat().st_mtime):
            if (folder / "done.json").exists():
                if (folder / "done.json").stat().st_mtime < time.time() - _DONE_KEPT_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)
                continue
            try:
                spec = json.loads((folder / "job.json").read_text(encoding="utf-8"))
                actor = self._actor_named(spec["actor"])
                self._queue.put_nowait(_Job(folder, actor))
            except (OSError, ValueError, KeyError, queue.Full) as exc:
                log.warning("upload %s left in the queue folder: %s", folder.name, exc)
            except Exception:  # the user is gone: the job waits for an administrator
                log.exception("upload %s cannot be taken up again", folder.name)


def _read_done(folder: Path) -> list[IngestOutcome] | None:
    try:
        rows = json.loads((folder / "done.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [_restored_outcome(row) for row in rows]


def _stored_outcome(outcome: IngestOutcome) -> dict:
    """An outcome as done.json keeps it: its fields, and its failure as a message (worded per reader later)."""
    row = outcome.to_json()
    row.pop("error_code", None)
    return {**row, "failure": outcome.failure.as_json() if outcome.failure else None}


def _restored_outcome(row: dict) -> IngestOutcome:
    fields = {k: v for k, v in row.items() if k not in ("error_code", "failure")}
    return IngestOutcome(**fields, failure=Message.from_json(row.get("failure")))


def _write_json(path: Path, value: object) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
