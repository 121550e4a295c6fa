"""Rendering PDF pages with pypdfium2."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ingest.errors import DamagedDocument
from ingest.render import render_page, render_scale, render_thumbnail


def test_scale_follows_the_dpi() -> None:
    assert render_scale(595, 842, 144, 10**9) == pytest.approx(2.0)


def test_scale_is_lowered_to_stay_within_the_pixel_limit() -> None:
    scale = render_scale(595, 842, 300, 1_000_000)
    assert 595 * scale * 842 * scale == pytest.approx(1_000_000)


def test_page_is_rendered_greyscale_at_the_dpi(three_page_pdf: Path, tmp_path: Path) -> None:
    dpi = render_page(three_page_pdf, 2, 100, 10**9, tmp_path / "p3.png")
    with Image.open(tmp_path / "p3.png") as image:
        assert image.mode == "L"
        assert image.width == pytest.approx(8.27 * 100, abs=2)
        assert round(image.info["dpi"][0]) == dpi == 100


def test_thumbnail_has_the_width(born_digital_pdf: Path, tmp_path: Path) -> None:
    render_thumbnail(born_digital_pdf, 300, tmp_path / "thumb.png")
    with Image.open(tmp_path / "thumb.png") as image:
        assert image.width == 300


def test_unrenderable_pdf_is_damaged(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nThis is not really a PDF.\n%%EOF\n")
    with pytest.raises(DamagedDocument):
        render_page(broken, 0, 100, 10**9, tmp_path / "p.png")


def _scan_pdf(path: Path, dpi: int) -> Path:
    """An A4 page that is one greyscale scan at `dpi`, as a copier writes it."""
    page = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 250)
    page.save(path, "PDF", resolution=dpi)
    return path


def test_a_scanned_page_is_drawn_at_its_own_resolution_not_above(tmp_path: Path) -> None:
    scan = _scan_pdf(tmp_path / "scan.pdf", 200)
    # 300 dpi would give Tesseract 2.25 times the pixels of what the scanner saw.
    assert render_page(scan, 0, 300, 10**9, tmp_path / "a.png") == 200
    with Image.open(tmp_path / "a.png") as image:
        assert image.width == pytest.approx(8.27 * 200, abs=2)
    assert render_page(scan, 0, 150, 10**9, tmp_path / "b.png") == 150  # never above what was asked


def test_a_page_with_more_than_a_scan_on_it_is_drawn_at_the_asked_resolution(
    born_digital_pdf: Path, tmp_path: Path
) -> None:
    assert render_page(born_digital_pdf, 0, 300, 10**9, tmp_path / "p.png") == 300
