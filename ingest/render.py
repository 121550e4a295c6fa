"""Render PDF pages to images with pypdfium2 (for OCR and thumbnails)."""

from __future__ import annotations

import logging
import math
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from ingest.errors import DamagedDocument

if TYPE_CHECKING:
    import pypdfium2 as pdfium

log = logging.getLogger(__name__)

# PDFium is not thread-safe: every call into it, from any thread, holds this lock.
PDFIUM_LOCK = threading.Lock()
_POINTS_PER_INCH = 72.0


def pages_damaged() -> DamagedDocument:
    """Return the error for a PDF whose pages PDFium cannot open or draw."""
    return DamagedDocument(
        "pdf.pages_damaged", "This PDF is damaged and its pages cannot be shown; please scan or save it again."
    )


def render_scale(width_pt: float, height_pt: float, dpi: int, max_pixels: int) -> float:
    """Scale factor for rendering at `dpi`, lowered so the image stays within `max_pixels` (pure)."""
    scale = dpi / _POINTS_PER_INCH
    pixels = width_pt * scale * height_pt * scale
    if pixels > max_pixels:
        scale *= math.sqrt(max_pixels / pixels)
    return scale


def thumbnail_scale(width_pt: float, height_pt: float, width_px: int, max_side_px: int, max_pixels: int) -> float:
    """Scale for a thumbnail `width_px` wide, lowered so no side exceeds `max_side_px` nor the area `max_pixels` (pure).

    A page 1 pt wide and 14,400 pt long would otherwise be drawn 300 times its size.
    """
    width_pt, height_pt = max(width_pt, 1.0), max(height_pt, 1.0)
    scale = width_px / width_pt
    scale = min(scale, max_side_px / max(width_pt, height_pt))
    return min(scale, math.sqrt(max_pixels / (width_pt * height_pt)))


# A page is one scan when a single image covers at least this share of it.
_SCAN_COVER = 0.85


def scan_resolution(page: pdfium.PdfPage) -> int | None:
    """The resolution (dpi) of the one scanned image that covers `page`; None for any other page."""
    import pypdfium2 as pdfium

    images = list(page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    if len(images) != 1:
        return None
    left, bottom, right, top = images[0].get_pos()
    width, height = page.get_size()
    if right - left <= 0 or (right - left) * (top - bottom) < _SCAN_COVER * width * height:
        return None
    pixels_wide, _pixels_high = images[0].get_size()
    return round(pixels_wide / ((right - left) / _POINTS_PER_INCH)) or None


def render_page(source: Path, index: int, dpi: int, max_pixels: int, target: Path) -> int:
    """Render page `index` (0-based) as a greyscale PNG (or PGM) at `target`; return the dpi used.

    A page that is one scanned image is drawn at the scan's own resolution when that is
    lower than `dpi`: drawing a 200 dpi scan at 300 dpi invents no detail and gives
    Tesseract 2.25 times the pixels. Small print is scaled up later, by its letters' height.
    """
    with PDFIUM_LOCK:
        document = _open(source)
        try:
            page = document[index]
            width, height = page.get_size()
            native = scan_resolution(page)
            scale = render_scale(width, height, min(dpi, native) if native else dpi, max_pixels)
            image = _render(page, scale, grayscale=True)
            page.close()
        finally:
            document.close()
    used_dpi = round(scale * _POINTS_PER_INCH)
    if target.suffix == ".pgm":
        # No compression at all for a page that lives only until Tesseract has read it (its
        # dpi is handed over beside it): a PNG's costs about a tenth of the page's OCR time.
        image.save(target, format="PPM")
    else:
        image.save(target, format="PNG", compress_level=1, dpi=(used_dpi, used_dpi))
    return used_dpi


def render_thumbnail(
    source: Path, width: int, target: Path, quality: int = 85, index: int = 0, grayscale: bool = True
) -> Path:
    """Render page `index` (0-based) `width` pixels wide (at most four times as long) as a JPEG at `target`.

    Greyscale by default: a third of the pixels to encode, which is most of a thumbnail's
    cost on born-digital PDFs (reading their text is otherwise only ~30 ms).
    """
    with PDFIUM_LOCK:
        document = _open(source)
        try:
            page = document[index]
            page_width, page_height = page.get_size()
            scale = thumbnail_scale(page_width, page_height, width, 4 * width, 4 * width * width)
            image = _render(page, scale, grayscale=grayscale)
            page.close()
        finally:
            document.close()
    image.save(target, format="JPEG", quality=quality)
    return target


def _open(source: Path) -> pdfium.PdfDocument:
    """Open with PDFium (caller holds the lock), translating its errors.

    Passwords were already checked with pypdf, so any failure here means damage.
    """
    # Imported when a page is first drawn: a reading process that only reads text layers never needs it.
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        log.warning("PDFium could not open %s: %s", source.name, exc)
        raise pages_damaged() from exc


def _render(page: pdfium.PdfPage, scale: float, grayscale: bool) -> "Image.Image":
    """Render one page (caller holds the lock), translating PDFium's errors."""
    import pypdfium2 as pdfium

    try:
        return page.render(scale=scale, grayscale=grayscale).to_pil()
    except pdfium.PdfiumError as exc:
        raise pages_damaged() from exc
