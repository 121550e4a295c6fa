"""The one wrapper around the tesseract program, and the runner that bounds its processes.

Tesseract's own threading makes it several times slower on few cores, so every call
runs single-threaded (OMP_THREAD_LIMIT=1) and parallelism comes from running one
process per core. One run writes both the words (TSV, with confidences) and a
text-only PDF page that is later laid over the original scan.
"""

from __future__ import annotations

import csv
import logging
import os
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PIL import Image

from ingest.errors import OcrFailed
from ingest.settings import OcrSettings

log = logging.getLogger(__name__)

T = TypeVar("T")
_TESSERACT = "tesseract"


@dataclass(frozen=True)
class Recognition:
    """What one tesseract run read from one image."""

    text: str
    confidence: float | None  # mean word confidence 0-100; None when no words
    words: int
    text_pdf: Path | None  # the text-only PDF page, or None when not asked for


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation guess: turn the image `rotate` degrees clockwise."""

    rotate: int
    confidence: float


@dataclass(frozen=True)
class OcrPage:
    """The text of one page image after turning it upright."""

    text: str
    confidence: float | None
    text_pdf: Path | None
    rotated: int  # degrees clockwise the image was turned to be upright


def parse_tsv(tsv: str) -> tuple[str, float | None, int]:
    """Return (text, mean word confidence, word count) from tesseract TSV output (pure)."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences: list[float] = []
    reader = csv.DictReader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word:
            continue
        confidence = float(row.get("conf") or -1)
        if confidence >= 0:
            confidences.append(confidence)
        key = (row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append(word)
    text = _join_lines(lines)
    mean = sum(confidences) / len(confidences) if confidences else None
    return text, mean, len(confidences)


def _join_lines(lines: dict[tuple[str, str, str], list[str]]) -> str:
    """Join words into lines and put a blank line between paragraphs."""
    parts: list[str] = []
    previous: tuple[str, str] | None = None
    for (block, par, _line), words in lines.items():
        if previous is not None and previous != (block, par):
            parts.append("")
        parts.append(" ".join(words))
        previous = (block, par)
    return "\n".join(parts)


def parse_osd(output: str) -> Orientation | None:
    """Return the orientation from `tesseract --psm 0` output, None if absent (pure)."""
    rotate: int | None = None
    confidence: float | None = None
    for line in output.splitlines():
        key, _, value = line.partition(":")
        try:
            if key.strip() == "Rotate":
                rotate = int(value.strip()) % 360
            elif key.strip() == "Orientation confidence":
                confidence = float(value.strip())
        except ValueError:
            return None
    if rotate is None or confidence is None:
        return None
    return Orientation(rotate, confidence)


def run_tesseract(args: list[str], timeout: float) -> str:
    """Run tesseract with `args` single-threaded; return stdout; raise OcrFailed."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(
            [_TESSERACT, *args], capture_output=True, env=env, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed(
            f"Reading the text of a page took longer than {timeout:g} seconds and was stopped."
        ) from exc
    except OSError as exc:
        raise OcrFailed("The text recognition program (Tesseract) could not be started.") from exc
    if done.returncode != 0:
        log.warning("tesseract %s failed (%s): %s", args, done.returncode, done.stderr[-500:])
        raise OcrFailed("The text recognition program (Tesseract) could not read a page.")
    return done.stdout.decode("utf-8", "replace")


def recognise(image: Path, out_base: Path, settings: OcrSettings, dpi: int | None) -> Recognition:
    """OCR `image` in one run into `out_base`.tsv and a text-only `out_base`.pdf."""
    args = [str(image), str(out_base), "-l", settings.languages]
    if dpi:
        args += ["--dpi", str(dpi)]
    args += ["-c", "textonly_pdf=1", "tsv", "pdf"]
    run_tesseract(args, settings.timeout_seconds)
    tsv_path = out_base.with_name(out_base.name + ".tsv")
    try:
        text, confidence, words = parse_tsv(tsv_path.read_text(encoding="utf-8", errors="replace"))
    finally:
        tsv_path.unlink(missing_ok=True)
    pdf_path = out_base.with_name(out_base.name + ".pdf")
    if words == 0:  # a blank page: its text layer would only add a font to the rendition
        pdf_path.unlink(missing_ok=True)
    return Recognition(text, confidence, words, pdf_path if pdf_path.exists() else None)


def detect_orientation(image: Path, settings: OcrSettings, dpi: int | None) -> Orientation | None:
    """Ask tesseract (OSD) which way `image` is turned; None when it cannot tell."""
    args = [str(image), "-", "--psm", "0"]
    if dpi:
        args += ["--dpi", str(dpi)]
    try:
        return parse_osd(run_tesseract(args, settings.timeout_seconds))
    except OcrFailed:
        # Too few characters for OSD: tesseract exits non-zero. The page stays as it is.
        log.info("orientation detection gave no answer for %s", image.name)
        return None


def rotate_image_file(image: Path, degrees_clockwise: int, target: Path) -> Path:
    """Write `image` turned `degrees_clockwise` to `target` (PNG), keeping its dpi."""
    with Image.open(image) as original:
        dpi = original.info.get("dpi")
        turned = original.rotate(-degrees_clockwise, expand=True)
    turned.save(target, format="PNG", **({"dpi": dpi} if dpi else {}))
    return target


class OcrRunner:
    """Bounded, thread-safe pool of tesseract processes shared by all documents being read.

    Page jobs (render, then OCR) run on a pool of `workers` threads, and a semaphore keeps
    at most `workers` tesseract processes alive even when callers use read_page from
    their own threads: the processes are the workers. More threads would overlap
    rendering with OCR a little, but each thread that decodes 300 dpi pages keeps its
    own malloc arena of freed page buffers, which costs more memory than it gains time.
    """

    def __init__(self, settings: OcrSettings) -> None:
        self.settings = settings
        self.workers = settings.workers if settings.workers > 0 else (os.cpu_count() or 1)
        self._processes = threading.Semaphore(self.workers)
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ocr")

    def submit(self, job: Callable[..., T], *args: object) -> Future[T]:
        """Run `job(*args)` on the runner's pool; it may call read_page."""
        return self._pool.submit(job, *args)

    def read_page(self, image: Path, out_base: Path, dpi: int | None = None) -> OcrPage:
        """OCR one page image; when it reads poorly, ask OSD and read it again turned upright."""
        # OSD costs about half an OCR run: asking it only after a poor first reading
        # keeps upright pages (the vast majority) at full speed.
        first = self._recognise(image, out_base, dpi)
        if not self._should_check_orientation(first):
            return OcrPage(first.text, first.confidence, first.text_pdf, 0)
        with self._processes:
            orientation = detect_orientation(image, self.settings, dpi)
        if orientation is None or orientation.rotate == 0:
            return OcrPage(first.text, first.confidence, first.text_pdf, 0)
        if orientation.confidence < self.settings.orientation_min_confidence:
            return OcrPage(first.text, first.confidence, first.text_pdf, 0)
        return self._read_turned(image, out_base, dpi, first, orientation.rotate)

    def _read_turned(
        self, image: Path, out_base: Path, dpi: int | None, first: Recognition, rotate: int
    ) -> OcrPage:
        """OCR the page turned upright; keep whichever reading is more confident."""
        turned_image = rotate_image_file(image, rotate, out_base.with_name(out_base.name + "-up.png"))
        try:
            turned = self._recognise(turned_image, out_base.with_name(out_base.name + "-up"), dpi)
        finally:
            turned_image.unlink(missing_ok=True)
        if (turned.confidence or 0) <= (first.confidence or 0):
            if turned.text_pdf:
                turned.text_pdf.unlink(missing_ok=True)
            return OcrPage(first.text, first.confidence, first.text_pdf, 0)
        if first.text_pdf:
            first.text_pdf.unlink(missing_ok=True)
        return OcrPage(turned.text, turned.confidence, turned.text_pdf, rotate)

    def _recognise(self, image: Path, out_base: Path, dpi: int | None) -> Recognition:
        """One tesseract run, counted against the process limit."""
        with self._processes:
            return recognise(image, out_base, self.settings, dpi)

    def _should_check_orientation(self, reading: Recognition) -> bool:
        """A confident reading is upright; a poor one may be sideways or upside down."""
        if not self.settings.detect_orientation:
            return False
        if reading.words == 0:
            return False  # a blank page has no orientation
        return (reading.confidence or 0) < self.settings.orientation_check_below_confidence

    def close(self) -> None:
        """Wait for running jobs and stop the pool."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "OcrRunner":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
