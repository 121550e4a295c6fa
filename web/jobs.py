"""Long checks run beside the page: the auditor starts one, the page follows its progress.

Verifying every stored file or writing an evidence bag takes minutes on a large
archive, longer than a request should wait. A job runs the archive's own call in a
thread of the server, counting what it has done; the page asks for the count every
second and shows the outcome (a report, or a file to download) when it is done. A
job belongs to the user who started it and is forgotten an hour after it ended.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_KEPT_SECONDS = 3600


@dataclass
class Job:
    """One running or finished job: its progress so far and, at the end, its result or error."""

    id: str
    user: str
    kind: str
    done: int = 0
    total: int | None = None
    finished: bool = False
    result: Any = None
    error: Any = None  # the archive error (worded by the page), or None
    file: Path | None = None  # what the job wrote for downloading
    ended_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def step(self, done: int | None = None, total: int | None = None) -> None:
        """Count progress: ``done`` so far (or one more) of ``total``."""
        with self.lock:
            self.done = self.done + 1 if done is None else done
            if total is not None:
                self.total = total


class Jobs:
    """The jobs of one web app; thread-safe."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, user: str, kind: str, work: Callable[[Job], Any], total: int | None = None) -> Job:
        """Run ``work(job)`` in a thread; return the job at once."""
        job = Job(secrets.token_urlsafe(12), user, kind, total=total)
        with self._lock:
            now = time.monotonic()
            self._jobs = {k: j for k, j in self._jobs.items() if not j.ended_at or now - j.ended_at < _KEPT_SECONDS}
            self._jobs[job.id] = job
        thread = threading.Thread(target=self._run, args=(job, work), name=f"job-{kind}", daemon=True)
        thread.start()
        return job

    def get(self, user: str, job_id: str) -> Job | None:
        """Return a job of this user, or None."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.user == user else None

    @staticmethod
    def _run(job: Job, work: Callable[[Job], Any]) -> None:
        from archive.errors import ArchiveError

        try:
            job.result = work(job)
        except ArchiveError as exc:
            job.error = exc
        except Exception as exc:  # a job's failure is told on the page, never lost in a thread
            log.exception("the %s job failed", job.kind)
            job.error = exc
        finally:
            job.finished = True
            job.ended_at = time.monotonic()
