"""The one wrapper around Tesseract (through pytesseract), and the runner that bounds its processes.

Tesseract's own threading makes it several times slower on few cores, so every call
runs single-threaded (OMP_THREAD_LIMIT=1) and parallelism comes from running one
process per core. One run writes both the words (TSV: boxes and confidences) and a
text-only PDF page that is later laid over the original scan. Images are handed to
pytesseract as file paths: given a PIL image it would re-encode a temporary PNG.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PIL import Image

from ingest.errors import OcrFailed
from ingest.layout import Word, layout_text, mean_confidence, words_from_tsv
from ingest.settings import OcrSettings

log = logging.getLogger(__name__)

T = TypeVar("T")
# pytesseract starts tesseract with this process's environment.
_ENVIRONMENT = {"OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class Recognition:
    """What one tesseract run read from one image."""

    text: str
    confidence: float | None  # mean word confidence 0-100; None when no words
    words: tuple[Word, ...]
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
    words: tuple[Word, ...] = ()
    second_text: str = ""  # the page read again another way (ingest.second_reading), only for extraction


def parse_tsv(tsv: str) -> tuple[str, float | None, tuple[Word, ...]]:
    """Return (text laid out as printed, mean word confidence, words) from tesseract TSV (pure)."""
    words = words_from_tsv(tsv)
    return layout_text(words), mean_confidence(words), words


def parse_osd(output: str) -> Orientation | None:
    """Return the orientation from tesseract's OSD output, None if absent (pure)."""
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


def _call(job: Callable[[], T], timeout: float, what: str, expected_failure: bool = False) -> T:
    """Run one pytesseract call single-threaded, translating its errors into OcrFailed."""
    # pytesseract loads with the first page to OCR (it imports NumPy): a reading process that
    # only reads text layers would pay a fifth of a second of CPU for it at its start.
    from pytesseract import TesseractError, TesseractNotFoundError

    os.environ.update(_ENVIRONMENT)
    try:
        return job()
    except TesseractNotFoundError as exc:
        raise OcrFailed("ocr.not_started", "The text recognition program (Tesseract) could not be started.") from exc
    except TesseractError as exc:  # a subclass of RuntimeError: caught before the timeout
        log.log(
            logging.INFO if expected_failure else logging.WARNING,
            "tesseract %s failed (%s): %s",
            what,
            exc.status,
            str(exc.message)[-500:],
        )
        raise OcrFailed("ocr.failed", "The text recognition program (Tesseract) could not read a page.") from exc
    except RuntimeError as exc:  # pytesseract reports its timeout as a bare RuntimeError
        raise OcrFailed(
            "ocr.timeout",
            "Reading the text of a page took longer than {timeout:g} seconds and was stopped.",
            timeout=timeout,
        ) from exc
    except OSError as exc:
        raise OcrFailed("ocr.not_started", "The text recognition program (Tesseract) could not be started.") from exc


def _config(dpi: int | None, *options: str) -> str:
    return " ".join(((f"--dpi {dpi}",) if dpi else ()) + options)


def recognise(
    image: Path, out_base: Path, settings: OcrSettings, dpi: int | None, block: bool = False, text_pdf: bool = True
) -> Recognition:
    """OCR `image` in one run into `out_base`.tsv and, with `text_pdf`, a text-only `out_base`.pdf.

    `block` reads the page as one uniform block of text (page segmentation mode 6). A
    second reading (ingest.second_reading) only feeds extraction: it writes no PDF.
    """
    import pytesseract

    # pytesseract's image_to_data and image_to_pdf_or_hocr would run tesseract twice
    # for the same page; its run_tesseract writes both outputs in one run.
    outputs = "tsv pdf" if text_pdf else "tsv"
    options = " ".join(
        (("--psm 6",) if block else ()) + ("-c tessedit_create_tsv=1",) + (("-c textonly_pdf=1",) if text_pdf else ())
    )
    _call(
        lambda: pytesseract.pytesseract.run_tesseract(
            str(image),
            str(out_base),
            outputs,
            settings.languages,
            _config(dpi, options),
            0,
            settings.timeout_seconds,
        ),
        settings.timeout_seconds,
        image.name,
    )
    tsv_path = out_base.with_name(out_base.name + ".tsv")
    try:
        text, confidence, words = parse_tsv(tsv_path.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        raise OcrFailed("ocr.failed", "The text recognition program (Tesseract) could not read a page.") from exc
    finally:
        tsv_path.unlink(missing_ok=True)
    pdf_path = out_base.with_name(out_base.name + ".pdf")
    if not words:  # a blank page: its text layer would only add a font to the rendition
        pdf_path.unlink(missing_ok=True)
    return Recognition(text, confidence, words, pdf_path if pdf_path.exists() else None)


def detect_orientation(image: Path, settings: OcrSettings, dpi: int | None) -> Orientation | None:
    """Ask tesseract (OSD) which way `image` is turned; None when it cannot tell."""
    import pytesseract

    try:
        output = _call(
            lambda: pytesseract.image_to_osd(
                str(image),
                config=_config(dpi),
                timeout=settings.timeout_seconds,
            ),
            settings.timeout_seconds,
            image.name,
            expected_failure=True,
        )
    except OcrFailed:
        # Too few characters for OSD: tesseract exits non-zero. The page stays as it is.
        log.info("orientation detection gave no answer for %s", image.name)
        return None
    return parse_osd(output)


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
            return self._page(first, 0)
        with self._processes:
            orientation = detect_orientation(image, self.settings, dpi)
        if orientation is None or orientation.rotate == 0:
            return self._page(first, 0)
        if orientation.confidence < self.settings.orientation_min_confidence:
            return self._page(first, 0)
        return self._read_turned(image, out_base, dpi, first, orientation.rotate)

    def read_again(self, image: Path, out_base: Path, dpi: int | None = None, block: bool = False) -> Recognition:
        """OCR an upright page image a second time, as one uniform block of text with `block` (no PDF page)."""
        with self._processes:
            return recognise(image, out_base, self.settings, dpi, block=block, text_pdf=False)

    def _read_turned(self, image: Path, out_base: Path, dpi: int | None, first: Recognition, rotate: int) -> OcrPage:
        """OCR the page turned upright; keep whichever reading is more confident."""
        turned_image = rotate_image_file(image, rotate, out_base.with_name(out_base.name + "-up.png"))
        try:
            turned = self._recognise(turned_image, out_base.with_name(out_base.name + "-up"), dpi)
        finally:
            turned_image.unlink(missing_ok=True)
        if (turned.confidence or 0) <= (first.confidence or 0):
            if turned.text_pdf:
                turned.text_pdf.unlink(missing_ok=True)
            return self._page(first, 0)
        if first.text_pdf:
            first.text_pdf.unlink(missing_ok=True)
        return self._page(turned, rotate)

    @staticmethod
    def _page(reading: Recognition, rotated: int) -> OcrPage:
        return OcrPage(reading.text, reading.confidence, reading.text_pdf, rotated, reading.words)

    def _recognise(self, image: Path, out_base: Path, dpi: int | None) -> Recognition:
        """One tesseract run, counted against the process limit."""
        with self._processes:
            return recognise(image, out_base, self.settings, dpi)

    def _should_check_orientation(self, reading: Recognition) -> bool:
        """A confident reading is upright; a poor one may be sideways or upside down."""
        if not self.settings.detect_orientation:
            return False
        if not reading.words:
            return False  # a blank page has no orientation
        return (reading.confidence or 0) < self.settings.orientation_check_below_confidence

    def close(self) -> None:
        """Wait for running jobs and stop the pool."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "OcrRunner":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
