"""Recognise a file's type by its first bytes, never by its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.errors import EmptyDocument, Phrase, UnsupportedFormat

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
WEBP = "image/webp"
BMP = "image/bmp"
GIF = "image/gif"
HEIC = "image/heic"
HEIF = "image/heif"
AVIF = "image/avif"

ACCEPTED = (PDF, PNG, JPEG, TIFF, WEBP, BMP, GIF, HEIC, HEIF, AVIF)
IMAGE_TYPES = (PNG, JPEG, TIFF, WEBP, BMP, GIF, HEIC, HEIF, AVIF)

_HEAD_BYTES = 2048
# Scanners and mail gateways sometimes prepend a few junk bytes; lenient PDF readers
# (and we) accept %PDF anywhere in the first kilobyte.
_PDF_SEARCH_BYTES = 1024
_ACCEPTS = Phrase(
    "format.accepts_scans", "the archive accepts PDF and image scans (PNG, JPEG, TIFF, WebP, BMP, GIF, HEIC, AVIF)"
)
# ISO base media files name their kind in the first box ("....ftypheic"): phone photos.
_HEIF_BRANDS = {
    b"heic": HEIC,
    b"heix": HEIC,
    b"heim": HEIC,
    b"heis": HEIC,
    b"hevc": HEIC,
    b"hevx": HEIC,
    b"mif1": HEIF,
    b"msf1": HEIF,
    b"heif": HEIF,
    b"avif": AVIF,
    b"avis": AVIF,
}

# BMP's DIB header sizes (little-endian) after the zero reserved bytes: "BM" alone could be text.
_BMP_HEADER_SIZES = tuple(size.to_bytes(4, "little") for size in (12, 40, 52, 56, 64, 108, 124))

_ZIP_KINDS = (
    ("word/", Phrase("format.docx", "a Word document (.docx)")),
    ("xl/", Phrase("format.xlsx", "an Excel workbook (.xlsx)")),
    ("ppt/", Phrase("format.pptx", "a PowerPoint presentation (.pptx)")),
)
_ZIP = Phrase("format.zip", "a ZIP archive")


def sniff_mime_type(path: Path) -> str:
    """Return the MIME type of an accepted file; raise EmptyDocument / UnsupportedFormat."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head:
        raise EmptyDocument("file.empty", "This file is empty (0 bytes); it may not have finished copying.")
    mime = detect_accepted(head)
    if mime is not None:
        return mime
    raise unsupported(describe_unsupported(head, path), _ACCEPTS)


def unsupported(what: Phrase, accepts: Phrase) -> UnsupportedFormat:
    """Return the error for a file the archive does not take: what it seems to be, and what is taken."""
    return UnsupportedFormat("format.unsupported", "This file is {what}; {accepts}.", what=what, accepts=accepts)


def detect_accepted(head: bytes) -> str | None:
    """Return the accepted MIME type these leading bytes announce, else None (pure)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):  # classic TIFF and BigTIFF
        return TIFF
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return _HEIF_BRANDS[head[8:12]]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00" and head[14:18] in _BMP_HEADER_SIZES:
        return BMP
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return None  # an archive whose first member is a PDF is still an archive, not that PDF
    if b"%PDF-" in head[:_PDF_SEARCH_BYTES]:
        return PDF
    return None


def describe_unsupported(head: bytes, path: Path | None = None) -> Phrase:
    """Return a phrase saying what an unsupported file seems to be ("a Word document (.docx)")."""
    if head.startswith(b"PK\x03\x04"):
        return _describe_zip(path)
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return Phrase("format.compressed", "a compressed archive (unpack it and file the documents inside)")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Phrase("format.ole", "an old-style Office document (.doc/.xls)")
    if head.startswith(b"{\\rtf"):
        return Phrase("format.rtf", "a rich-text document (.rtf)")
    return _describe_text(head)


def _describe_zip(path: Path | None) -> Phrase:
    """Name the Office format inside a ZIP container, if any."""
    if path is None:
        return _ZIP
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return _ZIP
    for prefix, what in _ZIP_KINDS:
        if any(name.startswith(prefix) for name in names):
            return what
    if "mimetype" in names:
        return Phrase("format.opendocument", "an OpenDocument file (.odt/.ods)")
    return _ZIP


def _describe_text(head: bytes) -> Phrase:
    """Tell HTML, XML and e-mail apart from plain text and unknown binary data."""
    text = head.decode("utf-8", errors="replace")
    if not looks_like_text(text):
        return Phrase("format.unknown", "not a document type the archive knows")
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html")) or "<html" in lowered[:500]:
        return Phrase("format.html", "a web page (HTML)")
    if lowered.startswith(("<?xml", "<")):
        return Phrase("format.xml", "an XML file")
    if lowered.startswith(("from:", "received:", "return-path:", "mime-version:")):
        return Phrase("format.mail", "an e-mail message")
    return Phrase("format.text", "a plain text file")


def looks_like_text(text: str) -> bool:
    """True when nearly every character is printable (a few may be cut multi-byte ones)."""
    odd = sum(1 for char in text if char == "\ufffd" or (not char.isprintable() and char not in "\t\r\n\f"))
    return odd <= max(3, len(text) // 50)
