"""Long checks run beside the page, kept in the database so that every node can answer for them.

Verifying every stored file or writing an evidence bag takes minutes on a large
archive, longer than a request should wait. A job runs the archive's own call in a
thread of the node that started it and counts what it has done; its progress, its
outcome and the file it wrote (inside the home, which every node shares) are kept in
the database. A page's poll may so reach any web node, with or without sticky
sessions. The running node writes the count at most twice a second and beats every
few seconds while it works; a running job whose beat stopped for half a minute was
lost with its node, and is said to be. A job belongs to the user who started it
and is forgotten an hour after it ended.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from archive.clock import Clock, iso
from archive.errors import ArchiveError, Message
from storage import jobs_repo
from storage.database import Database

log = logging.getLogger(__name__)

KEPT = timedelta(hours=1)
LOST_AFTER = timedelta(seconds=30)
SHOWN_AGAIN = timedelta(minutes=10)  # an ended job is shown again on a reloaded page for this long
WRITE_EVERY = 0.5  # seconds between two writes of a job's count
BEAT_EVERY = 5.0  # seconds between two beats when the count did not move
QUIET_AFTER = timedelta(seconds=12)  # two beats missed: the page says so before the job is lost


@dataclass(frozen=True)
class JobStatus:
    """What a page is told of a job: ``state`` is running, finished, failed or lost."""

    id: str
    kind: str
    done: int
    total: int | None
    state: str
    result: Any
    error: Message | None  # the archive's error (worded by the page); None when it failed otherwise
    has_file: bool
    silent_for: int | None = None  # seconds without a beat of a running job, once two were missed

    @property
    def ended(self) -> bool:
        """True once nothing more will happen to the job (finished, failed or lost)."""
        return self.state != "running"


class Job:
    """A running job as its work sees it: count progress with ``step``; set ``file`` to offer a download."""

    def __init__(self, job_id: str, kind: str, total: int | None, folder: Path) -> None:
        self.id = job_id
        self.kind = kind
        self.done = 0
        self.total = total
        self.file: Path | None = None
        self._folder = folder
        self._lock = threading.Lock()

    def workspace(self) -> Path:
        """The job's own folder in the shared home, for what it writes (made on first use).

        It is named by the job, so whoever forgets the job removes it: a half-written
        evidence bag of a node that died mid-export does not stay behind in the home.
        """
        self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self._folder

    def step(self, done: int | None = None, total: int | None = None) -> None:
        """Count progress: ``done`` so far (or one more) of ``total``."""
        with self._lock:
            self.done = self.done + 1 if done is None else done
            if total is not None:
                self.total = total

    def count(self) -> tuple[int, int | None]:
        """Return (done, total) as they are now."""
        with self._lock:
            return self.done, self.total


def this_node() -> str:
    """A name for this process that other nodes can read: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Jobs:
    """The jobs of every node on one database; this node runs the ones it starts."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        home: Path,
        node: str | None = None,
        write_every: float = WRITE_EVERY,
        beat_every: float = BEAT_EVERY,
    ) -> None:
        self._db = db
        self._clock = clock
        self._home = home
        self.node = node or this_node()
        self._write_every = write_every
        self._beat_every = beat_every

    def start(self, user: str, kind: str, work: Callable[[Job], Any], total: int | None = None) -> str:
        """Record a job and run ``work(job)`` in a thread of this node; return the job's id at once.

        ``work`` returns what the page shows (plain JSON values) or raises.
        """
        self.sweep()
        job_id = secrets.token_urlsafe(16)
        job = Job(job_id, kind, total, self._workspace(job_id))
        with self._db.atomic() as conn:
            jobs_repo.insert_job(conn, job.id, user, kind, total, self.node, iso(self._clock.now()))
        threading.Thread(target=self._run, args=(job, work), name=f"job-{kind}", daemon=True).start()
        return job.id

    def status(self, user: str, job_id: str) -> JobStatus | None:
        """Return a job of this user, or None (another user's job is as unknown as one never started)."""
        self.sweep()
        row = jobs_repo.job(self._db.read(), job_id)
        if row is None or row.user != user:
            return None
        return self._status(row)

    def current(self, user: str, kind: str) -> JobStatus | None:
        """Return this user's last job of a kind while it is worth showing again on a reloaded page.

        That is while it runs (or was lost), for ten minutes after it ended, and as long as a
        file it wrote waits to be downloaded.
        """
        row = jobs_repo.latest_job(self._db.read(), user, kind)
        if row is None:
            return None
        status = self._status(row)
        recent = row.ended_at is None or row.ended_at >= iso(self._clock.now() - SHOWN_AGAIN)
        return status if recent or status.has_file else None

    def _status(self, row: jobs_repo.JobRow) -> JobStatus:
        state, silent_for = row.state, None
        now = self._clock.now()
        if state == "running" and row.heartbeat_at < iso(now - LOST_AFTER):
            state = "lost"
        elif state == "running" and row.heartbeat_at < iso(now - QUIET_AFTER):
            silent_for = int((now - datetime.fromisoformat(row.heartbeat_at)).total_seconds())
        return JobStatus(
            id=row.id,
            kind=row.kind,
            done=row.done,
            total=row.total,
            state=state,
            result=json.loads(row.result) if row.result else None,
            error=Message.from_json(json.loads(row.error)) if row.error else None,
            has_file=row.file is not None and self._path(row.file).exists(),
            silent_for=silent_for,
        )

    def take_file(self, user: str, job_id: str) -> Path | None:
        """Return the file a job of this user wrote, once: the first request to ask gets it."""
        row = jobs_repo.job(self._db.read(), job_id)
        if row is None or row.user != user or not row.file or not self._path(row.file).exists():
            return None
        with self._db.atomic() as conn:
            taken = jobs_repo.take_file(conn, job_id, row.file)
        return self._path(row.file) if taken else None

    def sweep(self) -> None:
        """Forget the jobs that ended over an hour ago, or whose node stopped an hour ago, and their files."""
        before = iso(self._clock.now() - KEPT)
        old = jobs_repo.expired(self._db.read(), before, before)
        if not old:  # a poll every second: a read, not a write, when there is nothing to forget
            return
        for row in old:  # files first: a sweep cut short leaves rows, and the next sweep finds them again
            if row.file:
                _remove(self._path(row.file))
            shutil.rmtree(self._workspace(row.id), ignore_errors=True)
        with self._db.atomic() as conn:
            for row in old:
                jobs_repo.delete_job(conn, row.id)

    def _path(self, stored: str) -> Path:
        return self._home / stored

    def _workspace(self, job_id: str) -> Path:
        return self._home / "tmp" / "jobs" / job_id

    def _stored(self, path: Path) -> str:
        # Kept relative to the home: another node may mount the shared home elsewhere.
        try:
            return str(path.resolve().relative_to(self._home.resolve()))
        except ValueError:
            return str(path)

    def _run(self, job: Job, work: Callable[[Job], Any]) -> None:
        ended = threading.Event()
        beating = threading.Thread(target=self._beat, args=(job, ended), name=f"job-{job.kind}-beat", daemon=True)
        beating.start()
        state, result, error = "finished", None, None
        try:
            result = work(job)
        except ArchiveError as exc:
            state, error = "failed", json.dumps(Message.of(exc).as_json())
        except Exception:  # a job's failure is told on the page, never lost in a thread
            log.exception("the %s job failed", job.kind)
            state = "failed"
        finally:
            ended.set()
            beating.join()
        done, total = job.count()
        try:
            encoded = json.dumps(result) if result is not None else None
        except (TypeError, ValueError):
            log.exception("the %s job's result is not JSON", job.kind)
            state, encoded = "failed", None
        file = self._stored(job.file) if job.file is not None and state == "finished" else None
        if state != "finished":  # what a failed job half wrote is of no use to anyone
            shutil.rmtree(self._workspace(job.id), ignore_errors=True)
        try:
            with self._db.atomic() as conn:
                jobs_repo.finish_job(conn, job.id, state, done, total, encoded, error, file, iso(self._clock.now()))
        except Exception:  # the beat has stopped: the page will say the check was lost
            log.exception("the end of the %s job could not be recorded", job.kind)

    def _beat(self, job: Job, ended: threading.Event) -> None:
        """Write the job's count when it moved (at most every ``write_every``) and beat while it works."""
        written: tuple[int, int | None] = (0, job.total)
        beaten = time.monotonic()
        while not ended.wait(self._write_every):
            now = job.count()
            if now == written and time.monotonic() - beaten < self._beat_every:
                continue
            try:
                with self._db.atomic(durable=False) as conn:
                    jobs_repo.beat(conn, job.id, now[0], now[1], iso(self._clock.now()))
            except Exception:  # the database is away for a moment: the next beat may reach it
                log.exception("the %s job's progress could not be recorded", job.kind)
                continue
            written, beaten = now, time.monotonic()


def _remove(path: Path) -> None:
    """Remove a job's file and its folder once empty (an export writes one folder of its own)."""
    try:
        path.unlink(missing_ok=True)
        path.parent.rmdir()
    except OSError:
        pass
