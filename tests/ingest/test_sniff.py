"""Type recognition by content, never by the file name."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from ingest.errors import EmptyDocument, UnsupportedFormat
from ingest.sniff import BMP, JPEG, PDF, PNG, TIFF, WEBP, describe_unsupported, detect_accepted, sniff_mime_type
from tests.ingest.conftest import docx_file


def _image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "mime"), [("PNG", PNG), ("JPEG", JPEG), ("TIFF", TIFF), ("WEBP", WEBP), ("BMP", BMP), ("PDF", PDF)]
)
def test_accepted_types_are_recognised_by_their_bytes_whatever_the_name(tmp_path: Path, fmt: str, mime: str) -> None:
    misnamed = tmp_path / "scan.docx"
    misnamed.write_bytes(_image_bytes(fmt))
    assert sniff_mime_type(misnamed) == mime


def test_pdf_with_junk_before_the_header_is_still_a_pdf() -> None:
    assert detect_accepted(b"\n\xa0\xa4\x03%PDF-1.5\n") == PDF


def test_empty_file_is_an_empty_document(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocument, match="empty"):
        sniff_mime_type(empty)


def test_word_document_is_named_in_the_refusal(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        sniff_mime_type(docx_file(tmp_path / "contract.pdf"))
    assert "Word document (.docx)" in str(caught.value)
    assert "PDF and image scans" in str(caught.value)


def test_html_saved_as_pdf_is_called_a_web_page(tmp_path: Path) -> None:
    page = tmp_path / "factuur.pdf"
    page.write_text("<!DOCTYPE html><html><body>Factuur</body></html>")
    with pytest.raises(UnsupportedFormat, match="web page"):
        sniff_mime_type(page)


def test_text_saved_as_pdf_is_called_plain_text(tmp_path: Path) -> None:
    page = tmp_path / "notitie.pdf"
    page.write_text("Bel mevrouw De Vries terug over haar aangifte.\n")
    with pytest.raises(UnsupportedFormat, match="plain text"):
        sniff_mime_type(page)


@pytest.mark.parametrize(
    ("head", "phrase"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "old-style Office"),
        (b"{\\rtf1\\ansi", "rich-text"),
        (b"\x00\x01\x02\xff\xfe\x80", "not a document type"),
    ],
)
def test_other_formats_are_described(head: bytes, phrase: str) -> None:
    assert phrase in str(describe_unsupported(head))


def test_text_starting_with_bm_is_not_a_bitmap() -> None:
    assert detect_accepted(b"BMW dealer invoice, please pay within 30 days") is None
