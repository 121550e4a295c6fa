"""Hostile and odd files made on the spot: what a crafted upload, a phone or an old scanner sends.

Each maker writes one file into a folder and returns its path. ``bench/hostile.py``
feeds all of them through the archive; the tests use them one by one. Text drawn on
images is Dutch invoice text, so a file that is read shows it was read.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw

from tests.documents import INVOICE_NL, font, scan_image, text_pdf

SHORT_TEXT = "FACTUUR F2024-0777\nTotaal: EUR 109,00\nDank voor uw betaling"


# -- PDFs that ask for unbounded work ---------------------------------------------------


def thin_page_pdf(folder: Path, name: str = "thin-page.pdf") -> Path:
    """A PDF with a text layer on a 1 pt x 14,400 pt page (within the 200-inch side limit)."""
    path = folder / name
    _text_on_page(path, (1, 14_400), "Factuur F2024-0001 Totaal EUR 10,00 " * 3)
    return path


def huge_blank_page_pdf(folder: Path, name: str = "huge-page.pdf") -> Path:
    """An 11 KB-class PDF: one blank 200 x 200 inch page without text, so it is rendered for OCR."""
    path = folder / name
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14_400, 14_400))
    pdf.save(path)
    return path


def inflating_stream_pdf(folder: Path, name: str = "inflating-stream.pdf", inflated_mb: int = 600) -> Path:
    """A PDF whose one content stream inflates from under a megabyte to `inflated_mb` MB."""
    path = folder / name
    packer = zlib.compressobj(9)
    chunk = b" " * 2**20
    packed = b"".join(packer.compress(chunk) for _ in range(inflated_mb)) + packer.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    stream = pikepdf.Stream(pdf, b"")
    stream.write(packed, filter=pikepdf.Name.FlateDecode)
    pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
    pdf.save(path, compress_streams=False)
    return path


def pixel_bomb_pdf(folder: Path, name: str = "pixel-bomb.pdf", side: int = 60_000) -> Path:
    """A PDF whose first page draws a `side` x `side` one-bit image packed into a few hundred KB.

    Its thumbnail (and any rendering) decodes billions of pixels.
    """
    path = folder / name
    row = (side + 7) // 8
    packer = zlib.compressobj(9)
    line = b"\xff" * row
    packed = b"".join(packer.compress(line * 256) for _ in range(side // 256)) + packer.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    image = pikepdf.Stream(pdf, b"")
    image.write(packed, filter=pikepdf.Name.FlateDecode)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = side, side, 1
    image.ColorSpace = pikepdf.Name.DeviceGray
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=pdf.make_indirect(image)))
    page.obj.Contents = pdf.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    pdf.save(path)
    return path


def png_bomb(folder: Path, name: str = "pixel-bomb.png", side: int = 40_000) -> Path:
    """A PNG that declares `side` x `side` pixels (1.6 billion) in a few hundred kilobytes."""
    path = folder / name
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * side
    body = b"".join(packer.compress(row * 64) for _ in range(side // 64)) + packer.flush()
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        for kind, data in ((b"IHDR", header), (b"IDAT", body), (b"IEND", b"")):
            out.write(struct.pack(">I", len(data)) + kind + data)
            out.write(struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return path


def big_jpeg(folder: Path, name: str = "photo-97mp.jpg", size: tuple[int, int] = (12_000, 8_100)) -> Path:
    """A 97-megapixel JPEG with a little text (a phone panorama or a very high-dpi scan)."""
    path = folder / name
    image = Image.new("L", size, 250)
    draw = ImageDraw.Draw(image)
    draw.multiline_text((400, 400), SHORT_TEXT, fill=10, font=font(200), spacing=60)
    image.save(path, format="JPEG", quality=70)
    return path


def rotate_pdf(folder: Path, rotate: object, name: str | None = None) -> Path:
    """A text PDF whose page says /Rotate `rotate` (45, or a name instead of a number)."""
    path = folder / (name or f"rotate-{rotate}.pdf")
    text_pdf(path, [INVOICE_NL])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = pikepdf.Name("/" + rotate) if isinstance(rotate, str) else rotate
        pdf.save(path)
    return path


def padded_pdf(folder: Path, name: str = "padded.pdf", padding: int = 4096) -> Path:
    """A complete text PDF followed by `padding` NUL bytes after %%EOF (some scanners pad to a block)."""
    path = text_pdf(folder / name, [INVOICE_NL])
    with open(path, "ab") as out:
        out.write(b"\x00" * padding)
    return path


def zip_holding_pdf(folder: Path, name: str = "zipped.pdf") -> Path:
    """A ZIP archive (named .pdf) that stores a PDF uncompressed, so %PDF shows in its first bytes."""
    inner = text_pdf(folder / ".inner.pdf", [INVOICE_NL])
    path = folder / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.write(inner, "factuur.pdf")
    inner.unlink()
    return path


def protected_pdf(folder: Path, name: str = "protected.pdf", user: str = "geheim") -> Path:
    """A text PDF encrypted with a user password (and an owner password)."""
    path = text_pdf(folder / name, [INVOICE_NL])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user=user, owner="eigenaar", R=6))
    return path


def empty_password_pdf(folder: Path, name: str = "empty-password.pdf") -> Path:
    """A text PDF encrypted (AES-256) with an empty user password: it opens without one."""
    return protected_pdf(folder, name, user="")


def repairable_pdf(folder: Path, name: str = "broken-xref.pdf") -> Path:
    """A text PDF whose cross-reference table points nowhere (qpdf repairs it; strict readers refuse)."""
    path = text_pdf(folder / name, [INVOICE_NL])
    data = bytearray(path.read_bytes())
    start = data.rfind(b"startxref")
    data[start:] = b"startxref\n999999\n%%EOF\n"
    body_start = data.find(b"1 0 obj")
    data[body_start : body_start + 7] = b"1 0 obx"  # one object header unreadable too
    path.write_bytes(bytes(data))
    return path


# -- images other readers open ------------------------------------------------------


def _page(dpi: int = 100) -> Image.Image:
    return scan_image(SHORT_TEXT, dpi=dpi, noise=False)


def tiff_16bit(folder: Path, name: str = "scan-16bit.tif") -> Path:
    path = folder / name
    _page().convert("I").point(lambda v: v * 257).convert("I;16").save(path, format="TIFF")
    return path


def tiff_cmyk(folder: Path, name: str = "scan-cmyk.tif") -> Path:
    path = folder / name
    _page().convert("RGB").convert("CMYK").save(path, format="TIFF", compression="tiff_lzw")
    return path


def tiff_lab(folder: Path, name: str = "scan-lab.tif") -> Path:
    path = folder / name
    _page().convert("RGB").convert("LAB").save(path, format="TIFF")
    return path


def tiff_jpeg(folder: Path, name: str = "scan-jpeg-in-tiff.tif") -> Path:
    path = folder / name
    _page().convert("RGB").save(path, format="TIFF", compression="jpeg")
    return path


def tiff_tiled(folder: Path, name: str = "scan-tiled.tif") -> Path:
    """A greyscale TIFF stored in 64 x 64 tiles (as large-format scanners write)."""
    return _write_raw_tiff(folder / name, _page(), tiled=True)


def tiff_planar(folder: Path, name: str = "scan-planar.tif") -> Path:
    """An RGB TIFF with its colour planes stored apart (PlanarConfiguration 2)."""
    return _write_raw_tiff(folder / name, _page().convert("RGB"), planar=True)


def big_tiff(folder: Path, name: str = "scan-bigtiff.tif") -> Path:
    path = folder / name
    _page().save(path, format="TIFF", big_tiff=True)
    return path


def heic_photo(folder: Path, name: str = "IMG_0001.heic") -> Path:
    import pillow_heif

    path = folder / name
    pillow_heif.from_pillow(_page(150).convert("RGB")).save(path, quality=90)
    return path


def avif_photo(folder: Path, name: str = "IMG_0002.avif") -> Path:
    path = folder / name
    _page(150).convert("RGB").save(path, format="AVIF", quality=90)
    return path


def gif_scan(folder: Path, name: str = "scan.gif") -> Path:
    path = folder / name
    _page(150).save(path, format="GIF")
    return path


def jpeg_cmyk(folder: Path, name: str = "scan-cmyk.jpg") -> Path:
    path = folder / name
    _page().convert("RGB").convert("CMYK").save(path, format="JPEG", quality=90)
    return path


def jpeg_progressive(folder: Path, name: str = "scan-progressive.jpg") -> Path:
    path = folder / name
    _page().save(path, format="JPEG", quality=90, progressive=True)
    return path


def jpeg_odd_orientation(folder: Path, name: str = "scan-orientation-9.jpg") -> Path:
    """A JPEG whose EXIF orientation tag holds 9, a value no camera may write."""
    path = folder / name
    exif = Image.Exif()
    exif[0x0112] = 9
    _page().save(path, format="JPEG", quality=90, exif=exif)
    return path


# -- odd kinds of file system entries ------------------------------------------------


def fifo(folder: Path, name: str = "pipe.pdf") -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def symlink(folder: Path, name: str = "link.pdf", target: Path = Path("/etc/hostname")) -> Path:
    path = folder / name
    path.symlink_to(target)
    return path


def unreadable(folder: Path, name: str = "unreadable.pdf") -> Path:
    path = text_pdf(folder / name, [INVOICE_NL])
    path.chmod(0)
    return path


def unicode_name(folder: Path, name: str = "Factuur café 💶 Ålesund – ½.pdf") -> Path:
    return text_pdf(folder / name, [INVOICE_NL])


def long_name(folder: Path) -> Path:
    return text_pdf(folder / ("factuur-" + "é" * 115 + ".pdf"), [INVOICE_NL])  # 247 bytes


# Every maker by a short name, with what a careful archive does with it.
FILED, REFUSED, ANY = "filed", "failed", "filed or failed"
MAKERS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "thin page (1 x 14,400 pt)": (thin_page_pdf, ANY),
    "huge blank page (200 x 200 in)": (huge_blank_page_pdf, ANY),
    "inflating stream (600 MB)": (inflating_stream_pdf, ANY),
    "pixel bomb in a PDF": (pixel_bomb_pdf, ANY),
    "PNG bomb (1.6 Gpx)": (png_bomb, REFUSED),
    "JPEG of 97 Mpx": (big_jpeg, FILED),
    "/Rotate 45": (lambda f: rotate_pdf(f, 45), FILED),
    "/Rotate /abc": (lambda f: rotate_pdf(f, "abc"), FILED),
    "padding after %%EOF": (padded_pdf, FILED),
    "ZIP holding a PDF": (zip_holding_pdf, REFUSED),
    "password-protected PDF": (protected_pdf, REFUSED),
    "empty user password": (empty_password_pdf, FILED),
    "broken cross-references": (repairable_pdf, FILED),
    "TIFF 16-bit": (tiff_16bit, FILED),
    "TIFF CMYK": (tiff_cmyk, FILED),
    "TIFF LAB": (tiff_lab, FILED),
    "TIFF JPEG-compressed": (tiff_jpeg, FILED),
    "TIFF tiled": (tiff_tiled, FILED),
    "TIFF planar": (tiff_planar, FILED),
    "BigTIFF": (big_tiff, FILED),
    "HEIC photo": (heic_photo, FILED),
    "AVIF photo": (avif_photo, FILED),
    "GIF, one frame": (gif_scan, FILED),
    "JPEG CMYK": (jpeg_cmyk, FILED),
    "JPEG progressive": (jpeg_progressive, FILED),
    "JPEG orientation 9": (jpeg_odd_orientation, FILED),
    "unicode name": (unicode_name, FILED),
    "very long name": (long_name, FILED),
}


# -- helpers --------------------------------------------------------------------------


def _text_on_page(path: Path, size: tuple[float, float], text: str) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=size)
    pdf.setFont("Helvetica", 1)
    for line in range(40):
        pdf.drawString(0, 20 + line * 300, text)
    pdf.showPage()
    pdf.save()


def _write_raw_tiff(path: Path, image: Image.Image, tiled: bool = False, planar: bool = False) -> Path:
    """Write an uncompressed little-endian TIFF by hand: tiled or planar layouts Pillow cannot write."""
    width, height = image.size
    bands = len(image.getbands())
    chunks: list[bytes] = []
    if tiled:
        tile = 64
        padded = Image.new(image.mode, (-(-width // tile) * tile, -(-height // tile) * tile), 255)
        padded.paste(image)
        for top in range(0, padded.height, tile):
            for left in range(0, padded.width, tile):
                chunks.append(padded.crop((left, top, left + tile, top + tile)).tobytes())
    elif planar:
        chunks = [band.tobytes() for band in image.split()]
    else:
        chunks = [image.tobytes()]
    body = io.BytesIO()
    offsets = []
    for chunk in chunks:
        offsets.append(8 + body.tell())
        body.write(chunk)
    data_end = 8 + body.tell()
    entries: list[tuple[int, int, int, bytes | int]] = [
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, bands, struct.pack("<" + "H" * bands, *([8] * bands)) if bands > 2 else 8),
        (259, 3, 1, 1),
        (262, 3, 1, 2 if bands == 3 else 1),
        (277, 3, 1, bands),
        (284, 3, 1, 2 if planar else 1),
    ]
    counts = [len(c) for c in chunks]
    if tiled:
        entries += [(322, 3, 1, 64), (323, 3, 1, 64)]
        offset_tag, count_tag = 324, 325
    else:
        entries += [(278, 4, 1, height)]
        offset_tag, count_tag = 273, 279
    pack = lambda values: struct.pack("<" + "I" * len(values), *values)  # noqa: E731
    entries += [
        (offset_tag, 4, len(offsets), pack(offsets) if len(offsets) > 1 else offsets[0]),
        (count_tag, 4, len(counts), pack(counts) if len(counts) > 1 else counts[0]),
    ]
    entries.sort()
    extra = io.BytesIO()
    ifd_size = 2 + 12 * len(entries) + 4
    extra_start = data_end + ifd_size
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if isinstance(value, bytes):
            if len(value) <= 4:
                ifd += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")
            else:
                ifd += struct.pack("<HHII", tag, kind, count, extra_start + extra.tell())
                extra.write(value)
        elif kind == 3:
            ifd += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += b"\x00\x00\x00\x00"
    with open(path, "wb") as out:
        out.write(b"II*\x00" + struct.pack("<I", data_end))
        out.write(body.getvalue())
        out.write(ifd)
        out.write(extra.getvalue())
    return path
