"""Searchable PDFs: the scan in its own compression with an invisible text layer."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from ingest.ocr import OcrPage, OcrRunner
from ingest.render import render_page
from ingest.rendition import image_rendition, pdf_rendition, text_layer_matrix
from tests.ingest.conftest import pdf_text


def test_text_layer_is_stretched_over_an_upright_page() -> None:
    assert text_layer_matrix((612, 792), (10, 20, 306, 396), 0) == (0.5, 0, 0, 0.5, 10, 20)


@pytest.mark.parametrize(
    ("rotation", "corner"),
    # where the layer's top-left corner (0, 792) lands in page space on a 400x300 box at (10, 20)
    [(90, (10, 20)), (180, (410, 20)), (270, (410, 320))],
)
def test_text_layer_is_turned_back_onto_a_rotated_page(rotation: int, corner: tuple[int, int]) -> None:
    a, b, c, d, e, f = text_layer_matrix((612, 792), (10, 20, 400, 300), rotation)
    u, v = 0, 792
    assert (a * u + c * v + e, b * u + d * v + f) == pytest.approx(corner)


def test_jpeg_rendition_keeps_its_size_and_is_searchable(
    jpeg_scan: Path, tmp_path: Path, ocr_runner: OcrRunner
) -> None:
    page = ocr_runner.read_page(jpeg_scan, tmp_path / "p", 200)
    target = image_rendition(jpeg_scan, {0: page}, 120_000_000, tmp_path, tmp_path / "out.pdf")
    assert target.stat().st_size <= 1.3 * jpeg_scan.stat().st_size
    assert "parkeervergunning" in pdf_text(target)[0]
    image = next(iter(PdfReader(target).pages[0].images))
    assert image.name.endswith(".jpg")  # the JPEG passed through, not re-encoded


def test_image_only_pdf_rendition_keeps_page_order(image_only_pdf: Path, tmp_path: Path, ocr_runner: OcrRunner) -> None:
    pages = {}
    for index in range(2):
        render_page(image_only_pdf, index, 150, 10**9, tmp_path / f"{index}.png")
        pages[index] = ocr_runner.read_page(tmp_path / f"{index}.png", tmp_path / f"p{index}", 150)
    target = pdf_rendition(image_only_pdf, pages, tmp_path / "out.pdf")
    texts = pdf_text(target)
    assert "Pagina een" in texts[0] and "Pagina twee" in texts[1]
    assert target.stat().st_size <= 1.3 * image_only_pdf.stat().st_size


def test_pages_without_a_text_layer_are_left_as_they_are(image_only_pdf: Path, tmp_path: Path) -> None:
    target = pdf_rendition(image_only_pdf, {1: OcrPage("", None, None, 0)}, tmp_path / "out.pdf")
    assert len(PdfReader(target).pages) == 2


def test_pages_share_one_font_and_a_repeated_page_one_layer(
    image_only_pdf: Path, tmp_path: Path, ocr_runner: OcrRunner
) -> None:
    render_page(image_only_pdf, 0, 150, 10**9, tmp_path / "0.png")
    render_page(image_only_pdf, 1, 150, 10**9, tmp_path / "1.png")
    first = ocr_runner.read_page(tmp_path / "0.png", tmp_path / "p0", 150)
    second = ocr_runner.read_page(tmp_path / "1.png", tmp_path / "p1", 150)
    target = pdf_rendition(image_only_pdf, {0: first, 1: second}, tmp_path / "two.pdf")
    with pikepdf.open(target) as pdf:
        fonts = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font" and o.get("/Subtype") == "/Type0"
        ]
        assert len(fonts) == 1  # Tesseract's font once, not once per page
    # The same page scanned twice: its layer is written once and drawn on both pages.
    again = pdf_rendition(image_only_pdf, {0: first, 1: first}, tmp_path / "again.pdf")
    with pikepdf.open(again) as pdf:
        layers = [_layer(page) for page in pdf.pages]
        assert layers[0].objgen == layers[1].objgen
    texts = pdf_text(again)
    assert "Pagina een" in texts[0] and "Pagina een" in texts[1]
    assert again.stat().st_size < target.stat().st_size


def _layer(page: pikepdf.Page) -> pikepdf.Object:
    return next(obj for name, obj in page.obj.Resources.XObject.items() if name.startswith("/FOAText"))
