"""What each page of a scanned stack is: a separator sheet, a blank page, or content.

Every page is looked at once, small (the QR code of a separator sheet is 5 cm wide,
plenty at 100 dpi), so finding the sheets costs a fraction of reading the pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from ingest.images import open_image
from ingest.pdf import read_pdf_text
from ingest.render import PDFIUM_LOCK, pages_damaged
from ingest.settings import OcrSettings
from ingest.sniff import PDF
from ingest.stacks.payload import decode_separator
from ingest.stacks.sheets import SHEET_TITLES
from ingest.stacks.split import BLANK, CONTENT, SEPARATOR, PageKind

log = logging.getLogger(__name__)

LOOK_DPI = 100
# A page is blank when less than this share of its inner area is ink: one printed line
# is ~0.1 % and one short word ~0.03 %; scanner speckle (lone dark pixels, not counted)
# and show-through of the other side (light grey, well above the ink threshold) are ~0.
BLANK_MAX_INK = 0.0001
# Ink is what is this much darker than the paper (the page's bright end), so grey or
# coloured paper is judged like white.
INK_CONTRAST = 90
_MARGIN = 0.06  # punch holes, staple shadows and scanner edges sit in the margins


@dataclass(frozen=True)
class StackLook:
    """What each page of a scan is, and the PDF's text layers read on the way."""

    kinds: tuple[PageKind, ...]  # () for a PDF of one page: it cannot be a stack
    # Read from the file itself (not a trimmed or repaired copy), so that the reading
    # of the same bytes can take them instead of extracting them a second time.
    texts: tuple[str, ...] | None


def look_at_stack(
    path: Path, mime_type: str, work_dir: Path, settings: OcrSettings, progress: Callable[[], None] | None = None
) -> StackLook:
    """Return what each page of a PDF or (multi-page) image scan is; raise IngestError.

    `progress` is called after each page looked at (a long stack is slow, not stuck).
    """
    layer = read_pdf_text(path, work_dir, settings) if mime_type == PDF else None
    texts = layer.texts if layer is not None and layer.source == path else None
    if layer is not None and layer.page_count < 2:
        return StackLook((), texts)
    kinds = classify_pages(path, mime_type, settings.max_image_pixels, layer.texts if layer else None, progress)
    return StackLook(kinds, texts)


def classify_pages(
    path: Path,
    mime_type: str,
    max_pixels: int,
    texts: Sequence[str] | None = None,
    progress: Callable[[], None] | None = None,
) -> tuple[PageKind, ...]:
    """Return what each page of a PDF or (multi-page) image scan is; raise IngestError.

    `texts` are the PDF's text layers: a page with real text that is not a separator
    sheet's is content without being drawn (a born-digital PDF costs nothing extra).
    """
    skip = {index for index, text in enumerate(texts or ()) if _plainly_content(text)}
    if texts and len(skip) == len(texts):
        # Every page is content by its text: the PDF need not even be opened to draw none.
        return tuple(PageKind(index + 1, CONTENT) for index in range(len(texts)))
    kinds = []
    for index, image in enumerate(page_images(path, mime_type, max_pixels, skip)):
        kinds.append(PageKind(index + 1, CONTENT) if image is None else classify_image(index + 1, image))
        if progress is not None:
            progress()
    return tuple(kinds)


def _plainly_content(text: str) -> bool:
    folded = text.upper()
    return len(text.strip()) >= 20 and not any(title in folded for title in SHEET_TITLES)


def classify_image(number: int, image: Image.Image) -> PageKind:
    """Return what one page image (greyscale, any size) is."""
    separator = find_separator(image)
    if separator is not None:
        return PageKind(number, SEPARATOR, separator)
    return PageKind(number, BLANK if is_blank(image) else CONTENT)


def find_separator(image: Image.Image):
    """Return the Separator whose QR code is on the page, else None."""
    import zxingcpp  # the libraries for page images load when a page is drawn, not for every text PDF

    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)):
        separator = decode_separator(barcode.text)
        if separator is not None:
            return separator
    return None


def ink_share(image: Image.Image) -> float:
    """Return the share of the page's inner area covered by ink (0-1)."""
    width, height = image.size
    inner = image.crop(
        (int(width * _MARGIN), int(height * _MARGIN), int(width * (1 - _MARGIN)), int(height * (1 - _MARGIN)))
    )
    import numpy as np

    pixels = np.asarray(inner, dtype=np.int16)
    if pixels.size < 4:
        return 0.0
    paper = int(np.percentile(pixels[::4, ::4], 95))
    dark = pixels < paper - INK_CONTRAST
    # Ink is a stroke, two pixels or more in a row or column; a lone dark pixel is dust or speckle.
    across = dark[:, :-1] & dark[:, 1:]
    down = dark[:-1, :] & dark[1:, :]
    return float(np.count_nonzero(across) + np.count_nonzero(down)) / (2 * pixels.size)


def is_blank(image: Image.Image) -> bool:
    """True when the page carries no ink worth keeping."""
    return ink_share(image) < BLANK_MAX_INK


def page_images(
    path: Path, mime_type: str, max_pixels: int, skip: Set[int] = frozenset()
) -> Iterator[Image.Image | None]:
    """Yield each page as a small greyscale image, one at a time (None for the 0-based pages in `skip`)."""
    if mime_type == PDF:
        yield from _pdf_pages(path, skip)
    else:
        yield from _image_frames(path, max_pixels)


def _pdf_pages(path: Path, skip: Set[int]) -> Iterator[Image.Image | None]:
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise pages_damaged() from exc
        count = len(document)
    try:
        for index in range(count):
            if index in skip:
                yield None
                continue
            with PDFIUM_LOCK:
                page = document[index]
                try:
                    image = page.render(scale=LOOK_DPI / 72, grayscale=True, may_draw_forms=False).to_pil()
                except pdfium.PdfiumError as exc:
                    raise pages_damaged() from exc
                finally:
                    page.close()
            yield image.convert("L")
    finally:
        with PDFIUM_LOCK:
            document.close()


def _image_frames(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    with open_image(path, max_pixels) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frame = ImageOps.exif_transpose(image.convert("L")) if index == 0 else image.convert("L")
            dpi = (image.info.get("dpi") or (200, 200))[0] or 200
            scale = min(1.0, LOOK_DPI / float(dpi))
            yield frame.resize((max(1, int(frame.width * scale)), max(1, int(frame.height * scale))))
