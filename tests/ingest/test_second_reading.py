"""The second reading of a receipt: which pages get one, and that it never replaces the text."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from ingest.ocr import OcrRunner
from ingest.reader import read_document
from ingest.second_reading import is_receipt_shaped, lacks_receipt_facts
from ingest.settings import OcrSettings
from tests.documents import font, scan_file

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
