"""Loading scans with Pillow: bombs refused unread, EXIF turns applied, TIFF frames."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image

from ingest.errors import DamagedDocument, DocumentTooLarge
from ingest.images import frame_count, page_image, write_thumbnail
from tests.ingest.conftest import LETTER_NL, jpeg_with_exif_orientation, png_header_only


def test_decompression_bomb_is_refused_without_decoding(tmp_path: Path) -> None:
    bomb = png_header_only(tmp_path / "bomb.png", 60_000, 60_000)
    started = time.monotonic()
    with pytest.raises(DocumentTooLarge, match="million pixels"):
        frame_count(bomb, 120_000_000)
    assert time.monotonic() - started < 1.0  # 3.6 gigapixels were never decoded


@pytest.mark.parametrize("limit", [6_000, 4_000, 9_000])
def test_pixel_limit_is_the_setting(tmp_path: Path, limit: int) -> None:
    # 10,000 pixels: above the limit, whether Pillow warns (1-2x) or errors (>2x) or we check
    image = tmp_path / "small.png"
    Image.new("L", (100, 100), 255).save(image)
    with pytest.raises(DocumentTooLarge):
        frame_count(image, limit)
    assert frame_count(image, 20_000) == 1


def test_tiff_frames_are_pages(two_page_tiff: Path) -> None:
    assert frame_count(two_page_tiff, 120_000_000) == 2


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    sideways = jpeg_with_exif_orientation(tmp_path / "phone.jpg", LETTER_NL, 6)
    image, dpi, turn = page_image(sideways, 0, 120_000_000, tmp_path / "upright.png")
    with Image.open(sideways) as stored, Image.open(image) as upright:
        assert stored.width > stored.height
        assert upright.height > upright.width
    assert dpi == 150
    assert turn == 90


def test_plain_png_is_handed_to_tesseract_as_it_is(png_scan: Path, tmp_path: Path) -> None:
    image, dpi, turn = page_image(png_scan, 0, 120_000_000, tmp_path / "copy.png")
    assert image == png_scan
    assert (dpi, turn) == (200, 0)
    assert not (tmp_path / "copy.png").exists()


def test_second_tiff_frame_is_written_as_png(two_page_tiff: Path, tmp_path: Path) -> None:
    image, _, _ = page_image(two_page_tiff, 1, 120_000_000, tmp_path / "frame.png")
    with Image.open(image) as frame:
        assert frame.format == "PNG"


def test_truncated_image_is_damaged(jpeg_scan: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.tif"
    with Image.open(jpeg_scan) as image:
        image.save(cut, format="TIFF")
    cut.write_bytes(cut.read_bytes()[:5000])
    with pytest.raises(DamagedDocument, match="damaged"):
        page_image(cut, 0, 120_000_000, tmp_path / "out.png")


def test_thumbnail_is_upright_and_small(tmp_path: Path) -> None:
    sideways = jpeg_with_exif_orientation(tmp_path / "phone.jpg", LETTER_NL, 6)
    thumb = write_thumbnail(sideways, 300, 120_000_000, tmp_path / "thumb.png")
    with Image.open(thumb) as image:
        assert image.width == 300
        assert image.height > image.width


def test_a_standard_fax_keeps_both_resolutions_in_its_copy(tmp_path: Path) -> None:
    fax = tmp_path / "fax.tif"
    Image.new("1", (1728, 1100), 1).save(fax, "TIFF", compression="group4", dpi=(204, 98))
    image, dpi, _ = page_image(fax, 0, 120_000_000, tmp_path / "copy.png")
    assert dpi == 204  # the dots a line, what Tesseract is told once the lines are restored
    with Image.open(image) as copy:
        across, down = copy.info["dpi"]
    assert (round(across), round(down)) == (204, 98)


def test_a_small_limit_is_not_left_behind_for_other_callers(tmp_path: Path) -> None:
    from ingest.images import open_image

    path = tmp_path / "page.png"
    Image.new("L", (300, 300), 255).save(path)
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(DocumentTooLarge), open_image(path, 20_000):
        pass
    assert before == Image.MAX_IMAGE_PIXELS  # a later Image.open elsewhere keeps its own limit
