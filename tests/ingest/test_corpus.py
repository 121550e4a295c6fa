"""The reader on real, odd and broken files from the shared corpus (read in place)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.errors import DamagedDocument, EncryptedDocument
from ingest.ocr import OcrRunner
from ingest.reader import read_document
from ingest.render import render_page
from ingest.settings import OcrSettings
from ingest.sniff import PDF
from ingest.thumbnail import make_thumbnail
from tests.ingest.conftest import pdf_text, sha256

pytestmark = pytest.mark.corpus


def _read(corpus: Path, name: str, work_dir: Path, settings: OcrSettings, runner: OcrRunner):
    source = corpus / "robustness" / name
    before = sha256(source)
    result = read_document(source, work_dir, settings, runner)
    assert sha256(source) == before  # the corpus file is never altered
    return result


def test_image_only_pages_are_ocrd(
    corpus: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = _read(corpus, "paperless-multi-page-images.pdf", work_dir, ocr_settings, ocr_runner)
    assert [page.ocr for page in result.pages] == [True, True, True]
    for number, page in enumerate(result.pages, start=1):
        assert f"Page {number}" in page.text
    assert "Page 3" in pdf_text(result.searchable_pdf)[2]


def test_mixed_pdf_ocrs_only_the_scanned_pages(
    corpus: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = _read(corpus, "paperless-multi-page-mixed.pdf", work_dir, ocr_settings, ocr_runner)
    assert [page.ocr for page in result.pages] == [True, True, True, False, False, False]
    assert all(f"Page {page.number}" in page.text for page in result.pages)
    texts = pdf_text(result.searchable_pdf)
    assert "Page 2" in texts[1] and "Page 6" in texts[5]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("paperless-tagged-but-no-text.pdf", "This is a test"),
        ("ocrmypdf-truetype_font_nomapping.pdf", "Phone"),  # its text layer is junk
        ("ocrmypdf-jbig2.pdf", "LinnSequencer"),
        ("ocrmypdf-ccitt.pdf", "LinnSequencer"),
    ],
)
def test_scans_and_junk_text_layers_are_ocrd(
    corpus: Path, name: str, words: str, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = _read(corpus, name, work_dir, ocr_settings, ocr_runner)
    assert result.pages[0].ocr
    assert words in result.pages[0].text
    assert words in pdf_text(result.searchable_pdf)[0]


@pytest.mark.parametrize("name", ["paperless-signed.pdf", "paperless-simple.pdf", "paperless-with-form.pdf"])
def test_text_pdfs_use_their_text_layer(
    corpus: Path, name: str, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = _read(corpus, name, work_dir, ocr_settings, ocr_runner)
    assert not result.ocr and result.searchable_pdf is None
    assert "PDF" in result.pages[0].text or "test document" in result.pages[0].text
    assert result.thumbnail is None  # drawn when first shown
    assert (
        make_thumbnail(corpus / "robustness" / name, PDF, ocr_settings.max_image_pixels, work_dir / "t.jpg")
        .stat()
        .st_size
    )


@pytest.mark.parametrize("name", ["paperless-password-is-test.pdf", "paperless-encrypted.pdf"])
def test_password_protected_pdfs_are_refused(
    corpus: Path, name: str, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    with pytest.raises(EncryptedDocument, match="password"):
        _read(corpus, name, work_dir, ocr_settings, ocr_runner)


def test_corrupt_pdf_is_damaged(corpus: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner) -> None:
    with pytest.raises(DamagedDocument):
        _read(corpus, "ocrmypdf-invalid.pdf", work_dir, ocr_settings, ocr_runner)


def test_junk_before_header_is_read_leniently(
    corpus: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = _read(corpus, "paperless-invalid_pdf.pdf", work_dir, ocr_settings, ocr_runner)
    assert len(result.pages) == 2
    assert "Invoice number" in result.pages[0].text


def test_page_without_contents_is_a_blank_page(
    corpus: Path, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = _read(corpus, "ocrmypdf-no_contents.pdf", work_dir, ocr_settings, ocr_runner)
    assert [page.text for page in result.pages] == [""]
    thumbnail = make_thumbnail(
        corpus / "robustness" / "ocrmypdf-no_contents.pdf", PDF, ocr_settings.max_image_pixels, work_dir / "t.jpg"
    )
    assert thumbnail.stat().st_size


@pytest.mark.slow  # a dense page read sideways first: ~5 s alone, far more on a busy machine
@pytest.mark.parametrize(("index", "turn"), [(2, 180), (3, 90)])
def test_cardinal_pages_are_turned_upright(
    corpus: Path, index: int, turn: int, tmp_path: Path, ocr_runner: OcrRunner
) -> None:
    image = tmp_path / "page.png"
    dpi = render_page(corpus / "robustness" / "ocrmypdf-cardinal.pdf", index, 150, 10**9, image)
    page = ocr_runner.read_page(image, tmp_path / "page", dpi)
    assert page.rotated == turn
    assert "LinnSequencer" in page.text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "turns"), [("paperless-rotated.pdf", [0, 180, 90, 0]), ("ocrmypdf-cardinal.pdf", [0, 0, 180, 90])]
)
def test_rotated_documents_are_read_upright(
    corpus: Path, name: str, turns: list[int], work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = _read(corpus, name, work_dir, ocr_settings, ocr_runner)
    assert [page.rotated for page in result.pages] == turns
    assert all(page.confidence and page.confidence > 80 for page in result.pages)


def _normalise(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word.lower())


def _transcript_words(box_csv: Path) -> list[str]:
    """Words of the SROIE ground truth: the transcript is after the first 8 commas."""
    words: list[str] = []
    for line in box_csv.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(",", 8)
        if len(parts) == 9:
            words += [_normalise(word) for word in parts[8].split()]
    return [word for word in words if word]


@pytest.mark.parametrize("receipt", ["036", "112"])
def test_receipt_words_are_recognised(
    corpus: Path, receipt: str, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    result = read_document(corpus / "sroie" / f"{receipt}.jpg", work_dir, ocr_settings, ocr_runner)
    truth = _transcript_words(corpus / "sroie" / f"{receipt}.box.csv")
    found = {_normalise(word) for word in result.pages[0].text.split()}
    recall = sum(1 for word in truth if word in found) / len(truth)
    assert recall >= 0.70
    assert result.searchable_pdf.stat().st_size <= 1.3 * (corpus / "sroie" / f"{receipt}.jpg").stat().st_size


@pytest.mark.parametrize(
    "name",
    [
        "ocrmypdf-jbig2.pdf",
        "ocrmypdf-ccitt.pdf",
        "paperless-tagged-but-no-text.pdf",
        pytest.param("ocrmypdf-cardinal.pdf", marks=pytest.mark.slow),
    ],
)
def test_compact_scans_stay_compact_when_made_searchable(
    corpus: Path, name: str, work_dir: Path, ocr_settings: OcrSettings, ocr_runner: OcrRunner
) -> None:
    # Bilevel JBIG2/CCITT scans of a few KB per page: the text layers must not outweigh them.
    result = _read(corpus, name, work_dir, ocr_settings, ocr_runner)
    assert result.searchable_pdf.stat().st_size <= 1.3 * (corpus / "robustness" / name).stat().st_size
    assert any(text.strip() for text in pdf_text(result.searchable_pdf))
