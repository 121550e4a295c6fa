"""Hostile and odd files through the reader: bounded work, careful reading, honest refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import DocumentTooLarge, EncryptedDocument, UnsupportedFormat
from ingest.ocr import OcrRunner
from ingest.reader import read_document
from ingest.render import thumbnail_scale
from ingest.settings import OcrSettings
from ingest.sniff import AVIF, GIF, HEIC, PDF, TIFF, sniff_mime_type
from tests import hostile_files as hostile

SETTINGS = OcrSettings(workers=2)


@pytest.fixture(scope="module")
def ocr():
    with OcrRunner(SETTINGS) as runner:
        yield runner


def _read(path: Path, tmp_path: Path, ocr: OcrRunner):
    return read_document(path, tmp_path / "work", SETTINGS, ocr)


def test_a_thumbnail_of_a_thin_long_page_is_bounded():
    scale = thumbnail_scale(1, 14_400, 300, 1200, 360_000)
    assert 14_400 * scale <= 1200 and 1 * scale * 14_400 * scale <= 360_000
    assert thumbnail_scale(595, 842, 300, 1200, 360_000) == pytest.approx(300 / 595)  # an A4 page as before


def test_the_thin_page_pdf_is_read_from_its_text_layer(tmp_path, ocr):
    reading = _read(hostile.thin_page_pdf(tmp_path), tmp_path, ocr)
    assert "F2024-0001" in reading.pages[0].text and not reading.ocr


def test_a_content_stream_that_inflates_beyond_reason_is_refused_before_drawing(tmp_path, ocr):
    path = hostile.inflating_stream_pdf(tmp_path, inflated_mb=60)
    with pytest.raises(DocumentTooLarge, match="unpacks to more than 50 MB"):
        _read(path, tmp_path, ocr)


def test_a_pdf_image_declaring_too_many_pixels_is_refused_before_drawing(tmp_path, ocr):
    path = hostile.pixel_bomb_pdf(tmp_path, side=12_000)
    with pytest.raises(DocumentTooLarge, match="image of 144 million pixels"):
        _read(path, tmp_path, ocr)


@pytest.mark.parametrize("rotate", [45, "abc", -100])
def test_a_rotate_that_is_no_multiple_of_90_reads_and_makes_a_rendition(tmp_path, ocr, rotate):
    import img2pdf
    import pikepdf

    from tests.documents import INVOICE_NL, scan_file

    path = tmp_path / "scan.pdf"
    path.write_bytes(img2pdf.convert(str(scan_file(tmp_path / "scan.png", INVOICE_NL))))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = pikepdf.Name("/" + rotate) if isinstance(rotate, str) else rotate
        pdf.save(path)
    reading = _read(path, tmp_path, ocr)
    assert reading.ocr and "F2024-0012" in reading.pages[0].text
    with pikepdf.open(reading.searchable_pdf) as rendition:
        assert int(rendition.pages[0].Rotate) % 90 == 0


@pytest.mark.parametrize(
    "make",
    [
        hostile.tiff_16bit,
        hostile.tiff_cmyk,
        hostile.tiff_lab,
        hostile.tiff_jpeg,
        hostile.tiff_tiled,
        hostile.tiff_planar,
        hostile.big_tiff,
        hostile.heic_photo,
        hostile.avif_photo,
        hostile.gif_scan,
        hostile.jpeg_cmyk,
        hostile.jpeg_progressive,
        hostile.jpeg_odd_orientation,
    ],
)
def test_images_other_readers_open_are_read_with_a_rendition(tmp_path, ocr, make):
    reading = _read(make(tmp_path), tmp_path, ocr)
    assert "F2024-0777" in reading.pages[0].text and "109,00" in reading.pages[0].text
    assert reading.searchable_pdf is not None and reading.thumbnail is not None


def test_phone_photos_gifs_and_bigtiff_are_recognised_by_their_bytes(tmp_path):
    assert sniff_mime_type(hostile.heic_photo(tmp_path)) == HEIC
    assert sniff_mime_type(hostile.avif_photo(tmp_path)) == AVIF
    assert sniff_mime_type(hostile.gif_scan(tmp_path)) == GIF
    assert sniff_mime_type(hostile.big_tiff(tmp_path)) == TIFF


def test_a_zip_holding_a_pdf_is_a_zip(tmp_path):
    path = hostile.zip_holding_pdf(tmp_path)
    assert b"%PDF-" in path.read_bytes()[:200]
    with pytest.raises(UnsupportedFormat, match="ZIP archive"):
        sniff_mime_type(path)


def test_a_pdf_with_padding_after_its_trailer_is_complete(tmp_path):
    from ingest.stability import check_content

    check = check_content(hostile.padded_pdf(tmp_path, padding=8192))
    assert check.is_pdf and check.pdf_complete
    assert sniff_mime_type(tmp_path / "padded.pdf") == PDF


def test_a_protected_pdf_is_protected_and_an_empty_password_opens(tmp_path, ocr):
    with pytest.raises(EncryptedDocument, match="protected with a password"):
        _read(hostile.protected_pdf(tmp_path), tmp_path, ocr)
    reading = _read(hostile.empty_password_pdf(tmp_path), tmp_path, ocr)
    assert "F2024-0012" in reading.pages[0].text


def test_a_pdf_with_broken_cross_references_is_read(tmp_path, ocr):
    reading = _read(hostile.repairable_pdf(tmp_path), tmp_path, ocr)
    assert "F2024-0012" in reading.pages[0].text


def test_a_big_photo_is_scaled_down_for_ocr(tmp_path):
    from PIL import Image

    from ingest.images import page_image

    photo = hostile.big_jpeg(tmp_path, size=(8000, 6000))
    used, dpi, turn = page_image(photo, 0, SETTINGS.max_image_pixels, tmp_path / "page.png", 20_000_000)
    with Image.open(used) as image:
        assert used != photo and image.width * image.height <= 20_000_000 and turn == 0


def test_a_corpus_pdf_that_needs_a_password_is_called_protected(corpus, tmp_path, ocr):
    for name in ("paperless-encrypted.pdf", "paperless-password-is-test.pdf"):
        with pytest.raises(EncryptedDocument):
            _read(corpus / "robustness" / name, tmp_path, ocr)


def test_a_reading_measures_the_first_page_once_and_a_thumbnail_alone_measures_it_too(tmp_path, ocr, monkeypatch):
    import ingest.pdf_guard
    import ingest.reader
    import ingest.thumbnail
    from ingest.thumbnail import make_thumbnail
    from tests.documents import text_pdf

    measured: list[list[int]] = []

    def counting(source, indexes, max_pixels, *more):
        measured.append(list(indexes))
        return ingest.pdf_guard.check_pages_to_draw(source, indexes, max_pixels, *more)

    monkeypatch.setattr(ingest.reader, "check_pages_to_draw", counting)
    monkeypatch.setattr(ingest.thumbnail, "check_pages_to_draw", counting)
    reading = _read(
        text_pdf(tmp_path / "letter.pdf", ["Geachte heer Jansen,\nHierbij de factuur F2024-0001."]), tmp_path, ocr
    )
    assert reading.thumbnail is None and measured == [[0]]  # its thumbnail is drawn when first shown
    bomb = hostile.pixel_bomb_pdf(tmp_path, side=12_000)
    with pytest.raises(DocumentTooLarge, match="image of 144 million pixels"):
        _read(bomb, tmp_path, ocr)
    with pytest.raises(DocumentTooLarge, match="image of 144 million pixels"):
        make_thumbnail(bomb, PDF, SETTINGS.max_image_pixels, tmp_path / "bomb.jpg")
    assert measured == [[0], [0], [0]]  # the refused reading measured it once, the thumbnail alone once
