"""Reading a stored original and finding its facts, always in worker processes.

A file can be made to exhaust whatever reads it, so no file is ever read in the filing
process: every reading runs in a worker that is capped in memory and killed when it
stops making progress (``archive.documents.workers``). Reading a born-digital PDF and
extracting its facts is also pure-Python work (about 40 ms a document) that holds the
interpreter lock: a batch keeps one worker per core busy while the filing process
keeps the originals and writes the database and the index.

What understanding needs besides the text (the client registry, the classifier learned
from corrections) changes while an archive runs. Workers get it through a snapshot file
written once per change, not with every document: the registry of a large practice
takes longer to send than a document takes to read.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from archive.documents.workers import WorkerLimits, Workers, beat
from ingest.documents import Office, Reading, read_any
from ingest.einvoice import einvoice_facts
from ingest.facts import Facts, TypeClassifier, extract_facts
from ingest.facts.clients import ClientRegistry
from ingest.facts.settings import ExtractionSettings
from ingest.formats import detect_format
from ingest.reader import OcrRunner, ReadResult
from ingest.settings import OcrSettings
from ingest.stacks import StackLook, look_at_stack
from ingest.thumbnail import make_page_image, make_thumbnail

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Knowledge:
    """What finding the facts needs besides the text."""

    registry: ClientRegistry
    extraction: ExtractionSettings
    classifier: TypeClassifier | None  # once clerks have corrected enough types


@dataclass(frozen=True)
class Understood:
    """One document read and understood: its pages and derivatives, and its facts."""

    reading: ReadResult
    facts: Facts


def read_and_understand(
    original: Path,
    work_dir: Path,
    settings: OcrSettings,
    ocr: OcrRunner,
    knowledge: Knowledge,
    office: Office | None = None,
    text_layers: tuple[str, ...] | None = None,
) -> Understood:
    """Read `original` (derivatives go to `work_dir`) and find its facts; raise IngestError.

    `text_layers`: a PDF's text layers already read from these bytes (``look_at_stack``).
    """
    reading = read_any(original, detect_format(original), work_dir, settings, ocr, office, text_layers)
    return Understood(reading.result, understand(reading, knowledge))


def understand(reading: Reading, knowledge: Knowledge) -> Facts:
    """The facts of a document read: an e-invoice's from its XML, any other's from its text (pure)."""
    if reading.einvoice is not None:
        return einvoice_facts(reading.einvoice, knowledge.registry, knowledge.extraction)
    result = reading.result
    facts = extract_facts(
        [page.text for page in result.pages],
        knowledge.registry,
        knowledge.extraction,
        ocr_confidence=mean_confidence(result),
        classifier=knowledge.classifier,
        second_pages=[page.second_text for page in result.pages],
    )
    if reading.einvoice_problem:
        # The PDF claims to carry an e-invoice that does not read: a clerk compares the two.
        reasons = tuple(dict.fromkeys((*facts.review_reasons, "einvoice_unreadable")))
        facts = replace(facts, needs_review=True, review_reasons=reasons)
    return facts


def read_original(
    original: Path, work_dir: Path, settings: OcrSettings, ocr: OcrRunner, office: Office | None
) -> ReadResult:
    """Read a stored original again (to rebuild its derivatives); raise IngestError."""
    return read_any(original, detect_format(original), work_dir, settings, ocr, office).result


def mean_confidence(reading: ReadResult) -> float | None:
    """The mean OCR confidence over the OCR'd pages, None when no page was OCR'd."""
    values = [p.confidence for p in reading.pages if p.ocr and p.confidence is not None]
    return round(sum(values) / len(values), 1) if values else None


# Starting the workers costs a fork each; a handful of documents needs only one.
MIN_BATCH_FOR_WORKERS = 8


def processes_for(documents: int, configured: int, cores: int) -> int:
    """How many reading processes a batch of `documents` keeps busy (one for a handful)."""
    if documents < MIN_BATCH_FOR_WORKERS:
        return 1
    return max(1, configured or cores)


class ReadingPool:
    """Killable worker processes that read and understand documents; thread-safe.

    Every reading runs in one (see ``archive.documents.workers``): a file that needs
    too much memory or time, or crashes a reading library, costs one worker, which is
    replaced, and the caller gets a ReadingStopped saying why.
    """

    def __init__(
        self,
        processes: int,
        settings: OcrSettings,
        limits: WorkerLimits,
        folder: Path,
        setup: Callable[[], None] | None = None,
        office: Office | None = None,
    ) -> None:
        """Up to `processes` workers, started when needed; `folder` (removed at close) holds the knowledge snapshots."""
        self.processes = processes
        self._folder = folder
        self._lock = threading.Lock()
        self._closed = False
        self._current: tuple[Knowledge, Path] | None = None
        self._users: dict[Path, int] = {}  # documents being read with each snapshot
        self._workers = Workers(processes, limits, _context(), _start_worker, (settings, setup, office))

    @property
    def limits(self) -> WorkerLimits:
        return self._workers.limits

    def start(self, count: int) -> None:
        """Start `count` workers now (a batch is coming) instead of one by one."""
        self._workers.start(count)

    def pids(self) -> list[int]:
        """The process ids of the running workers."""
        return self._workers.pids()

    def understand(
        self, original: Path, work_dir: Path, knowledge: Knowledge, text_layers: tuple[str, ...] | None = None
    ) -> Understood:
        """Read and understand `original` in a worker; raise IngestError (ReadingStopped included) or CancelledError."""
        snapshot = self._use_snapshot(knowledge)  # CancelledError once closed
        try:
            return self._workers.run(_understand_in_worker, original, work_dir, snapshot, text_layers)
        finally:
            self._release_snapshot(snapshot)

    def look_at_stack(self, path: Path, mime_type: str, work_dir: Path) -> StackLook:
        """What each page of a scan is (separator sheet, blank, content), in a worker; raise IngestError."""
        return self._workers.run(_look_in_worker, path, mime_type, work_dir)

    def read(self, original: Path, work_dir: Path) -> ReadResult:
        """Read `original` (text, rendition, thumbnail into `work_dir`) in a worker; raise IngestError."""
        return self._workers.run(_read_in_worker, original, work_dir)

    def thumbnail(self, source: Path, mime_type: str, max_pixels: int, target: Path) -> Path:
        """Draw the first-page thumbnail of `source` at `target` in a worker; raise IngestError."""
        return self._workers.run(make_thumbnail, source, mime_type, max_pixels, target)

    def page_image(self, source: Path, index: int, max_pixels: int, target: Path) -> Path:
        """Draw page `index` (0-based) of the PDF `source` at `target` in a worker; raise IngestError."""
        return self._workers.run(make_page_image, source, index, max_pixels, target)

    def _use_snapshot(self, knowledge: Knowledge) -> Path:
        with self._lock:
            if self._closed:
                raise CancelledError()
            if self._current is None or not _same(self._current[0], knowledge):
                self._current = (knowledge, self._write_snapshot(knowledge))
                self._users.setdefault(self._current[1], 0)
            path = self._current[1]
            self._users[path] += 1
            return path

    def _release_snapshot(self, path: Path) -> None:
        with self._lock:
            self._users[path] -= 1
            if self._users[path] == 0 and (self._current is None or self._current[1] != path):
                del self._users[path]
                path.unlink(missing_ok=True)  # superseded, and no worker will read it again

    def _write_snapshot(self, knowledge: Knowledge) -> Path:
        self._folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self._folder, suffix=".pickle")
        with os.fdopen(fd, "wb") as out:
            pickle.dump(knowledge, out, protocol=pickle.HIGHEST_PROTOCOL)
        return Path(name)

    def close(self) -> None:
        """Stop the workers (a job still running is stopped and its caller gets CancelledError)."""
        with self._lock:
            self._closed = True
        self._workers.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def _same(known: Knowledge, knowledge: Knowledge) -> bool:
    # The registry and classifier are rebuilt as new objects whenever they change.
    return (
        known.registry is knowledge.registry
        and known.classifier is knowledge.classifier
        and known.extraction is knowledge.extraction
    )


def _context() -> multiprocessing.context.ForkServerContext:
    # Not fork: the filing process runs threads (index feeder, web server) whose locks a
    # forked child would inherit held. A fork server starts once and forks workers
    # with the reading code already imported.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["archive.documents.reading"])
    return context


# -- inside a worker process ---------------------------------------------------------

_worker: dict = {}


class _BeatingOcrRunner(OcrRunner):
    """The worker's OCR runner: every page job that ends tells the filing process the reading goes on."""

    def submit(self, job: Callable[..., T], *args: object) -> Future[T]:
        return super().submit(_beating, job, *args)


def _beating(job: Callable[..., T], *args: object) -> T:
    try:
        return job(*args)
    finally:
        beat()


def _start_worker(settings: OcrSettings, setup: Callable[[], None] | None, office: Office | None) -> None:
    _fewer_malloc_arenas()
    if setup is not None:
        setup()
    runner = _BeatingOcrRunner(settings)
    _worker.update(settings=settings, ocr=runner, knowledge=None, snapshot=None, office=office)
    # What start-up made (the reading libraries) lives as long as the worker: left out of
    # the collector's full passes, which would otherwise walk it again every hundred or so
    # documents for nothing (about 0.6 ms a born-digital PDF over a batch).
    gc.freeze()


def _fewer_malloc_arenas() -> None:
    """Keep glibc from reserving 64 MB of address space per thread: the worker's memory cap counts it."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, 2)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


_M_ARENA_MAX = -8


def _understand_in_worker(
    original: Path, work_dir: Path, snapshot: Path, text_layers: tuple[str, ...] | None
) -> Understood:
    if _worker["snapshot"] != snapshot:
        with open(snapshot, "rb") as source:
            _worker["knowledge"] = pickle.load(source)
        _worker["snapshot"] = snapshot
    return read_and_understand(
        original, work_dir, _worker["settings"], _worker["ocr"], _worker["knowledge"], _worker["office"], text_layers
    )


def _look_in_worker(path: Path, mime_type: str, work_dir: Path) -> StackLook:
    return look_at_stack(path, mime_type, work_dir, _worker["settings"], beat)


def _read_in_worker(original: Path, work_dir: Path) -> ReadResult:
    return read_original(original, work_dir, _worker["settings"], _worker["ocr"], _worker["office"])


__all__ = [
    "Knowledge",
    "ReadingPool",
    "Understood",
    "mean_confidence",
    "processes_for",
    "read_and_understand",
    "read_original",
    "understand",
]
