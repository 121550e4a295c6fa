"""Pictures of a document's pages: a small one of the first page for result lists, and
larger ones of every page to look at where a browser shows no PDF (phones, kiosks)."""

from __future__ import annotations

from pathlib import Path

from ingest.images import write_thumbnail
from ingest.pdf_guard import check_pages_to_draw
from ingest.render import render_thumbnail
from ingest.sniff import PDF

THUMBNAIL_WIDTH = 300
# JPEG: encoding a page picture as PNG took half the time of drawing it (~3 ms of a
# born-digital PDF's ~40 ms); JPEG takes a sixth of that and suits scans' photos too.
THUMBNAIL_KIND = "thumb.jpg"
THUMBNAIL_MIME = "image/jpeg"
THUMBNAIL_QUALITY = 85
# A page to read on screen: sharp in a column ~500 CSS pixels wide on a high-density display.
PAGE_IMAGE_WIDTH = 1000
PAGE_IMAGE_QUALITY = 80


def make_thumbnail(source: Path, mime_type: str, max_pixels: int, target: Path, checked: bool = False) -> Path:
    """Write a JPEG of the first page, THUMBNAIL_WIDTH pixels wide, at `target`.

    `checked`: the caller measured the PDF's first page with ``check_pages_to_draw``
    already (a reading does, before OCR); a thumbnail drawn on its own is measured here.
    """
    if mime_type == PDF:
        if not checked:
            check_pages_to_draw(source, [0], max_pixels)
        return render_thumbnail(source, THUMBNAIL_WIDTH, target, THUMBNAIL_QUALITY)
    return write_thumbnail(source, THUMBNAIL_WIDTH, max_pixels, target, THUMBNAIL_QUALITY)


def make_page_image(source: Path, index: int, max_pixels: int, target: Path) -> Path:
    """Write a colour JPEG of PDF page `index` (0-based), PAGE_IMAGE_WIDTH pixels wide, at `target`."""
    check_pages_to_draw(source, [index], max_pixels)
    return render_thumbnail(source, PAGE_IMAGE_WIDTH, target, PAGE_IMAGE_QUALITY, index=index, grayscale=False)
