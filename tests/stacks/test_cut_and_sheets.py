"""Separator sheets as a PDF, and a part's own PDF cut from the stack."""

from __future__ import annotations

from pypdf import PdfReader

from ingest.sniff import PDF
from ingest.stacks import Separator, classify_pages, cut_pages, image_stack_pdf, write_separator_sheets
from tests.documents import text_pdf


def test_sheets_are_one_page_each_and_read_back(tmp_path):
    separators = [Separator("K-10023", "invoice"), Separator()]
    sheets = write_separator_sheets(tmp_path / "sheets.pdf", separators, {"invoice": "Factuur"})
    reader = PdfReader(sheets)
    assert len(reader.pages) == 2
    assert "Klant / Client: K-10023" in reader.pages[0].extract_text()
    assert "Soort / Type: Factuur" in reader.pages[0].extract_text()
    assert [k.separator for k in classify_pages(sheets, PDF, 10**9)] == separators


def test_cut_keeps_the_chosen_pages_in_order(tmp_path):
    stack = text_pdf(tmp_path / "stack.pdf", [f"Pagina {n}" for n in range(1, 7)])
    part = cut_pages(stack, (2, 3, 5), tmp_path / "part.pdf")
    assert [page.extract_text().strip() for page in PdfReader(part).pages] == ["Pagina 2", "Pagina 3", "Pagina 5"]


def test_a_tiff_stack_becomes_a_pdf_of_its_frames(tmp_path):
    from PIL import Image

    frames = [Image.new("L", (400, 560), 255), Image.new("L", (400, 560), 200)]
    tiff = tmp_path / "stack.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(100, 100), compression="tiff_lzw")
    assert len(PdfReader(image_stack_pdf(tiff, tmp_path / "stack.pdf")).pages) == 2
