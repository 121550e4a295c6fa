"""Turn a generated document into a real file: a skewed, noisy JPEG scan, an image-only or born-digital PDF."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from tests.documents import font, text_pdf


def scan(text: str, seed: int, dpi: int = 200, skew: float = 1.2, noise: float = 1.0) -> Image.Image:
    """Return a greyscale page with the text, speckle noise, a slight blur and a skew."""
    rng = random.Random(seed)
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(page)
    size = int(dpi * 0.13)
    y = int(dpi * 0.6)
    for line in (part for raw in text.splitlines() for part in (textwrap.wrap(raw, 88) or [""])):
        x = int(dpi * (0.7 + (3.2 if rng.random() < 0.08 and len(line) < 40 else 0.0)))
        draw.text((x, y), line, fill=rng.randint(10, 60), font=font(size))
        y += int(size * 1.45)
    for _ in range(int(width * height / 3000 * noise)):
        page.putpixel((rng.randrange(width), rng.randrange(height)), rng.randrange(80, 255))
    page = page.filter(ImageFilter.GaussianBlur(0.5))
    return page.rotate(rng.uniform(-skew, skew), expand=False, fillcolor=250, resample=Image.BICUBIC)


def write_scan(path: Path, text: str, seed: int, quality: int = 55) -> Path:
    """Write a JPEG scan with visible compression artefacts."""
    scan(text, seed).save(path, "JPEG", quality=quality, dpi=(200, 200))
    return path


def write_image_pdf(path: Path, text: str, seed: int) -> Path:
    """Write an image-only PDF, as a scanner delivers it."""
    scan(text, seed).convert("RGB").save(path, "PDF", resolution=200)
    return path


def write_text_pdf(path: Path, text: str) -> Path:
    """Write a born-digital PDF with a text layer."""
    return text_pdf(path, [text])
