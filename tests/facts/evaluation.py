"""End-to-end evaluation of extraction: generated documents written as real files in every
format, read by the archive's own reader (real Tesseract), then extracted and scored.

Reading is by far the slow part, so readings can be cached on disk (outside the
repository) keyed by the file's bytes and the OCR settings: iterating on extraction
rules then costs seconds. The cached words are laid out again by the current
``ingest.layout`` code, so a change there needs no new OCR either.
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ingest.layout import Word, layout_text
from ingest.ocr import OcrRunner
from ingest.prepare import PREPARATION_VERSION
from ingest.reader import read_document
from ingest.settings import OcrSettings
from tests.facts.formats import FORMATS, write_document
from tests.facts.generator import Doc


@dataclass
class Reading:
    """What the reader made of one file: per page its text, whether OCR'd, confidence, words."""

    texts: list[str]
    ocr: bool
    confidence: float | None
    words: list[list[Word]] = field(default_factory=list)
    second: list[str] = field(default_factory=list)  # receipts read again as one block (else "")

    def pages(self) -> list[str]:
        """The page texts, OCR'd pages laid out again from their words by the current code."""
        return [layout_text(words) if words else text for text, words in zip(self.texts, self.words)]


@dataclass
class Sample:
    """One evaluated document: its name, format, truth and reading."""

    name: str
    fmt: str
    truth: dict
    language: str
    reading: Reading
    tags: tuple[str, ...] = ()


def reader_key(path: Path, settings: OcrSettings) -> str:
    """The cache key of a reading: the file's bytes, the OCR settings and the image preparation."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(json.dumps(asdict(settings), sort_keys=True).encode())
    digest.update(str(PREPARATION_VERSION).encode())
    return digest.hexdigest()


def read_file(path: Path, settings: OcrSettings, runner: OcrRunner, cache: Path | None) -> Reading:
    """Read one file with the archive's reader, through the cache when one is given."""
    key = reader_key(path, settings) if cache else ""
    cached = cache / f"{key}.json" if cache else None
    if cached is not None and cached.exists():
        reading = _load(cached)
        if reading.ocr:
            return reading
    with tempfile.TemporaryDirectory() as work:
        result = read_document(path, Path(work), settings, runner)
    confidences = [p.confidence for p in result.pages if p.confidence is not None]
    reading = Reading(
        [p.text for p in result.pages],
        result.ocr,
        round(sum(confidences) / len(confidences), 1) if confidences else None,
        [list(p.words) for p in result.pages],
        [p.second_text for p in result.pages],
    )
    if cached is not None and reading.ocr:  # a text layer is read again in milliseconds
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(
            json.dumps(
                {
                    "texts": reading.texts,
                    "ocr": reading.ocr,
                    "confidence": reading.confidence,
                    "words": [[list(asdict(w).values()) for w in page] for page in reading.words],
                    "second": reading.second,
                }
            )
        )
    return reading


def _load(path: Path) -> Reading:
    data = json.loads(path.read_text())
    words = [[Word(*values) for values in page] for page in data["words"]]
    return Reading(data["texts"], data["ocr"], data["confidence"], words, data.get("second", []))


def formats_for(count: int, formats: Sequence[str] = FORMATS, seed: int = 0) -> list[str]:
    """A format for each of `count` documents: each format equally often, shuffled (not in step with the types)."""
    chosen = [formats[i % len(formats)] for i in range(count)]
    random.Random(seed).shuffle(chosen)
    return chosen


def render_and_read(
    docs: Sequence[Doc],
    settings: OcrSettings,
    runner: OcrRunner,
    cache: Path | None,
    formats: Sequence[str] = FORMATS,
    held_out: bool = False,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> list[Sample]:
    """Write each document in its format, read it, and return the samples (two documents at a time)."""
    chosen = formats_for(len(docs), formats, seed)
    rng = random.Random(seed)
    seeds = [rng.randrange(2**31) for _ in docs]

    def one(index: int) -> Sample:
        doc, fmt = docs[index], chosen[index]
        receipt = "till" in doc.tags
        with tempfile.TemporaryDirectory() as folder:
            path = write_document(
                doc.pages, fmt, Path(folder) / "doc", seeds[index], receipt=receipt, held_out=held_out
            )
            reading = read_file(path, settings, runner, cache)
        if progress:
            progress(index, len(docs))
        return Sample(doc.name, fmt, doc.truth, doc.language, reading, doc.tags)

    with ThreadPoolExecutor(max(runner.workers, 1)) as pool:
        return list(pool.map(one, range(len(docs))))
