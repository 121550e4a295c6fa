"""The second reading of a receipt or a fax: which pages get one, and that it never replaces the text."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw

from archive.config import load_config
from ingest.facts import ClientRegistry, extract_facts
from ingest.ocr import OcrRunner
from ingest.prepare import FAX_LINES
from ingest.reader import read_document
from ingest.second_reading import (
    FAX_UNSMOOTHED,
    RECEIPT_AS_BLOCK,
    is_receipt_shaped,
    lacks_receipt_facts,
    second_reading,
)
from ingest.settings import OcrSettings
from tests.documents import font, scan_file
from tests.facts.formats import draw_image, fax, lay_out

WITH_DATE_AND_TOTAL = "KRUIDVAT\nMarkt 28\n12-03-2024 10:11\nPENNEN 9,12\nTAPE 3,40\nTOTAAL 12,52\nPIN 12,52"
WITHOUT_DATE = "KRUIDVAT\nMarkt 28\nPENNEN 9,12\nTAPE 3,40\nTOTAAL 12,52\nPIN 12,52"


def till_receipt(path: Path, text: str, dpi: int = 200) -> Path:
    """A till receipt as a scanner gives it: a strip 3 inches wide, the lines in a small font."""
    lines = text.splitlines()
    size = int(dpi * 0.14)
    width, height = int(3 * dpi), max(int(8 * dpi), int(size * 1.6 * (len(lines) + 4)))
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((int(dpi * 0.2), int(dpi * 0.4) + int(size * 1.6) * number), line, fill=20, font=font(size))
    page.save(path, dpi=(dpi, dpi))
    return path


def test_a_tall_strip_is_receipt_shaped_and_a_sheet_of_paper_is_not() -> None:
    assert is_receipt_shaped(600, 1600)
    assert is_receipt_shaped(744, 1970)
    assert not is_receipt_shaped(1654, 2339)  # A4 at 200 dpi
    assert not is_receipt_shaped(2550, 3300)  # Letter at 300 dpi
    assert not is_receipt_shaped(0, 1000)


def test_a_reading_lacks_receipt_facts_when_its_date_or_total_is_unfound() -> None:
    assert not lacks_receipt_facts(WITH_DATE_AND_TOTAL)
    assert lacks_receipt_facts(WITHOUT_DATE)
    assert lacks_receipt_facts("KRUIDVAT\n12-03-2024 10:11\nPENNEN 9,12\nTAPE 3,40")  # no total
    assert not lacks_receipt_facts("")  # nothing read: a second reading finds nothing either


def test_a_receipt_missing_its_date_is_read_again_as_one_block(
    tmp_path: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = read_document(till_receipt(tmp_path / "bon.png", WITHOUT_DATE), work_dir, ocr_settings, ocr_runner)
    (page,) = result.pages
    assert "TOTAAL" in page.second_text.upper()
    assert "TOTAAL" in page.text.upper()  # the page's own text is still its first reading
    assert result.searchable_pdf is not None and result.searchable_pdf.exists()


def test_a_receipt_whose_date_and_total_were_found_is_read_once(
    tmp_path: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = read_document(till_receipt(tmp_path / "bon.png", WITH_DATE_AND_TOTAL), work_dir, ocr_settings, ocr_runner)
    assert [page.second_text for page in result.pages] == [""]


def test_a_sheet_of_paper_missing_its_date_is_read_once(
    tmp_path: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = read_document(scan_file(tmp_path / "page.png", WITHOUT_DATE), work_dir, ocr_settings, ocr_runner)
    assert [page.second_text for page in result.pages] == [""]


FAX_INVOICE = """Drukkerij Van Leeuwen B.V.
Industrieweg 4, 3812 LK Amersfoort
FACTUUR
Factuurnummer: 2025/9680
Factuurdatum: 30 augustus 2025
Omschrijving                 Bedrag
Drukwerk folders          € 1.240,00
BTW 21%                     € 260,40
Totaal te betalen         € 1.500,40
Graag binnen 30 dagen overmaken op NL91 ABNA 0417 1643 00
o.v.v. factuurnummer 2025/9680."""


def fax_file(path: Path, text: str, seed: int) -> Path:
    """A page sent by fax at standard resolution: 204 dots a line, 98 lines an inch, 1 bit, specks."""
    rng = random.Random(seed)
    page = fax(draw_image(lay_out([text], rng), 0, 204, vertical_dpi=98), rng)
    page.save(path, "TIFF", compression="group4", dpi=(204, 98))
    return path


def test_a_fax_page_is_read_again_and_a_sheet_read_well_is_not(tmp_path: Path) -> None:
    sheet = scan_file(tmp_path / "page.png", WITH_DATE_AND_TOTAL)
    assert second_reading(sheet, ("lines doubled",), "Factuur") == FAX_UNSMOOTHED
    assert FAX_LINES == "lines doubled"
    assert second_reading(sheet, ("deskewed +1.0°",), WITHOUT_DATE) is None
    assert second_reading(sheet, (FAX_LINES,), " ") is None  # nothing read: nothing to read again
    strip = till_receipt(tmp_path / "bon.png", WITHOUT_DATE)
    assert second_reading(strip, (), WITHOUT_DATE) == RECEIPT_AS_BLOCK


def test_a_fax_read_again_unsmoothed_gives_the_reference_the_first_reading_lost(
    tmp_path: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    # Smoothed, this fax's "Factuurnummer" line is misread; with its own hard edges it is
    # read right. What the first reading found (date, total) stays as it found it.
    result = read_document(fax_file(tmp_path / "fax.tif", FAX_INVOICE, 6), work_dir, ocr_settings, ocr_runner)
    (page,) = result.pages
    assert page.second_text and page.second_text != page.text
    settings = load_config().extraction
    first = extract_facts([page.text], ClientRegistry([]), settings)
    both = extract_facts([page.text], ClientRegistry([]), settings, second_pages=[page.second_text])
    assert first.reference is None and both.reference == "2025/9680"
    assert (first.document_date, first.amount) == (date(2025, 8, 30), Decimal("1500.40"))
    assert (both.document_date, both.amount) == (first.document_date, first.amount)
    assert result.searchable_pdf is not None  # the rendition carries the first reading's text only
