"""Reading a stored original and finding its facts, in this process or in worker processes.

Reading a born-digital PDF and extracting its facts is pure-Python work (about 40 ms a
document) that holds the interpreter lock, so filing threads cannot put a second core
to use. A batch is therefore read in worker processes, one per core, while the filing
process keeps the originals and writes the database and the index.

What understanding needs besides the text (the client registry, the classifier learned
from corrections) changes while an archive runs. Workers get it through a snapshot file
written once per change, not with every document: the registry of a large practice
takes longer to send than a document takes to read.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import select
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import util
from pathlib import Path

from ingest.documents import Office, Reading, read_any
from ingest.einvoice import einvoice_facts
from ingest.facts import Facts, TypeClassifier, extract_facts
from ingest.facts.clients import ClientRegistry
from ingest.facts.settings import ExtractionSettings
from ingest.formats import detect_format
from ingest.reader import OcrRunner, ReadResult
from ingest.settings import OcrSettings

log = logging.getLogger(__name__)


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
    original: Path, work_dir: Path, settings: OcrSettings, ocr: OcrRunner, knowledge: Knowledge,
    office: Office | None = None,
) -> Understood:
    """Read `original` (derivatives go to `work_dir`) and find its facts; raise IngestError."""
    reading = read_any(original, detect_format(original), work_dir, settings, ocr, office)
    return Understood(reading.result, understand(reading, knowledge))


def understand(reading: Reading, knowledge: Knowledge) -> Facts:
    """The facts of a document read: an e-invoice's from its XML, any other's from its text (pure)."""
    if reading.einvoice is not None:
        return einvoice_facts(reading.einvoice, knowledge.registry, knowledge.extraction)
    result = reading.result
    facts = extract_facts(
        [page.text for page in result.pages], knowledge.registry, knowledge.extraction,
        ocr_confidence=mean_confidence(result), classifier=knowledge.classifier,
    )
    if reading.einvoice_problem:
        # The PDF claims to carry an e-invoice that does not read: a clerk compares the two.
        reasons = tuple(dict.fromkeys((*facts.review_reasons, "einvoice_unreadable")))
        facts = replace(facts, needs_review=True, review_reasons=reasons)
    return facts


def read_original(original: Path, work_dir: Path, settings: OcrSettings, ocr: OcrRunner,
                  office: Office | None) -> ReadResult:
    """Read a stored original again (to rebuild its derivatives); raise IngestError."""
    return read_any(original, detect_format(original), work_dir, settings, ocr, office).result


def mean_confidence(reading: ReadResult) -> float | None:
    """The mean OCR confidence over the OCR'd pages, None when no page was OCR'd."""
    values = [p.confidence for p in reading.pages if p.ocr and p.confidence is not None]
    return round(sum(values) / len(values), 1) if values else None


# Starting the workers costs about half a second of both cores: a handful of documents
# is read sooner in the filing process itself.
MIN_BATCH_FOR_WORKERS = 8


def processes_for(documents: int, configured: int, cores: int) -> int:
    """How many reading processes a batch of `documents` gets (1 = read in the filing process)."""
    if documents < MIN_BATCH_FOR_WORKERS:
        return 1
    return max(1, configured or cores)


class ReadingPool:
    """Worker processes that read and understand documents; thread-safe.

    If a worker dies (killed, out of memory), the pool is broken for good: callers get
    BrokenProcessPool and read in their own process from then on.
    """

    def __init__(self, processes: int, settings: OcrSettings, folder: Path,
                 setup: Callable[[], None] | None = None, office: Office | None = None) -> None:
        """Start `processes` workers; `folder` (removed at close) holds the knowledge snapshots."""
        self.processes = processes
        self._folder = folder
        self._lock = threading.Lock()
        self._closed = False
        self._current: tuple[Knowledge, Path] | None = None
        self._users: dict[Path, int] = {}  # documents being read with each snapshot
        # One tesseract per worker: the workers together use every core, and a batch
        # always has more documents than workers.
        worker_settings = replace(settings, workers=1)
        self._pool = ProcessPoolExecutor(
            processes, mp_context=_context(), initializer=_start_worker,
            initargs=(worker_settings, setup, os.getpid(), office)
        )
        # Starting the workers takes most of a second (the fork server imports the reading
        # code); until one answers, the filing process reads documents itself.
        self._ready = threading.Event()
        for _ in range(processes):
            self._pool.submit(os.getpid).add_done_callback(lambda _done: self._ready.set())

    @property
    def ready(self) -> bool:
        """True once a worker has started (or the pool has failed: its callers then learn why)."""
        return self._ready.is_set()

    def understand(self, original: Path, work_dir: Path, knowledge: Knowledge) -> Understood:
        """Read and understand `original` in a worker; raise IngestError, BrokenProcessPool or CancelledError."""
        snapshot = self._use_snapshot(knowledge)  # CancelledError once closed
        try:
            try:
                future = self._pool.submit(_understand_in_worker, original, work_dir, snapshot)
            except BrokenProcessPool:  # a RuntimeError too, but it means a dead worker
                raise
            except RuntimeError as exc:  # closed meanwhile: as if the document had been cancelled
                raise CancelledError() from exc
            return future.result()
        finally:
            self._release_snapshot(snapshot)

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
        fd, name = tempfile.mkstemp(dir=self._folder, suffix=".pickle")
        with os.fdopen(fd, "wb") as out:
            pickle.dump(knowledge, out, protocol=pickle.HIGHEST_PROTOCOL)
        return Path(name)

    def close(self) -> None:
        """Let the workers finish what they hold and stop them."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._folder, ignore_errors=True)


def _same(known: Knowledge, knowledge: Knowledge) -> bool:
    # The registry and classifier are rebuilt as new objects whenever they change.
    return (known.registry is knowledge.registry and known.classifier is knowledge.classifier
            and known.extraction is knowledge.extraction)


def _context() -> multiprocessing.context.BaseContext:
    # Not fork: the filing process runs threads (index feeder, web server) whose locks a
    # forked child would inherit held. A fork server starts once and forks workers
    # with the reading code already imported.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["archive.documents.reading"])
    return context


# -- inside a worker process ---------------------------------------------------------

_worker: dict = {}


def _end_with(filing_process: int) -> None:
    """End this worker as soon as the filing process that started it is gone.

    Pool workers hold both ends of their task pipe, and the fork server lives as long
    as one of its children does: without this, a filing process killed with SIGKILL
    leaves its idle workers and their fork server running forever.
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


def _start_worker(settings: OcrSettings, setup: Callable[[], None] | None, filing_process: int,
                  office: Office | None) -> None:
    _end_with(filing_process)
    if setup is not None:
        setup()
    runner = OcrRunner(settings)
    _worker.update(settings=settings, ocr=runner, knowledge=None, snapshot=None, office=office)
    util.Finalize(None, runner.close, exitpriority=10)


def _understand_in_worker(original: Path, work_dir: Path, snapshot: Path) -> Understood:
    if _worker["snapshot"] != snapshot:
        with open(snapshot, "rb") as source:
            _worker["knowledge"] = pickle.load(source)
        _worker["snapshot"] = snapshot
    return read_and_understand(original, work_dir, _worker["settings"], _worker["ocr"], _worker["knowledge"],
                               _worker["office"])


__all__ = [
    "BrokenProcessPool", "Knowledge", "ReadingPool", "Understood", "mean_confidence", "processes_for",
    "read_and_understand",
]
