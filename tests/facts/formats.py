"""Generated documents as the files an office really receives, in every format it gets.

A document's lines are laid out once (font, size, margins, a letterhead on the left or
the right, values at tab stops, amounts right-aligned in columns, narrow till receipts)
and drawn either as a born-digital PDF or as a page image, which is then damaged the
way each channel damages it: flatbed scans at 200 or 300 dpi, low-quality JPEG, phone
photos (perspective, uneven light, colour cast), faxes (1 bit, half vertical
resolution), faded thermal receipts, multi-page TIFFs and image-only PDFs.
Everything is seeded: the same document and seed give the same bytes.
"""

from __future__ import annotations

import io
import math
import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FORMATS = ("pdf-text", "scan-300", "scan-200", "jpeg-low", "phone", "fax", "tiff-multi", "pdf-image")
_FONT_DIRS = ("/usr/share/fonts/truetype",)
_FONT_NAMES = (
    "dejavu/DejaVuSans.ttf",
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSansMono.ttf",
    "dejavu/DejaVuSansCondensed.ttf",
    "liberation2/LiberationSans-Regular.ttf",
    "liberation2/LiberationSerif-Regular.ttf",
    "liberation2/LiberationMono-Regular.ttf",
    "freefont/FreeSans.ttf",
    "freefont/FreeSerif.ttf",
    "freefont/FreeMono.ttf",
)
_AMOUNT_END = re.compile(r"(?:(?:€|EUR|\$|£|RM)\s?)?-?\d[\d.,]*(?:,-|[.,]\d{2})$")
_MM = 1 / 25.4


def fonts(held_out: bool = False) -> list[str]:
    """The TrueType fonts installed here; the held-out slice uses fonts development never sees."""
    found = [f"{_FONT_DIRS[0]}/{name}" for name in _FONT_NAMES if Path(f"{_FONT_DIRS[0]}/{name}").exists()]
    if not found:
        return []
    held = [f for f in found if "FreeSerif" in f or "Condensed" in f]
    seen = [f for f in found if f not in held] or found
    return (held or seen) if held_out else seen


@dataclass(frozen=True)
class Placed:
    """One piece of text on the page: position in mm from the top left, size in points."""

    text: str
    x: float
    y: float
    size: float
    align: str = "left"  # left | right
    bold: bool = False


@dataclass(frozen=True)
class Layout:
    """The drawn pages of one document and the paper they are drawn on (mm)."""

    pages: list[list[Placed]]
    width: float
    height: float
    font: str
    mono: bool


def lay_out(pages: list[str], rng: random.Random, receipt: bool = False, held_out: bool = False) -> Layout:
    """Place every line of every page: the house style of one (imaginary) sender."""
    choices = fonts(held_out)
    font = (
        rng.choice([f for f in choices if "Mono" in f] or choices)
        if receipt and rng.random() < 0.7
        else (rng.choice(choices) if choices else "")
    )
    width, height = (rng.choice([72.0, 80.0]), 0.0) if receipt else (210.0, 297.0)
    size = rng.uniform(7.5, 9.5) if receipt else rng.uniform(8.5, 12.0)
    margin = rng.uniform(4, 7) if receipt else rng.uniform(15, 28)
    style = {
        "letterhead": "left" if receipt else rng.choice(["left", "right", "right", "center"]),
        "tab": rng.random() < 0.6,
        "tab_x": margin + rng.uniform(35, 60) * (0.6 if receipt else 1.0),
        "amounts_right": receipt or rng.random() < 0.7,
        "leading": rng.uniform(1.25, 1.6),
        "heading_bold": rng.random() < 0.7,
        "mono": "Mono" in font,
    }
    placed_pages = []
    for page in pages:
        placed_pages.append(_lay_out_page(page.splitlines(), width, margin, size, style, rng))
    if receipt:
        height = max((max((p.y for p in page), default=0) for page in placed_pages), default=100) + margin + 10
    return Layout(placed_pages, width, height, font, "Mono" in font)


def _lay_out_page(
    lines: list[str], width: float, margin: float, size: float, style: dict, rng: random.Random
) -> list[Placed]:
    step = size * 0.3528 * style["leading"]  # points to mm
    y = margin + size * 0.35
    out: list[Placed] = []
    first_block = True
    right = width - margin
    # Lines longer than the paper is wide wrap, as a word processor wraps them.
    chars = max(int((right - margin) / (size * 0.3528 * (0.62 if style.get("mono") else 0.52))), 20)
    wrapped = [part for raw in lines for part in (textwrap.wrap(raw, chars, subsequent_indent="") or [""])]
    for number, raw in enumerate(wrapped):
        text = raw.replace("\t", "   ")
        if not text.strip():
            y += step * rng.uniform(0.6, 1.3)
            first_block = False if out else first_block
            continue
        if first_block and style["letterhead"] != "left" and width > 100:
            align = "right" if style["letterhead"] == "right" else "center"
            x = right if align == "right" else width / 2
            out.append(
                Placed(
                    text,
                    x,
                    y,
                    size * (1.3 if number == 0 else 0.9),
                    "right" if align == "right" else "center",
                    bold=number == 0,
                )
            )
            y += step
            continue
        out.extend(_line_pieces(text, margin, right, y, size, style))
        y += step
    return out


def _line_pieces(text: str, left: float, right: float, y: float, size: float, style: dict) -> list[Placed]:
    """A line as pieces: a label and its value at a tab stop, amounts right-aligned in columns."""
    amount = _AMOUNT_END.search(text)
    heading = len(text) < 28 and text.isupper() and style["heading_bold"]
    if style["amounts_right"] and amount and amount.start() > 0:
        head = text[: amount.start()].rstrip(" .:")
        pieces = [Placed(amount.group(0), right, y, size, "right")]
        # A second amount before the last one (unit price) gets a column of its own.
        inner = _AMOUNT_END.search(head)
        if inner and inner.start() > 0 and len(head) > 12:
            pieces.append(Placed(inner.group(0), right - 30, y, size, "right"))
            head = head[: inner.start()].rstrip()
        if head:
            pieces.append(Placed(head, left, y, size, bold=heading))
        return pieces
    label, sep, value = text.partition(": ")
    label_width = (len(label) + 2) * size * 0.3528 * (0.62 if style.get("mono") else 0.55)
    if (
        style["tab"]
        and sep
        and 2 <= len(label) <= 30
        and value
        and len(value) < 60
        and left + label_width < style["tab_x"]
    ):
        return [Placed(label + ":", left, y, size), Placed(value, style["tab_x"], y, size)]
    return [Placed(text, left, y, size * (1.2 if heading else 1.0), bold=heading)]


# ---------------------------------------------------------------- drawing


def draw_image(
    layout: Layout, page: int, dpi: float, ink: int = 20, paper: int = 252, vertical_dpi: float | None = None
) -> Image.Image:
    """Draw one laid-out page as a greyscale image at `dpi` (fax: a lower vertical dpi)."""
    vdpi = vertical_dpi or dpi
    width = max(int(layout.width * _MM * dpi), 200)
    height = max(int(layout.height * _MM * vdpi), 200)
    image = Image.new("L", (width, int(height * dpi / vdpi)), paper)
    draw = ImageDraw.Draw(image)
    for piece in layout.pages[page]:
        size_px = max(int(piece.size / 72 * dpi), 6)
        font = _font(layout.font, size_px)
        x, y = piece.x * _MM * dpi, piece.y * _MM * dpi
        length = draw.textlength(piece.text, font=font)
        if piece.align == "right":
            x -= length
        elif piece.align == "center":
            x -= length / 2
        draw.text(
            (x, y), piece.text, fill=ink, font=font, stroke_width=1 if piece.bold and dpi >= 200 else 0, stroke_fill=ink
        )
    if vdpi != dpi:  # a fax line is twice as tall as it is wide
        image = image.resize((width, height), Image.BILINEAR)
    return image


_FONTS: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    key = (path, size)
    if key not in _FONTS:
        _FONTS[key] = ImageFont.truetype(path, size) if path else ImageFont.load_default(size)
    return _FONTS[key]


def write_pdf(layout: Layout, path: Path) -> Path:
    """Write the layout as a born-digital PDF (reportlab, a text layer on every page)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    name = "Helvetica"
    if layout.font:
        name = Path(layout.font).stem
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, layout.font))
    points = 72 * _MM
    size = (layout.width * points, layout.height * points)
    pdf = canvas.Canvas(str(path), pagesize=size, invariant=1)
    for page in layout.pages:
        for piece in page:
            pdf.setFont(name, piece.size)
            x, y = piece.x * points, size[1] - piece.y * points - piece.size
            draw = {"right": pdf.drawRightString, "center": pdf.drawCentredString}.get(piece.align, pdf.drawString)
            draw(x, y, piece.text)
        pdf.showPage()
    pdf.save()
    return path


# ---------------------------------------------------------------- damage


def _noise(image: Image.Image, rng: random.Random, amount: float) -> Image.Image:
    array = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, amount, array.shape)
    return Image.fromarray(np.clip(array + noise, 0, 255).astype(np.uint8))


def _skew(image: Image.Image, rng: random.Random, degrees: float, fill: int | tuple = 250) -> Image.Image:
    return image.rotate(rng.uniform(-degrees, degrees), resample=Image.BICUBIC, expand=False, fillcolor=fill)


def flatbed(
    image: Image.Image, rng: random.Random, skew: float = 1.5, blur: float = 0.5, noise: float = 6.0
) -> Image.Image:
    """A flatbed scan: slight skew, blur and sensor noise, sometimes a darker edge."""
    image = _skew(image, rng, skew)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, blur)))
    image = _noise(image, rng, rng.uniform(1.0, noise))
    if rng.random() < 0.3:  # a grey shadow along the spine or the lid
        array = np.asarray(image, dtype=np.float32)
        ramp = np.linspace(rng.uniform(0.75, 0.9), 1.0, max(array.shape[1] // 12, 1))
        array[:, : ramp.size] *= ramp
        image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    return image


def phone_photo(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the page on a desk: perspective, uneven light, colour cast, blur."""
    page = image.convert("RGB")
    width, height = page.size
    border = int(width * rng.uniform(0.04, 0.12))
    desk = tuple(rng.randint(60, 140) for _ in range(3))
    canvas = Image.new("RGB", (width + 2 * border, height + 2 * border), desk)
    canvas.paste(page, (border, border))
    w, h = canvas.size
    # The corners of the photo in the page's plane: the whole page in view, seen at an angle.
    out = lambda: rng.uniform(0.0, 0.07)  # noqa: E731
    quad = [
        (-w * out(), -h * out()),
        (-w * out(), h * (1 + out())),
        (w * (1 + out()), h * (1 + out())),
        (w * (1 + out()), -h * out()),
    ]
    canvas = canvas.transform((w, h), Image.QUAD, [c for point in quad for c in point], Image.BICUBIC, fillcolor=desk)
    array = np.asarray(canvas, dtype=np.float32)
    ys, xs = np.mgrid[0:h, 0:w]
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    light = 1.0 - rng.uniform(0.25, 0.5) * (np.hypot(xs - cx, ys - cy) / math.hypot(w, h))
    if rng.random() < 0.5:  # the phone's own shadow across part of the page
        light *= np.where(xs + ys * rng.uniform(-0.5, 0.5) < rng.uniform(0.1, 0.4) * w, rng.uniform(0.6, 0.8), 1.0)
    cast = np.array([rng.uniform(0.92, 1.05), rng.uniform(0.92, 1.02), rng.uniform(0.8, 0.98)])
    array = array * light[..., None] * cast
    photo = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.4)))
    return _noise(photo.convert("L"), rng, 4.0).convert("RGB") if rng.random() < 0.2 else photo


def fax(image: Image.Image, rng: random.Random) -> Image.Image:
    """A fax: 1 bit, dropped pixels, a streak or two."""
    image = _skew(image, rng, 1.0)
    image = _noise(image, rng, rng.uniform(10, 30))
    threshold = rng.choice([120, 140, 160])
    bw = image.point(lambda v: 255 if v > threshold else 0, mode="1")
    draw = ImageDraw.Draw(bw)
    for _ in range(rng.randint(0, 3)):
        y = rng.randrange(bw.size[1])
        draw.line([(0, y), (bw.size[0], y)], fill=0, width=1)
    return bw


def thermal(image: Image.Image, rng: random.Random) -> Image.Image:
    """A faded till receipt: light grey print, paper texture, uneven fading."""
    array = np.asarray(image, dtype=np.float32)
    fade = rng.uniform(0.35, 0.7)
    array = 255 - (255 - array) * fade
    gradient = np.linspace(rng.uniform(0.8, 1.0), rng.uniform(0.8, 1.0), array.shape[0])[:, None]
    array = 255 - (255 - array) * gradient
    faded = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    return flatbed(faded, rng, skew=2.0, blur=0.8, noise=5.0)


# ---------------------------------------------------------------- files


def write_document(
    pages: list[str], fmt: str, path: Path, seed: int, receipt: bool = False, held_out: bool = False
) -> Path:
    """Write the document in format `fmt` at `path` (suffix chosen here); return the file written."""
    rng = random.Random(seed)
    layout = lay_out(pages, rng, receipt=receipt, held_out=held_out)
    if fmt == "pdf-text":
        return write_pdf(layout, path.with_suffix(".pdf"))
    images, dpi, save = _images(layout, fmt, rng, receipt)
    return save(images, path, dpi)


def _images(layout: Layout, fmt: str, rng: random.Random, receipt: bool):
    count = len(layout.pages)
    if fmt == "scan-300":
        images = [flatbed(draw_image(layout, i, 300), rng) for i in range(count)]
        return images, 300, _save_png if rng.random() < 0.5 else _save_tiff
    if fmt == "scan-200":
        images = [flatbed(draw_image(layout, i, 200), rng) for i in range(count)]
        return images, 200, lambda ims, p, d: _save_jpeg(ims, p, d, rng.randint(70, 90))
    if fmt == "jpeg-low":
        dpi = rng.choice([150, 200]) if not receipt else rng.choice([120, 150])
        images = [flatbed(draw_image(layout, i, dpi), rng, noise=8.0) for i in range(count)]
        if receipt:
            images = [thermal(image, rng) for image in images]
        return images, dpi, lambda ims, p, d: _save_jpeg(ims, p, d, rng.randint(12, 30))
    if fmt == "phone":
        dpi = rng.choice([150, 180, 220])
        images = [phone_photo(draw_image(layout, i, dpi), rng) for i in range(count)]
        return images, None, lambda ims, p, d: _save_jpeg(ims, p, d, rng.randint(65, 88))
    if fmt == "fax":
        images = [fax(draw_image(layout, i, 204, vertical_dpi=98), rng) for i in range(count)]
        return images, 200, _save_fax
    if fmt == "tiff-multi":
        images = [flatbed(draw_image(layout, i, 300), rng) for i in range(count)]
        return images, 300, _save_tiff
    if fmt == "pdf-image":
        dpi = rng.choice([200, 300])
        images = [flatbed(draw_image(layout, i, dpi), rng) for i in range(count)]
        if receipt:
            images = [thermal(image, rng) for image in images]
        return images, dpi, _save_pdf
    raise ValueError(f"unknown format {fmt}")


def _save_png(images, path: Path, dpi) -> Path:
    if len(images) > 1:
        return _save_tiff(images, path, dpi)
    target = path.with_suffix(".png")
    images[0].save(target, dpi=(dpi, dpi))
    return target


def _save_jpeg(images, path: Path, dpi, quality: int) -> Path:
    if len(images) > 1:  # a JPEG holds one page: the camera app sends a PDF of the pages
        return _save_pdf([im.convert("RGB") for im in images], path, dpi or 150, quality)
    target = path.with_suffix(".jpg")
    options = {"dpi": (dpi, dpi)} if dpi else {}
    images[0].save(target, "JPEG", quality=quality, **options)
    return target


def _save_tiff(images, path: Path, dpi) -> Path:
    target = path.with_suffix(".tif")
    images[0].save(target, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi), save_all=True, append_images=images[1:])
    return target


def _save_fax(images, path: Path, dpi) -> Path:
    # Tagged as a real standard-resolution fax is: 204 dots a line, 98 lines an inch.
    target = path.with_suffix(".tif")
    images[0].save(target, "TIFF", compression="group4", dpi=(204, 98), save_all=True, append_images=images[1:])
    return target


def _save_pdf(images, path: Path, dpi, quality: int = 75) -> Path:
    target = path.with_suffix(".pdf")
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=quality)
    target.write_bytes(buffer.getvalue())
    return target
