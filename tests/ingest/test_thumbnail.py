"""Thumbnails of the first page."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ingest.sniff import PDF, TIFF
from ingest.thumbnail import THUMBNAIL_WIDTH, make_thumbnail


def test_pdf_and_image_thumbnails_are_pngs_of_the_width(three_page_pdf: Path, two_page_tiff: Path, tmp_path: Path) -> None:
    for source, mime in ((three_page_pdf, PDF), (two_page_tiff, TIFF)):
        thumb = make_thumbnail(source, mime, 120_000_000, tmp_path / f"{source.stem}.png")
        with Image.open(thumb) as image:
            assert image.format == "PNG"
            assert image.width == THUMBNAIL_WIDTH
