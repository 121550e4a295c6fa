"""Thumbnails of the first page."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ingest.sniff import PDF, TIFF
from ingest.thumbnail import THUMBNAIL_WIDTH, make_thumbnail


def test_pdf_and_image_thumbnails_are_jpegs_of_the_width(
    three_page_pdf: Path, two_page_tiff: Path, tmp_path: Path
) -> None:
    for source, mime in ((three_page_pdf, PDF), (two_page_tiff, TIFF)):
        thumb = make_thumbnail(source, mime, 120_000_000, tmp_path / f"{source.stem}.jpg")
        with Image.open(thumb) as image:
            assert image.format == "JPEG"
            assert image.width == THUMBNAIL_WIDTH


def test_a_bilevel_scan_gets_a_grey_thumbnail(tmp_path: Path) -> None:
    # JPEG has no 1-bit mode: a black-and-white fax or CCITT scan is drawn in grey.
    scan = tmp_path / "fax.png"
    Image.new("1", (1700, 2200), 1).save(scan)
    thumb = make_thumbnail(scan, "image/png", 120_000_000, tmp_path / "fax.jpg")
    with Image.open(thumb) as image:
        assert (image.format, image.mode, image.width) == ("JPEG", "L", THUMBNAIL_WIDTH)
