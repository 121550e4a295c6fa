"""Reading on worker machines: a job per received document, in procrastinate's queue.

procrastinate keeps its jobs in tables of the archive's own PostgreSQL database, so a
job is enqueued in the same transaction as the document row it is about: a document
is never received without its job, nor a job left for a row that was rolled back. No
broker is added to the set-up (Celery would need Redis besides PostgreSQL).

The database's document state stays the truth, the queue only says what to do next:

- a job reads a document only while it is still ``received`` and not failed, so a job
  delivered twice (or re-queued by the sweep while the first ran) files it once;
  jobs of one document share a procrastinate ``lock``, so two never run at once;
- workers beat a heartbeat; the sweep of every worker moves the jobs of a worker that
  stopped beating (killed, or its machine gone) back to the queue, and enqueues again
  any document still ``received`` after ``sweep_seconds`` that has no waiting job.

This is the one module that imports procrastinate (pinned in pyproject.toml).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Callable, Collection
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import procrastinate
from procrastinate import exceptions as queue_errors
from procrastinate.schema import SchemaManager

from archive.clock import iso
from archive.config import QueueSettings
from storage import documents_repo
from storage.database import Database

log = logging.getLogger(__name__)

TASK = "archive.read_document"
QUEUE = "reading"


def _lock(document_id: int) -> str:
    return f"document-{document_id}"


def _document_of(lock: str | None) -> int | None:
    """The document a job's lock names (None for a lock that is not ours)."""
    prefix, _, number = (lock or "").partition("-")
    return int(number) if prefix == "document" and number.isdigit() else None


def _app(url: str) -> procrastinate.App:
    return procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))


class ReadingQueue:
    """Enqueues the reading of received documents, in the caller's transaction."""

    def __init__(self, db: Database, settings: QueueSettings) -> None:
        self._db = db
        self._settings = settings
        self._app = _app(str(db.path))

    def ensure_schema(self) -> None:
        """Create procrastinate's tables once (behind the database's writer lock, so two nodes never race)."""
        with self._db.atomic() as conn:
            if conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()[0]:
                return
            _driver(conn).execute(SchemaManager.get_schema())

    def enqueue(self, conn: Any, document_id: int) -> bool:
        """Add a job to read ``document_id`` to the caller's open transaction; False if one already waits."""
        try:
            with self._db.atomic():  # a savepoint: a refused job must not spoil the caller's transaction
                self._app.configure_task(
                    TASK,
                    queue=QUEUE,
                    lock=_lock(document_id),
                    queueing_lock=_lock(document_id),
                    connection=_driver(conn),
                ).defer(document_id=document_id)
        except queue_errors.AlreadyEnqueued:
            return False
        return True

    def requeue_lost(self, now: datetime, with_job: Collection[int] = ()) -> list[int]:
        """Enqueue every document received before ``now - sweep_seconds`` and still unread; return their ids.

        ``with_job``: documents whose job waits or runs now, left alone without a transaction
        each (a morning's burst holds thousands, and every write takes the database's one
        lock). Any other whose job waits is refused by the queueing lock; one whose job
        started meanwhile gets a second job, which waits for the first (the lock) and then
        finds the document filed.
        """
        before = iso(now - timedelta(seconds=self._settings.sweep_seconds))
        busy = set(with_job)
        requeued = []
        for document_id in documents_repo.unfinished_ids(self._db.read(), received_before=before):
            if document_id in busy:
                continue
            with self._db.atomic() as conn:
                if self.enqueue(conn, document_id):
                    requeued.append(document_id)
        if requeued:
            log.warning("Re-queued %d document(s) whose reading was lost: %s", len(requeued), requeued[:20])
        return requeued


def _driver(conn: Any) -> Any:
    """The psycopg connection of the archive's open transaction on PostgreSQL."""
    return conn.driver_connection


class ReadingWorker:
    """One `archive worker` process: procrastinate's worker running ``read`` for each job, and the sweep.

    ``read(document_id)`` files one received document (the archive's ``Filer.finish``).
    """

    def __init__(
        self,
        queue: ReadingQueue,
        settings: QueueSettings,
        read: Callable[[int], object],
        is_waiting: Callable[[int], bool],
        now: Callable[[], datetime],
    ) -> None:
        self._queue = queue
        self._settings = settings
        self._read = read
        self._is_waiting = is_waiting
        self._now = now
        self._app = _app(str(queue._db.path))
        self._stop = threading.Event()

        @self._app.task(name=TASK, queue=QUEUE)
        def read_document(document_id: int) -> None:
            # The row, not the job, says whether there is work: a job delivered twice files once.
            if not self._is_waiting(document_id):
                log.info("Document %d is no longer waiting to be read; job skipped.", document_id)
                return
            self._read(document_id)

    def stop(self) -> None:
        """Ask the worker to finish the jobs it runs and stop."""
        self._stop.set()

    def run(self, concurrency: int) -> None:
        """Run until stopped (SIGTERM, SIGINT or ``stop()``); jobs being read are finished first."""
        asyncio.run(self._main(concurrency))

    async def _main(self, concurrency: int) -> None:
        settings = self._settings
        async with self._app.open_async():
            worker = asyncio.create_task(
                self._app.run_worker_async(
                    queues=[QUEUE],
                    concurrency=concurrency,
                    install_signal_handlers=False,
                    update_heartbeat_interval=settings.heartbeat_seconds,
                    stalled_worker_timeout=settings.stalled_seconds,
                    delete_jobs="successful",
                )
            )
            loop = asyncio.get_running_loop()
            stopping = asyncio.Event()
            if threading.current_thread() is threading.main_thread():
                for sig in (signal.SIGTERM, signal.SIGINT):
                    loop.add_signal_handler(sig, stopping.set)
            sweeping = asyncio.create_task(self._sweep_forever(stopping))
            watcher = asyncio.create_task(asyncio.to_thread(self._stop.wait))
            await asyncio.wait(
                [worker, watcher, asyncio.create_task(stopping.wait())], return_when=asyncio.FIRST_COMPLETED
            )
            self._stop.set()
            stopping.set()
            worker.cancel()  # procrastinate stops fetching and waits for the jobs it runs
            await asyncio.gather(worker, sweeping, watcher, return_exceptions=True)

    async def _sweep_forever(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                await self.sweep()
            except Exception:  # the next round tries again; a sweep never stops a worker
                log.exception("The sweep for lost reading jobs failed")
            try:
                await asyncio.wait_for(stopping.wait(), timeout=self._settings.sweep_seconds / 2)
            except TimeoutError:
                pass

    async def sweep(self) -> None:
        """Put back the jobs of workers that stopped beating, then enqueue documents left without a job."""
        manager = self._app.job_manager
        stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=self._settings.stalled_seconds, queue=QUEUE)
        for job in stalled:
            try:
                await manager.retry_job(job)
                log.warning("Job %s of a worker that stopped was put back in the queue.", job.id)
            except queue_errors.ConnectorException:  # another job for it waits already: drop this one
                await manager.finish_job(job, status=cast(Any, procrastinate.jobs.Status.FAILED), delete_job=True)
        with_job = [
            document
            for status in ("todo", "doing")
            for job in await manager.list_jobs_async(queue=QUEUE, status=status)
            if (document := _document_of(job.lock)) is not None
        ]
        await asyncio.to_thread(self._queue.requeue_lost, self._now(), with_job)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
