"""Reading stored originals in the reading workers, and the derivatives kept.

The filing path, the rebuilding of lost derivatives and the web's thumbnails all read
through here, and every one of them reads in a worker process (never in this one), so
a hostile file costs at most a worker. The workers start when something needs them
(a web-only process starts one only to draw a lost thumbnail).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.clients import ClientService
from archive.clock import iso
from archive.core import Core
from archive.documents.corrections import train_classifier
from archive.documents.reading import Knowledge, ReadingPool, Understood
from archive.documents.workers import WorkerLimits
from ingest.documents import Office
from ingest.errors import IngestError
from ingest.facts import TypeClassifier
from ingest.office import OfficeSettings
from ingest.reader import ReadResult
from ingest.sniff import ACCEPTED as SCAN_TYPES
from ingest.sniff import PDF
from ingest.stacks import StackLook
from ingest.thumbnail import THUMBNAIL_KIND
from storage import clients_repo, derivatives_repo

log = logging.getLogger(__name__)

RENDITION_KIND = "pdf"  # the searchable PDF (or viewing copy) beside an original


@dataclass(frozen=True)
class StoredDerivative:
    """A derivative just stored beside its original, with the hash to record of what was stored."""

    kind: str
    path: Path
    digest: str
    size: int


class DocumentReader:
    """Reads and understands originals of one archive, always in worker processes; thread-safe."""

    def __init__(self, core: Core, clients: ClientService) -> None:
        self._core = core
        self._clients = clients
        self._pool: ReadingPool | None = None
        self._pool_lock = threading.Lock()
        self._setup: Callable[[], None] | None = None
        self._classifier: tuple[int, TypeClassifier | None] | None = None
        self._classifier_lock = threading.Lock()

    @property
    def pool(self) -> ReadingPool | None:
        """The worker processes documents are read in, once something was read."""
        return self._pool

    def close(self) -> None:
        """Stop the reading workers, if any were started."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def workers(self) -> ReadingPool:
        """Return the reading workers, set up on first use (each worker starts when a reading needs it)."""
        with self._pool_lock:
            if self._pool is None:
                config = self._core.config
                processes = config.ingest.reading_processes or os.cpu_count() or 1
                limits = WorkerLimits(config.ingest.reading_memory_mb, config.ingest.reading_timeout_seconds)
                self._pool = ReadingPool(
                    processes, config.ocr, limits, self._core.store.temp_dir(), self._setup, self.office()
                )
            return self._pool

    def office(self) -> Office:
        """Where and how LibreOffice runs for this archive (its own profile, never a person's)."""
        config = self._core.config
        return Office(
            config.home / "cache" / "libreoffice", OfficeSettings(timeout_seconds=config.ingest.office_timeout_seconds)
        )

    def classifier(self) -> TypeClassifier | None:
        """Return the document-type classifier learned from clerks' corrections, if enough exist."""
        conn = self._core.db.read()
        count = clients_repo.count_type_corrections(conn)
        with self._classifier_lock:
            if self._classifier is None or self._classifier[0] != count:
                minimum = self._core.config.extraction.classifier_min_corrections
                self._classifier = (count, train_classifier(conn, minimum))
            return self._classifier[1]

    def knowledge(self) -> Knowledge:
        """Return what finding facts needs besides the text: registry, settings, classifier."""
        return Knowledge(self._clients.registry(), self._core.config.extraction, self.classifier())

    @contextmanager
    def in_processes(self, processes: int, setup: Callable[[], None] | None = None) -> Iterator[None]:
        """While the block runs, `processes` workers are kept ready (a batch is coming).

        `setup` runs first in each worker (logging), when the workers are not running yet.
        """
        if self._pool is None and setup is not None:
            self._setup = setup
        self.workers().start(processes)
        yield

    def understand(self, original: Path, work_dir: Path, text_layers: tuple[str, ...] | None = None) -> Understood:
        """Read a stored original (derivatives into `work_dir`) and find its facts in a worker.

        `text_layers` are its PDF text layers when a look at it for separator sheets read
        them already. Raises IngestError (a ReadingStopped when the worker's limits
        stopped it) or CancelledError when the workers are being stopped.
        """
        return self.workers().understand(original, work_dir, self.knowledge(), text_layers)

    def look_at_stack(self, path: Path, mime_type: str, work_dir: Path) -> StackLook:
        """What each page of a scan is, looked at in a worker (never here: the file is not yet known to be safe).

        Raises IngestError (a ReadingStopped when the worker's limits stopped it) or
        CancelledError when the workers are being stopped.
        """
        return self.workers().look_at_stack(path, mime_type, work_dir)

    def keep_derivatives(self, sha256: str, reading: ReadResult) -> None:
        """Store the searchable PDF and thumbnail a reading made beside the original, hashes recorded."""
        self.record_derivatives(sha256, self.store_derivatives(sha256, reading))

    def store_derivatives(self, sha256: str, reading: ReadResult) -> tuple[StoredDerivative, ...]:
        """Store the searchable PDF and thumbnail a reading made beside the original; their hashes are
        for the caller to record (``record_derivatives``, or ``note_derivatives`` in its own transaction)."""
        made = ((RENDITION_KIND, reading.searchable_pdf), (THUMBNAIL_KIND, reading.thumbnail))
        return tuple(self._store(sha256, kind, source) for kind, source in made if source)

    def record_derivatives(self, sha256: str, stored: tuple[StoredDerivative, ...]) -> None:
        """Record the hashes of derivatives stored, in a transaction of their own."""
        if not stored:
            return
        # Not durable, and not a reason to refuse the derivative: a record lost (a power cut, a
        # database that cannot be written now) is made by the next `archive verify`.
        try:
            with self._core.db.atomic(durable=False) as conn:
                self.note_derivatives(conn, sha256, stored)
        except sqlite3.Error as exc:
            log.warning("The hashes of the derivatives of %s could not be recorded: %s", sha256[:12], exc)

    def note_derivatives(self, conn, sha256: str, stored: tuple[StoredDerivative, ...]) -> None:
        """Record the hashes of derivatives stored within the caller's transaction (fixity checks them later)."""
        at = iso(self._core.clock.now())
        for derivative in stored:
            derivatives_repo.record(conn, sha256, derivative.kind, derivative.digest, derivative.size, at)

    def _keep(self, sha256: str, kind: str, source: Path) -> Path:
        """Store one derivative and record the hash of what was stored."""
        stored = self._store(sha256, kind, source)
        self.record_derivatives(sha256, (stored,))
        return stored.path

    def _store(self, sha256: str, kind: str, source: Path) -> StoredDerivative:
        # Readings write in the store's temp folder: moved into place, not copied. A thumbnail
        # is not flushed to disk first: one torn or lost by a power cut is drawn again (on
        # demand, and by `archive verify` by its recorded hash) in milliseconds; a searchable
        # PDF can take minutes of OCR to make again.
        stored = self._core.store.move_derivative(sha256, kind, source, durable=kind != THUMBNAIL_KIND)
        return StoredDerivative(kind, stored.path, stored.sha256, stored.size)

    def rebuild_derivatives(self, sha256: str) -> None:
        """Read a stored original again (in a worker) to rebuild its searchable PDF and thumbnail."""
        store = self._core.store
        work_dir = store.temp_dir()
        try:
            reading = self.workers().read(store.path_for(sha256), work_dir)
            self.keep_derivatives(sha256, reading)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)

    def page_image(self, document_id: int, pdf: Path, index: int) -> bytes | None:
        """Draw page `index` (0-based) of a stored PDF as a JPEG in a worker; None when it cannot be drawn.

        Drawn each time it is asked for (a few tens of milliseconds) and kept nowhere: a
        page picture is a way of looking, not a derivative to keep and check.
        """
        work_dir = self._core.store.temp_dir()
        try:
            drawn = self.workers().page_image(pdf, index, self._core.config.ocr.max_image_pixels, work_dir / "page.jpg")
            return drawn.read_bytes()
        except (IngestError, OSError, CancelledError) as exc:
            log.warning("No picture of page %d of document %s: %s", index + 1, document_id, exc)
            return None
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)

    def rebuild_thumbnail(self, document_id: int, sha256: str, mime_type: str | None) -> Path | None:
        """Draw a lost thumbnail again from the original in a worker (never a new OCR run); None when it cannot."""
        store = self._core.store
        work_dir = store.temp_dir()
        try:
            source, kind = store.path_for(sha256), mime_type or ""
            if mime_type not in SCAN_TYPES:
                # An e-invoice, a message or an office file is drawn from its PDF viewing copy.
                source, kind = store.derivative_path(sha256, RENDITION_KIND), PDF
                if not source.exists():
                    self.rebuild_derivatives(sha256)
            drawn = self.workers().thumbnail(
                source, kind, self._core.config.ocr.max_image_pixels, work_dir / THUMBNAIL_KIND
            )
            return self._keep(sha256, THUMBNAIL_KIND, drawn)
        except (IngestError, OSError, CancelledError) as exc:
            log.warning("No thumbnail for document %s: %s", document_id, exc)
            return None
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
