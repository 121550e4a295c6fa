"""Fixtures for the reader: OCR settings and runner, and documents made on tmp_path."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from ingest.ocr import OcrRunner
from ingest.settings import OcrSettings
from tests.documents import INVOICE_NL, image_pdf, scan_file, scan_image, text_pdf

LETTER_NL = """Gemeente Utrecht
Betreft: aanvraag parkeervergunning
Geachte heer Jansen,
Wij hebben uw aanvraag in goede orde ontvangen.
De beslissing volgt binnen zes weken.
Met vriendelijke groet,
Afdeling Vergunningen"""


@pytest.fixture
def ocr_settings() -> OcrSettings:
    """Two OCR processes; PDFs rendered at a modest dpi to keep the tests fast."""
    return OcrSettings(workers=2, dpi=150, timeout_seconds=60)


@pytest.fixture
def ocr_runner(ocr_settings: OcrSettings):
    """A real runner of tesseract processes, closed after the test."""
    runner = OcrRunner(ocr_settings)
    yield runner
    runner.close()


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    """Where readings write their outputs."""
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def born_digital_pdf(tmp_path: Path) -> Path:
    """A one-page PDF with a text layer."""
    return text_pdf(tmp_path / "brief.pdf", [LETTER_NL])


@pytest.fixture
def three_page_pdf(tmp_path: Path) -> Path:
    """A three-page PDF with a text layer on each page."""
    pages = [f"Pagina {name} van de overeenkomst tussen partijen.\n{LETTER_NL}" for name in ("een", "twee", "drie")]
    return text_pdf(tmp_path / "drie.pdf", pages)


@pytest.fixture
def png_scan(tmp_path: Path) -> Path:
    """A PNG scan of a Dutch invoice."""
    return scan_file(tmp_path / "scan.png", INVOICE_NL, dpi=200)


@pytest.fixture
def jpeg_scan(tmp_path: Path) -> Path:
    """A JPEG scan of a Dutch letter."""
    return scan_file(tmp_path / "scan.jpg", LETTER_NL, dpi=200)


@pytest.fixture
def image_only_pdf(tmp_path: Path) -> Path:
    """A two-page scanner PDF (JPEG images, no text layer)."""
    texts = [f"Pagina een\n{INVOICE_NL}", f"Pagina twee\n{LETTER_NL}"]
    return image_pdf(tmp_path / "scan.pdf", texts, dpi=150)


@pytest.fixture
def two_page_tiff(tmp_path: Path) -> Path:
    """A two-page TIFF fax-like scan."""
    first = scan_image(f"Pagina een\n{INVOICE_NL}", dpi=150)
    second = scan_image(f"Pagina twee\n{LETTER_NL}", dpi=150, seed=2)
    path = tmp_path / "scan.tif"
    first.save(path, save_all=True, append_images=[second], compression="tiff_lzw", dpi=(150, 150))
    return path


def rotated_scan(tmp_path: Path, degrees: int) -> Path:
    """A PNG of the invoice turned `degrees` counter-clockwise, as if fed in sideways."""
    return scan_file(tmp_path / f"turned-{degrees}.png", INVOICE_NL, dpi=200, rotate=degrees)


def encrypted_pdf(source: Path, target: Path, user_password: str, owner_password: str) -> Path:
    """Write `source` encrypted (AES) with the given passwords."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


def docx_file(path: Path) -> Path:
    """A minimal Word document (a ZIP with word/document.xml), named as a PDF."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims width x height pixels but whose data is one tiny row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


def jpeg_with_exif_orientation(path: Path, text: str, orientation: int) -> Path:
    """A JPEG stored sideways with an EXIF tag saying how to show it upright."""
    upright = scan_image(text, dpi=150, noise=False)
    stored = upright.transpose(
        {6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270, 3: Image.Transpose.ROTATE_180}[orientation]
    )
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, format="JPEG", quality=80, exif=exif.tobytes(), dpi=(150, 150))
    return path


def sha256(path: Path) -> str:
    """The file's checksum, to show it was not altered."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_text(path: Path) -> list[str]:
    """Each page's extracted text, for checking renditions."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(path.read_bytes())).pages]
