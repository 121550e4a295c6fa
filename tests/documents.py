"""Documents made on the spot for tests: born-digital PDFs and scanned pages."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def font(size: int) -> ImageFont.FreeTypeFont:
    """Return a TrueType font of the given pixel size."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def text_pdf(path: Path, pages: list[str]) -> Path:
    """Write a born-digital PDF with one text page per string (lines split on newlines)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in pages:
        y = A4[1] - 72
        for line in page.splitlines():
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def scan_image(text: str, dpi: int = 200, noise: bool = True, seed: int = 1) -> Image.Image:
    """Return an A4-ish greyscale page with the text drawn, like a scan."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    size = int(dpi * 0.16)
    y = int(dpi * 0.8)
    for line in text.splitlines():
        draw.text((int(dpi * 0.8), y), line, fill=20, font=font(size))
        y += int(size * 1.5)
    if noise:
        rng = random.Random(seed)
        for _ in range(width * height // 4000):
            page.putpixel((rng.randrange(width), rng.randrange(height)), rng.randrange(120, 255))
        page = page.filter(ImageFilter.GaussianBlur(0.4))
    return page


def scan_file(path: Path, text: str, dpi: int = 200, rotate: int = 0, **kwargs) -> Path:
    """Write a scanned page (format from the suffix: .png, .jpg, .tif…), optionally rotated."""
    image = scan_image(text, dpi=dpi, **kwargs)
    if rotate:
        image = image.rotate(rotate, expand=True, fillcolor=255)
    options = {"dpi": (dpi, dpi)}
    if path.suffix.lower() in (".jpg", ".jpeg"):
        options["quality"] = 80
    image.save(path, **options)
    return path


def image_pdf(path: Path, texts: list[str], dpi: int = 200) -> Path:
    """Write an image-only PDF (a scanner's output): one scanned page per text."""
    images = [scan_image(text, dpi=dpi, seed=i).convert("RGB") for i, text in enumerate(texts)]
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


INVOICE_NL = """Bakkerij De Gouden Korst B.V.
Dorpsstraat 12, 3511 AB Utrecht
KvK 12345678

Aan: Praxis Huisartsen
FACTUUR
Factuurnummer: F2024-0012
Factuurdatum: 12 maart 2024
Vervaldatum: 11 april 2024

Omschrijving            Bedrag
Broodjes vergadering    € 100,00
BTW 9%                  € 9,00
Totaal te betalen       € 109,00
"""
