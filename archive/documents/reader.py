"""Reading stored originals: the OCR runner, the reading workers, and derivatives kept.

The filing path, the rebuilding of lost derivatives and the web's thumbnails all read
through here, so Tesseract and the worker processes are started once per process and
only when something needs them (a web-only process never does).
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from pathlib import Path

from archive.clients import ClientService
from archive.core import Core
from archive.documents.corrections import train_classifier
from archive.documents.reading import (
    BrokenProcessPool, Knowledge, ReadingPool, Understood, read_and_understand, read_original,
)
from ingest.documents import Office
from ingest.errors import IngestError
from ingest.facts import TypeClassifier
from ingest.office import OfficeSettings
from ingest.reader import OcrRunner, ReadResult
from ingest.sniff import ACCEPTED as SCAN_TYPES
from ingest.sniff import PDF
from ingest.thumbnail import THUMBNAIL_KIND, make_thumbnail
from storage import clients_repo

log = logging.getLogger(__name__)


class DocumentReader:
    """Reads and understands originals of one archive; safe to use from several threads."""

    def __init__(self, core: Core, clients: ClientService) -> None:
        self._core = core
        self._clients = clients
        self._ocr: OcrRunner | None = None
        self._ocr_lock = threading.Lock()
        self._pool: ReadingPool | None = None
        self._classifier: tuple[int, TypeClassifier | None] | None = None
        self._classifier_lock = threading.Lock()

    @property
    def pool(self) -> ReadingPool | None:
        """The worker processes documents are read in now, if any."""
        return self._pool

    @property
    def ocr_started(self) -> bool:
        """Whether this process has started its own Tesseract workers."""
        return self._ocr is not None

    def close(self) -> None:
        """Stop the OCR workers, if any were started."""
        with self._ocr_lock:
            if self._ocr is not None:
                self._ocr.close()
                self._ocr = None

    def ocr_runner(self) -> OcrRunner:
        """Return the OCR runner, started on first use."""
        with self._ocr_lock:
            if self._ocr is None:
                self._ocr = OcrRunner(self._core.config.ocr)
            return self._ocr

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
        """While the block runs, documents (from any thread) are read in worker processes.

        `setup` runs first in each worker (logging). With fewer than two processes the
        documents are read in this process as usual.
        """
        if processes < 2:
            yield
            return
        pool = ReadingPool(processes, self._core.config.ocr, self._core.store.temp_dir(), setup, self.office())
        self._pool = pool
        try:
            yield
        finally:
            self._pool = None
            pool.close()

    def understand(self, original: Path, work_dir: Path) -> Understood:
        """Read a stored original (derivatives into `work_dir`) and find its facts; raise IngestError."""
        knowledge = self.knowledge()
        pool = self._pool
        if pool is not None and pool.ready:
            try:
                return pool.understand(original, work_dir, knowledge)
            except BrokenProcessPool:
                # A worker died (killed, out of memory): this and later documents are read here.
                log.error("A reading worker process stopped unexpectedly; reading in the filing process instead.")
                self._pool = None
            except CancelledError:
                log.info("The reading workers were stopped; reading %s in the filing process.", original.name)
        return read_and_understand(original, work_dir, self._core.config.ocr, self.ocr_runner(), knowledge,
                                   self.office())

    def office(self) -> Office:
        """Where and how LibreOffice runs for this archive (its own profile, never a person's)."""
        config = self._core.config
        return Office(config.home / "cache" / "libreoffice",
                      OfficeSettings(timeout_seconds=config.ingest.office_timeout_seconds))

    def keep_derivatives(self, sha256: str, reading: ReadResult) -> None:
        """Store the searchable PDF and thumbnail a reading made beside the original."""
        store = self._core.store
        if reading.searchable_pdf:
            store.put_derivative(sha256, "pdf", reading.searchable_pdf)
        if reading.thumbnail:
            store.put_derivative(sha256, THUMBNAIL_KIND, reading.thumbnail)

    def rebuild_derivatives(self, sha256: str) -> None:
        """Read a stored original again to rebuild its searchable PDF and thumbnail."""
        store = self._core.store
        work_dir = store.temp_dir()
        try:
            reading = read_original(store.path_for(sha256), work_dir, self._core.config.ocr, self.ocr_runner(),
                                    self.office())
            self.keep_derivatives(sha256, reading)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)

    def rebuild_thumbnail(self, document_id: int, sha256: str, mime_type: str | None) -> Path | None:
        """Draw a lost thumbnail again from the original (never a new OCR run); None when it cannot be drawn."""
        store = self._core.store
        work_dir = store.temp_dir()
        try:
            source, kind = store.path_for(sha256), mime_type or ""
            if mime_type not in SCAN_TYPES:
                # An e-invoice, a message or an office file is drawn from its PDF viewing copy.
                source, kind = store.derivative_path(sha256, "pdf"), PDF
                if not source.exists():
                    self.rebuild_derivatives(sha256)
            drawn = make_thumbnail(source, kind, self._core.config.ocr.max_image_pixels, work_dir / THUMBNAIL_KIND)
            return store.put_derivative(sha256, THUMBNAIL_KIND, drawn)
        except (IngestError, OSError) as exc:
            log.warning("No thumbnail for document %s: %s", document_id, exc)
            return None
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
