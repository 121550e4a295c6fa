"""Scanned stacks for tests: separator sheets printed, then "scanned" with skew and noise."""

from __future__ import annotations

import io
import random
from pathlib import Path

import img2pdf
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from ingest.stacks import Separator, write_separator_sheets
from tests.documents import scan_image


def printed_sheet(separator: Separator, dpi: int, work: Path) -> Image.Image:
    """A separator sheet as the printer makes it, at `dpi`."""
    pdf = write_separator_sheets(work / f"sheet-{random.random()}.pdf", [separator])
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def scanned(image: Image.Image, seed: int, skew: float | None = None) -> Image.Image:
    """The page as a scanner returns it: turned a little, speckled, slightly blurred, grey paper."""
    rng = random.Random(seed)
    angle = skew if skew is not None else rng.uniform(-2.5, 2.5)
    page = image.rotate(angle, resample=Image.BILINEAR, fillcolor=245, expand=False)
    page = page.point(lambda v: 30 + v * 0.85)  # paper ~245, ink ~30
    pixels = page.load()
    for _ in range(page.width * page.height // 3000):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        pixels[x, y] = rng.randrange(60, 255)
    return page.filter(ImageFilter.GaussianBlur(0.5))


def blank_back(dpi: int, seed: int, show_through: str | None = "Dit is de achterkant") -> Image.Image:
    """The empty back of a sheet: speckle and, faintly, the other side's text shining through."""
    page = scan_image(show_through or "", dpi=dpi, noise=False, seed=seed).transpose(Image.FLIP_LEFT_RIGHT)
    page = page.point(lambda v: 205 + v * 0.16)  # print from the other side: a light grey ghost
    return scanned(page, seed, skew=0.3)


def stack_pdf(path: Path, pages: list[Image.Image], dpi: int) -> Path:
    """Write the scanned pages as one image-only PDF, JPEG like a copier makes it."""
    blobs = []
    for page in pages:
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=75, dpi=(dpi, dpi))
        blobs.append(buffer.getvalue())
    path.write_bytes(img2pdf.convert(blobs))
    return path
