"""Separator sheets printed and read back through real scans; blank pages told from sparse ones."""

from __future__ import annotations

import pytest
from PIL import Image

from ingest.pdf import read_pdf_text
from ingest.settings import OcrSettings
from ingest.sniff import PDF, TIFF
from ingest.stacks import BLANK, CONTENT, SEPARATOR, Separator, classify_image, classify_pages, is_blank, look_at_stack
from ingest.stacks.pages import LOOK_DPI
from tests.documents import scan_image, text_pdf
from tests.stacks.scans import blank_back, printed_sheet, scanned, stack_pdf


def _small(image: Image.Image, dpi: int) -> Image.Image:
    scale = LOOK_DPI / dpi
    return image.resize((int(image.width * scale), int(image.height * scale)))


@pytest.mark.parametrize("skew", [-3.0, 0.0, 2.2])
def test_a_scanned_sheet_is_found_with_its_facts(tmp_path, skew):
    separator = Separator("K-10023", "invoice", "2024-03-12")
    page = scanned(printed_sheet(separator, 200, tmp_path), seed=3, skew=skew)
    kind = classify_image(1, _small(page, 200))
    assert (kind.kind, kind.separator) == (SEPARATOR, separator)


def test_a_sheet_upside_down_is_found_too(tmp_path):
    page = scanned(printed_sheet(Separator("K-7"), 200, tmp_path), seed=4).rotate(180)
    assert classify_image(1, _small(page, 200)).separator == Separator("K-7")


def test_blank_backs_with_show_through_are_blank_and_a_one_line_page_is_not():
    for seed in range(3):
        assert is_blank(_small(blank_back(200, seed), 200))
        assert is_blank(_small(blank_back(200, seed, show_through=None), 200))
    for words in ("Bijlage 3: zie ommezijde voor de handtekening", "Bijlage 3"):
        assert not is_blank(_small(scanned(scan_image(words, dpi=200, noise=False), seed=9), 200))
    letter = scanned(scan_image("Geachte heer Jansen,\nHierbij ontvangt u de factuur.", dpi=200), seed=10)
    assert classify_image(2, _small(letter, 200)).kind == CONTENT


def test_a_grey_paper_page_with_text_is_content():
    page = scan_image("Kopie op grijs papier\nFactuur 2024-7", dpi=200, noise=False).point(lambda v: 60 + v * 0.6)
    assert not is_blank(_small(page, 200))


def test_classify_a_scanned_pdf_stack(tmp_path):
    pages = [
        scanned(printed_sheet(Separator("K-1"), 200, tmp_path), seed=1),
        blank_back(200, 1),
        scanned(scan_image("Brief een\nGeachte mevrouw", dpi=200), seed=2),
        scanned(printed_sheet(Separator(None, "invoice"), 200, tmp_path), seed=5),
        scanned(scan_image("FACTUUR 12\nTotaal 10,00", dpi=200), seed=6),
    ]
    stack = stack_pdf(tmp_path / "stack.pdf", pages, 200)
    kinds = classify_pages(stack, PDF, 10**9)
    assert [k.kind for k in kinds] == [SEPARATOR, BLANK, CONTENT, SEPARATOR, CONTENT]
    assert kinds[3].separator == Separator(None, "invoice")


def test_classify_a_multipage_tiff(tmp_path):
    pages = [
        scanned(scan_image("Pagina een", dpi=200), seed=1),
        scanned(printed_sheet(Separator("K-2"), 200, tmp_path), seed=2),
    ]
    target = tmp_path / "stack.tif"
    pages[0].save(target, save_all=True, append_images=pages[1:], dpi=(200, 200), compression="tiff_lzw")
    assert [k.kind for k in classify_pages(target, TIFF, 10**9)] == [CONTENT, SEPARATOR]


def test_a_look_at_a_born_digital_pdf_keeps_its_text_layers_for_the_reading(tmp_path):
    letter = text_pdf(tmp_path / "brief.pdf", ["Geachte heer Jansen,\nHierbij de factuur.", "Bijlage 1\nUren"])
    look = look_at_stack(letter, PDF, tmp_path, OcrSettings())
    assert [k.kind for k in look.kinds] == [CONTENT, CONTENT]
    assert look.texts == read_pdf_text(letter, tmp_path, OcrSettings()).texts
    assert "Jansen" in look.texts[0]


def test_text_layers_read_from_a_trimmed_copy_are_not_kept(tmp_path):
    letter = text_pdf(tmp_path / "brief.pdf", ["Geachte heer Jansen,\nHierbij de factuur."])
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"X-Gateway: scanned\r\n" + letter.read_bytes())
    look = look_at_stack(junk, PDF, tmp_path, OcrSettings())
    assert look.kinds == () and look.texts is None  # one page: no stack, and the copy's text is not the file's


def test_a_pdf_whose_every_page_has_real_text_is_not_opened_to_draw(tmp_path, monkeypatch):
    import ingest.stacks.pages

    def no_drawing(*args):
        raise AssertionError("no page needed drawing")

    monkeypatch.setattr(ingest.stacks.pages, "page_images", no_drawing)
    letter = text_pdf(
        tmp_path / "brief.pdf", ["Geachte heer Jansen,\nHierbij de factuur.", "Bijlage 1\nUren gewerkt in mei"]
    )
    assert [k.kind for k in look_at_stack(letter, PDF, tmp_path, OcrSettings()).kinds] == [CONTENT, CONTENT]
