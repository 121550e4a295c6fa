"""read_document end to end on generated documents: text, OCR, renditions, bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from ingest.errors import (
    DamagedDocument,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    IngestError,
    OcrFailed,
    UnsupportedFormat,
)
from ingest.ocr import OcrRunner
from ingest.reader import read_document
from ingest.settings import OcrSettings
from ingest.sniff import JPEG, PDF, PNG, TIFF
from tests.ingest.conftest import (
    LETTER_NL,
    docx_file,
    encrypted_pdf,
    jpeg_with_exif_orientation,
    pdf_text,
    png_header_only,
    rotated_scan,
    sha256,
)


def test_born_digital_pdf_uses_its_text_layer(
    born_digital_pdf: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = read_document(born_digital_pdf, work_dir, ocr_settings, ocr_runner)
    assert result.mime_type == PDF
    assert not result.ocr and result.searchable_pdf is None
    assert "parkeervergunning" in result.pages[0].text
    assert result.pages[0].confidence is None
    assert result.thumbnail is None  # drawn when first shown
    assert sorted(work_dir.iterdir()) == []  # scratch files are gone


def test_three_pages_in_order(
    three_page_pdf: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = read_document(three_page_pdf, work_dir, ocr_settings, ocr_runner)
    assert [page.number for page in result.pages] == [1, 2, 3]
    assert "Pagina drie" in result.pages[2].text


def test_text_layers_read_already_are_taken_as_they_are(
    three_page_pdf: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    layers = ("Pagina een, zoals gelezen bij het zoeken naar scheidingsvellen", "", "Pagina drie, ook al gelezen")
    result = read_document(three_page_pdf, work_dir, ocr_settings, ocr_runner, text_layers=layers)
    assert [page.text for page in result.pages[::2]] == [layers[0], layers[2]]  # not extracted again
    assert result.pages[1].ocr and "twee" in result.pages[1].text.lower()  # no real text: OCR'd as ever


@pytest.mark.parametrize(
    ("fixture", "mime", "word"), [("png_scan", PNG, "Factuurnummer"), ("jpeg_scan", JPEG, "parkeervergunning")]
)
def test_image_scans_are_ocrd(
    request: pytest.FixtureRequest,
    fixture: str,
    mime: str,
    word: str,
    work_dir: Path,
    ocr_settings: OcrSettings,
    ocr_runner: OcrRunner,
) -> None:
    scan = request.getfixturevalue(fixture)
    before = sha256(scan)
    result = read_document(scan, work_dir, ocr_settings, ocr_runner)
    assert result.mime_type == mime and result.ocr
    assert word in result.pages[0].text
    assert result.pages[0].confidence is not None and result.pages[0].confidence > 70
    assert result.searchable_pdf is not None
    assert result.searchable_pdf.stat().st_size <= 1.3 * scan.stat().st_size
    assert word in pdf_text(result.searchable_pdf)[0]
    assert sha256(scan) == before


def test_image_only_pdf_is_ocrd_page_by_page(
    image_only_pdf: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = read_document(image_only_pdf, work_dir, ocr_settings, ocr_runner)
    assert [page.ocr for page in result.pages] == [True, True]
    assert "Pagina een" in result.pages[0].text and "Pagina twee" in result.pages[1].text
    assert result.searchable_pdf is not None
    assert "Pagina twee" in pdf_text(result.searchable_pdf)[1]


def test_two_page_tiff(two_page_tiff: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner) -> None:
    result = read_document(two_page_tiff, work_dir, ocr_settings, ocr_runner)
    assert result.mime_type == TIFF
    assert "Factuurnummer" in result.pages[0].text and "parkeervergunning" in result.pages[1].text
    assert len(pdf_text(result.searchable_pdf)) == 2


def test_sideways_scan_is_read_upright_and_upright_in_its_rendition(
    tmp_path: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = read_document(rotated_scan(tmp_path, 90), work_dir, ocr_settings, ocr_runner)
    assert result.pages[0].rotated == 90  # turned clockwise back to upright
    assert "Factuurnummer" in result.pages[0].text
    shown = PdfReader(result.searchable_pdf).pages[0]
    width, height = float(shown.cropbox.width), float(shown.cropbox.height)
    if shown.rotation % 180:
        width, height = height, width
    assert height > width  # shown as a portrait page
    # The invisible word lies where the scan shows it: 0.8 inch from the left, 2.24 from the top.
    left, top = _word_position(result.searchable_pdf, "Factuurnummer:")
    assert left == pytest.approx(0.8 * 72, abs=12)
    assert top == pytest.approx(2.24 * 72, abs=12)


def _word_position(pdf: Path, word: str) -> tuple[float, float]:
    """Poppler's left and top of `word` on the first page as shown."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    found = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>' + re.escape(word) + "<", html)
    assert found, html[:500]
    return float(found.group(1)), float(found.group(2))


def test_exif_turn_counts_as_rotation(
    tmp_path: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    phone = jpeg_with_exif_orientation(tmp_path / "phone.jpg", LETTER_NL, 6)
    result = read_document(phone, work_dir, ocr_settings, ocr_runner)
    assert result.pages[0].rotated == 90
    assert "parkeervergunning" in result.pages[0].text


def test_documents_are_read_concurrently_through_one_runner(
    png_scan: Path, image_only_pdf: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    with ThreadPoolExecutor(2) as inbox:
        results = list(
            inbox.map(lambda path: read_document(path, work_dir, ocr_settings, ocr_runner), [png_scan, image_only_pdf])
        )
    assert "Factuurnummer" in results[0].pages[0].text
    assert "Pagina twee" in results[1].pages[1].text
    assert results[0].searchable_pdf != results[1].searchable_pdf


def _html(tmp_path: Path) -> Path:
    path = tmp_path / "factuur.pdf"
    path.write_text("<html><body><h1>Factuur</h1></body></html>")
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "leeg.pdf"
    path.write_bytes(b"")
    return path


def _truncated(tmp_path: Path) -> Path:
    from tests.documents import text_pdf

    whole = text_pdf(tmp_path / "whole.pdf", ["Eerste pagina met tekst", "Tweede pagina"])
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole.read_bytes()[:300])
    return path


def _password(tmp_path: Path) -> Path:
    from tests.documents import text_pdf

    return encrypted_pdf(text_pdf(tmp_path / "plain.pdf", [LETTER_NL]), tmp_path / "locked.pdf", "geheim", "owner")


def _bomb(tmp_path: Path) -> Path:
    return png_header_only(tmp_path / "bomb.png", 50_000, 50_000)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (_empty, EmptyDocument),
        (_html, UnsupportedFormat),
        (lambda tmp: docx_file(tmp / "brief.docx"), UnsupportedFormat),
        (_truncated, DamagedDocument),
        (_password, EncryptedDocument),
        (_bomb, DocumentTooLarge),
    ],
)
def test_bad_input_gives_one_sentence(
    tmp_path: Path, make, error: type[IngestError], work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    source = make(tmp_path)
    before = sha256(source)
    with pytest.raises(error) as caught:
        read_document(source, work_dir, ocr_settings, ocr_runner)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    assert sha256(source) == before
    assert list(work_dir.iterdir()) == []


def test_too_many_pages(three_page_pdf: Path, work_dir: Path, ocr_runner: OcrRunner) -> None:
    with pytest.raises(DocumentTooLarge):
        read_document(three_page_pdf, work_dir, OcrSettings(max_pages=2), ocr_runner)


def test_webp_and_bmp_scans_are_read(
    png_scan: Path, tmp_path: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    for fmt in ("WEBP", "BMP"):
        target = tmp_path / f"scan.{fmt.lower()}"
        with Image.open(png_scan) as image:
            image.save(target, format=fmt, **({"lossless": True} if fmt == "WEBP" else {}))
        result = read_document(target, work_dir, ocr_settings, ocr_runner)
        assert "Factuurnummer" in result.pages[0].text
        assert "Factuurnummer" in pdf_text(result.searchable_pdf)[0]


def test_ocr_timeout_fails_the_document_and_leaves_nothing_behind(image_only_pdf: Path, work_dir: Path) -> None:
    settings = OcrSettings(workers=2, dpi=100, timeout_seconds=0.01)  # type: ignore[arg-type]
    with OcrRunner(settings) as impatient, pytest.raises(OcrFailed, match="longer than"):
        read_document(image_only_pdf, work_dir, settings, impatient)
    assert list(work_dir.iterdir()) == []


def test_a_born_digital_pdf_is_read_and_understood_without_the_image_libraries(tmp_path):
    # A reading process that only meets text layers never loads what drawing and OCR need:
    # together they cost its start a third of a second of CPU. An OCR'd page loads them
    # (the tests above).
    from tests.documents import text_pdf

    text_pdf(tmp_path / "letter.pdf", [LETTER_NL])
    script = (
        "import sys; from pathlib import Path\n"
        "from archive.documents.reading import Knowledge, read_and_understand\n"
        "from ingest.facts import ClientRegistry\n"
        "from ingest.facts.settings import ExtractionSettings\n"
        "from ingest.ocr import OcrRunner\n"
        "from ingest.settings import OcrSettings\n"
        "work = Path(sys.argv[1])\n"
        "with OcrRunner(OcrSettings()) as ocr:\n"
        "    done = read_and_understand(work / 'letter.pdf', work / 'out', OcrSettings(), ocr,\n"
        "                               Knowledge(ClientRegistry([]), ExtractionSettings(), None))\n"
        "assert not done.reading.ocr and 'vergunning' in done.reading.pages[0].text, done\n"
        "print(sorted(m for m in ('numpy', 'cv2', 'pytesseract', 'pypdfium2', 'zxingcpp') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stderr
