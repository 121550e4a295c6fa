"""Index writes in the background, many documents to one commit.

A Whoosh commit (with its segment merge) costs far more than adding one document
to it, so newly filed documents gather for a moment (``linger``) and while a commit
runs, and go into one commit together. A filed document is searchable within the
linger plus one commit's time; ``flush`` waits for that, without lingering.

A batch of files (``archive ingest`` of a folder) gathers longer (``lingering``): each
commit costs some 20 ms of CPU whatever it holds, so nine documents to a commit spent
twice the CPU per document that seventy do. Its documents are searchable a second or
two after they are filed instead of a quarter of one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)


class IndexFeeder:
    """Collects document ids and hands them to ``write`` in batches, on one thread."""

    def __init__(self, write: Callable[[list[int]], None], linger: float = 0.25, batch: int = 500) -> None:
        self._write = write
        self._linger = linger
        self._batch = batch
        self._flushing = 0
        self._longer: list[float] = []  # the lingers of the batches running now
        self._pending: list[int] = []
        self._submitted = 0
        self._done = 0
        self._error: Exception | None = None
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="index-feeder", daemon=True)
        self._thread.start()

    def submit(self, document_ids: Iterable[int]) -> None:
        """Queue documents to be (re)indexed."""
        with self._changed:
            ids = list(document_ids)
            self._pending.extend(ids)
            self._submitted += len(ids)
            self._changed.notify_all()

    def flush(self) -> None:
        """Wait until everything submitted so far is committed; re-raise a write error."""
        with self._changed:
            target = self._submitted
            self._flushing += 1
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._done >= target or not self._thread.is_alive())
            self._flushing -= 1
            error, self._error = self._error, None
        if error is not None:
            raise error

    @contextmanager
    def lingering(self, seconds: float) -> Iterator[None]:
        """While the block runs, documents gather for up to `seconds` (or the usual linger, if longer)."""
        with self._changed:
            self._longer.append(seconds)
        try:
            yield
        finally:
            with self._changed:
                self._longer.remove(seconds)
                self._changed.notify_all()

    def close(self) -> None:
        """Commit what is pending, then stop the thread."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending or self._closed)
                if not self._pending and self._closed:
                    return
                self._changed.wait_for(
                    lambda: self._closed or self._flushing or len(self._pending) >= self._batch,
                    max([self._linger, *self._longer]),
                )
                batch, self._pending = self._pending, []
            self._write_batch(batch)

    def _write_batch(self, batch: list[int]) -> None:
        try:
            self._write(sorted(set(batch)))
        except Exception as exc:  # kept for flush(); the index is repaired at the next start
            log.exception("Indexing %d document(s) failed", len(batch))
            with self._changed:
                self._error = exc
        with self._changed:
            self._done += len(batch)
            self._changed.notify_all()
