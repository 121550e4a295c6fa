"""Read a document's text: the PDF text layer where it is real, Tesseract OCR elsewhere.

    sniff type ─► PDF:   text layer per page (pypdf) ─► pages without real text:
                          render (pypdfium2) ─► OCR upright ─► overlay on the original
                 image:  each frame upright (EXIF) ─► OCR upright ─► img2pdf + overlay
                 both:   thumbnail of the first page (a born-digital PDF's: when first shown)

Pages are rendered one at a time inside the OCR jobs and deleted right after, so a long
scan never has more than a few page images on disk or in memory.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ingest.errors import DocumentTooLarge, IngestError
from ingest.images import frame_count, page_image
from ingest.layout import Word
from ingest.ocr import OcrPage, OcrRunner
from ingest.pdf import PdfText, has_real_text, read_pdf_text
from ingest.pdf_guard import check_pages_to_draw
from ingest.render import render_page
from ingest.settings import OcrSettings
from ingest.sniff import PDF, sniff_mime_type
from ingest.thumbnail import THUMBNAIL_KIND, make_thumbnail

if TYPE_CHECKING:
    from ingest.prepare import Prepared

__all__ = ["OcrRunner", "PageText", "ReadResult", "read_document"]

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class PageText:
    """The text of one page."""

    number: int  # 1-based
    text: str
    ocr: bool  # True if the text came from Tesseract
    confidence: float | None  # mean word confidence 0-100 for OCR pages, else None
    rotated: int = 0  # degrees the page was turned to be upright
    words: tuple[Word, ...] = ()  # OCR pages: every word with its box and confidence
    # The page read again another way (ingest.second_reading): extraction looks there for
    # facts the text lacks; it is never stored as the page's text.
    second_text: str = ""


@dataclass(frozen=True)
class ReadResult:
    """Everything read from one document."""

    mime_type: str
    pages: tuple[PageText, ...]
    ocr: bool  # any page OCR'd
    searchable_pdf: Path | None  # written in work_dir for scans, else None
    thumbnail: Path | None  # first-page thumbnail written in work_dir


def read_document(
    path: Path, work_dir: Path, settings: OcrSettings, ocr: OcrRunner, text_layers: tuple[str, ...] | None = None
) -> ReadResult:
    """Read the text of every page of `path`; raise IngestError subclasses; never alter `path`.

    `settings` govern reading (dpi, limits); the runner OCRs with its own (languages,
    timeout, orientation) — both come from the same [ocr] section in the archive.
    `text_layers` are a PDF's text layers already read from these very bytes with these
    settings (``read_pdf_text``, while looking for separator sheets): not read again.
    """
    mime_type = sniff_mime_type(path)
    work_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="read-", dir=work_dir))
    outputs = _Outputs(work_dir / f"{scratch.name}.pdf", work_dir / f"{scratch.name}.{THUMBNAIL_KIND}")
    try:
        if mime_type == PDF:
            layer = PdfText(path, text_layers) if text_layers is not None else read_pdf_text(path, scratch, settings)
            pages, rendition, thumbnail_source = _read_pdf(layer, scratch, settings, ocr, outputs)
        else:
            pages, rendition = _read_image(path, scratch, settings, ocr, outputs)
            thumbnail_source = path
        thumbnail = None
        # A born-digital PDF's thumbnail is drawn when first shown (a derived cache, drawn again
        # whenever lost): drawing it here cost a third as much as reading its text. A scan's is
        # drawn now, beside its OCR, which costs a hundred times more.
        if mime_type != PDF or rendition is not None:
            # _read_pdf measured the first page before anything was drawn: not measured again.
            thumbnail = _thumbnail(thumbnail_source, mime_type, settings, outputs.thumbnail, checked=mime_type == PDF)
    except BaseException:
        outputs.remove()
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return ReadResult(mime_type, pages, any(page.ocr for page in pages), rendition, thumbnail)


@dataclass(frozen=True)
class _Outputs:
    """Where one reading writes the files it hands back."""

    rendition: Path
    thumbnail: Path

    def remove(self) -> None:
        """Delete what was written, after a failure."""
        self.rendition.unlink(missing_ok=True)
        self.thumbnail.unlink(missing_ok=True)


def _read_pdf(
    layer: PdfText, scratch: Path, settings: OcrSettings, ocr: OcrRunner, outputs: _Outputs
) -> tuple[tuple[PageText, ...], Path | None, Path]:
    """Pages (text layer where real, else OCR), a rendition when any page has OCR text, and the readable source."""
    todo = [
        index for index, text in enumerate(layer.texts) if not has_real_text(text, settings.min_text_chars_per_page)
    ]
    # Only pages that get drawn (OCR, and the first one for the thumbnail) are measured.
    check_pages_to_draw(layer.source, sorted(set(todo) | {0}), settings.max_image_pixels)
    scans = _ocr_pages(ocr, todo, lambda index: _ocr_pdf_page(ocr, layer.source, index, scratch, settings))
    pages = tuple(
        _page_text(index, scans[index]) if index in scans else PageText(index + 1, text, False, None)
        for index, text in enumerate(layer.texts)
    )
    layers = {index: scan for index, scan in scans.items() if scan.text_pdf is not None}
    rendition = None
    if layers:
        from ingest.rendition import pdf_rendition

        rendition = pdf_rendition(layer.source, layers, outputs.rendition)
    return pages, rendition, layer.source


def _read_image(
    path: Path, scratch: Path, settings: OcrSettings, ocr: OcrRunner, outputs: _Outputs
) -> tuple[tuple[PageText, ...], Path]:
    """OCR every frame of an image and make its searchable PDF."""
    count = frame_count(path, settings.max_image_pixels)
    if count > settings.max_pages:
        raise DocumentTooLarge(
            "image.too_many_pages",
            "This image has {count} pages; the archive takes at most {max_pages} pages per document.",
            count=count,
            max_pages=settings.max_pages,
        )
    read = _ocr_pages(ocr, range(count), lambda index: _ocr_image_page(ocr, path, index, scratch, settings))
    # The rendition already shows the EXIF turn (img2pdf sets /Rotate): it gets OSD's only.
    scans = {index: scan for index, (scan, _exif_turn) in read.items()}
    pages = tuple(_page_text(index, scan, read[index][1]) for index, scan in scans.items())
    from ingest.rendition import image_rendition

    rendition = image_rendition(path, scans, settings.max_image_pixels, scratch, outputs.rendition)
    return pages, rendition


def _thumbnail(source: Path, mime_type: str, settings: OcrSettings, target: Path, checked: bool) -> Path | None:
    """The first-page thumbnail, or None when it cannot be drawn: a document is filed without one."""
    try:
        return make_thumbnail(source, mime_type, settings.max_image_pixels, target, checked)
    except (IngestError, OSError, ValueError) as exc:
        log.warning("no thumbnail for %s: %s", source.name, exc)
        target.unlink(missing_ok=True)
        return None


def _page_text(index: int, scan: OcrPage, exif_turn: int = 0) -> PageText:
    """The PageText of an OCR'd page; `rotated` counts both the EXIF and the OSD turn."""
    turned = (scan.rotated + exif_turn) % 360
    return PageText(index + 1, scan.text, True, scan.confidence, turned, scan.words, scan.second_text)


def _ocr_pages(ocr: OcrRunner, indexes: Sequence[int], job: Callable[[int], T]) -> dict[int, T]:
    """Run `job` for each page index on the runner in parallel; stop all at the first failure."""
    futures: dict[int, Future[T]] = {index: ocr.submit(job, index) for index in indexes}
    results: dict[int, T] = {}
    try:
        for index, future in futures.items():
            results[index] = future.result()
    except BaseException:
        for future in futures.values():
            future.cancel()
        # Pages already running write into the scratch folder: let them end before it goes.
        wait(futures.values())
        raise
    return results


def _ocr_pdf_page(ocr: OcrRunner, source: Path, index: int, scratch: Path, settings: OcrSettings) -> OcrPage:
    """Render one PDF page, OCR it and delete the image."""
    image = scratch / f"page-{index + 1}.pgm"
    try:
        most = min(settings.max_image_pixels, settings.max_render_pixels)
        dpi = render_page(source, index, settings.dpi, most, image)
        # Drawn below the configured resolution (a scan's own): small print may need scaling up.
        scale_up = dpi < settings.dpi
        return _read_prepared(ocr, image, scratch / f"page-{index + 1}", dpi, settings, scale_up=scale_up)
    finally:
        image.unlink(missing_ok=True)


def _ocr_image_page(
    ocr: OcrRunner, path: Path, index: int, scratch: Path, settings: OcrSettings
) -> tuple[OcrPage, int]:
    """Make one frame upright, OCR it and delete any copy made; also return the EXIF turn."""
    target = scratch / f"page-{index + 1}.png"
    try:
        image, dpi, exif_turn = page_image(path, index, settings.max_image_pixels, target, settings.max_render_pixels)
        return _read_prepared(ocr, image, scratch / f"page-{index + 1}", dpi, settings), exif_turn
    finally:
        target.unlink(missing_ok=True)


def _read_prepared(
    ocr: OcrRunner, image: Path, out_base: Path, dpi: int | None, settings: OcrSettings, scale_up: bool = True
) -> OcrPage:
    """OCR a page image, prepared first where it needs it (the prepared copy is deleted after)."""
    # The image libraries (OpenCV, NumPy) load with the first page to OCR: a reading process
    # that only reads text layers would pay a quarter of a second of CPU for them at its start.
    from ingest.prepare import Prepared, prepare_page

    if not settings.prepare_images:
        unprepared = Prepared(image, dpi, ())
        return _with_second_reading(ocr, image, dpi, unprepared, out_base, ocr.read_page(image, out_base, dpi))
    prepared = prepare_page(image, out_base.with_name(out_base.name + "-prepared"), dpi, scale_up)
    try:
        page = ocr.read_page(prepared.path, out_base, prepared.dpi)
        return _with_second_reading(ocr, image, dpi, prepared, out_base, page, scale_up)
    finally:
        if prepared.path != image:
            prepared.path.unlink(missing_ok=True)


def _with_second_reading(
    ocr: OcrRunner,
    source: Path,
    dpi: int | None,
    prepared: Prepared,
    out_base: Path,
    page: OcrPage,
    scale_up: bool = True,
) -> OcrPage:
    """The page, with a second reading when it is a fax, or a receipt whose facts the first missed."""
    from ingest.second_reading import second_reading  # it needs the image libraries too

    # A page OSD turned was read from a turned copy; `prepared` is not what was read.
    how = None if page.rotated else second_reading(prepared.path, prepared.steps, page.text)
    if how is None:
        return page
    again = out_base.with_name(out_base.name + "-again")
    if not how.sharp_fax:
        second = ocr.read_again(prepared.path, again, prepared.dpi, block=how.block)
        return replace(page, second_text=second.text)
    from ingest.prepare import prepare_page

    sharp = prepare_page(source, out_base.with_name(out_base.name + "-sharp"), dpi, scale_up, smooth_fax=False)
    try:
        second = ocr.read_again(sharp.path, again, sharp.dpi, block=how.block)
    finally:
        if sharp.path != source:
            sharp.path.unlink(missing_ok=True)
    return replace(page, second_text=second.text)
