"""Searchable PDFs: the scan in its own compression with an invisible text layer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ingest.ocr import OcrPage, OcrRunner
from ingest.render import render_page
from ingest.rendition import image_rendition, pdf_rendition, text_layer_transform
from tests.ingest.conftest import pdf_text, rotated_scan


def test_text_layer_is_scaled_onto_the_page_box(png_scan: Path, tmp_path: Path, ocr_runner: OcrRunner) -> None:
    page = ocr_runner.read_page(png_scan, tmp_path / "p", 200)
    text_page = PdfReader(page.text_pdf).pages[0]
    transform = text_layer_transform(text_page, 10, 20, 297.5, 421)
    a, _, _, d, e, f = transform.ctm
    assert a * float(text_page.mediabox.width) == pytest.approx(297.5)
    assert d * float(text_page.mediabox.height) == pytest.approx(421)
    assert (e, f) == (10, 20)


def test_jpeg_rendition_keeps_its_size_and_is_searchable(jpeg_scan: Path, tmp_path: Path, ocr_runner: OcrRunner) -> None:
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


def test_page_turned_by_ocr_is_upright_in_the_rendition(tmp_path: Path, ocr_runner: OcrRunner) -> None:
    sideways = rotated_scan(tmp_path, 90)  # landscape image of a portrait page
    page = ocr_runner.read_page(sideways, tmp_path / "p", 200)
    assert page.rotated == 90  # turned clockwise back to upright
    target = image_rendition(sideways, {0: page}, 120_000_000, tmp_path, tmp_path / "out.pdf")
    shown = PdfReader(target).pages[0]
    assert shown.rotation % 360 == 0
    assert float(shown.mediabox.height) > float(shown.mediabox.width)
    assert "Factuurnummer" in pdf_text(target)[0]


def test_pages_without_a_text_layer_are_left_as_they_are(image_only_pdf: Path, tmp_path: Path) -> None:
    target = pdf_rendition(image_only_pdf, {1: OcrPage("", None, None, 0)}, tmp_path / "out.pdf")
    assert len(PdfReader(target).pages) == 2
