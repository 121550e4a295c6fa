"""Searchable PDF renditions: the scan in its own compression with an invisible text layer."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from pathlib import Path

import img2pdf
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from ingest.errors import DamagedDocument
from ingest.images import open_image
from ingest.ocr import OcrPage
from ingest.pdf import open_pdf

log = logging.getLogger(__name__)

# img2pdf embeds these without decoding (JPEG as DCT, PNG/TIFF losslessly); the others
# are converted first (PDF has no WebP; BMP is uncompressed and gains from PNG).
_IMG2PDF_FORMATS = ("JPEG", "PNG", "TIFF", "JPEG2000", "GIF")


def pdf_rendition(source: Path, pages: Mapping[int, OcrPage], target: Path) -> Path:
    """Write `source` with each OCR'd page (0-based index) given its text layer, at `target`."""
    writer = PdfWriter(clone_from=open_pdf(source))
    _overlay(writer, pages)
    _write(writer, target)
    return target


def image_rendition(
    image: Path, pages: Mapping[int, OcrPage], max_pixels: int, work_dir: Path, target: Path
) -> Path:
    """Write the image's frames as PDF pages (own compression) with text layers at `target`."""
    embedded = _image_pdf_bytes(image, max_pixels, work_dir)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(embedded)))
    _overlay(writer, pages)
    _write(writer, target)
    return target


def text_layer_transform(text_page: PageObject, left: float, bottom: float, width: float, height: float) -> Transformation:
    """Scale and move a text-only page onto the box (left, bottom, width, height) (pure)."""
    scale_x = width / float(text_page.mediabox.width)
    scale_y = height / float(text_page.mediabox.height)
    return Transformation().scale(scale_x, scale_y).translate(left, bottom)


def _overlay(writer: PdfWriter, pages: Mapping[int, OcrPage]) -> None:
    """Lay each page's text-only layer over it, turning it upright as OCR did."""
    for index, ocr_page in sorted(pages.items()):
        if ocr_page.text_pdf is None:
            continue
        page = writer.pages[index]
        if ocr_page.rotated:
            page.rotate(ocr_page.rotated)
        # The text layer was read from the page as shown (rotation applied): bake any
        # /Rotate into the content so page space and shown space are the same.
        if page.rotation % 360:
            page.transfer_rotation_to_content()
        text_page = PdfReader(ocr_page.text_pdf).pages[0]
        box = page.cropbox
        transform = text_layer_transform(
            text_page, float(box.left), float(box.bottom), float(box.width), float(box.height)
        )
        page.merge_transformed_page(text_page, transform, over=True)
        page.compress_content_streams()


def _image_pdf_bytes(image: Path, max_pixels: int, work_dir: Path) -> bytes:
    """The image as a PDF, each frame a page, without recompressing where possible."""
    with open_image(image, max_pixels) as opened:
        image_format = opened.format
    source = image
    if image_format not in _IMG2PDF_FORMATS:
        source = _as_png(image, max_pixels, work_dir / "rendition-source.png")
    try:
        return img2pdf.convert(str(source), rotation=img2pdf.Rotation.ifvalid)
    except img2pdf.AlphaChannelError:
        flattened = _as_png(image, max_pixels, work_dir / "rendition-source.png")
        return img2pdf.convert(str(flattened), rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.ImageOpenError, ValueError, OSError) as exc:
        raise DamagedDocument("This image cannot be converted to PDF; please scan it again.") from exc


def _as_png(image: Path, max_pixels: int, target: Path) -> Path:
    """Convert every frame to a flattened multi-page PNG/TIFF img2pdf can embed losslessly."""
    frames: list[Image.Image] = []
    with open_image(image, max_pixels) as opened:
        for index in range(getattr(opened, "n_frames", 1)):
            opened.seek(index)
            frames.append(_flatten(opened))
    if len(frames) == 1:
        frames[0].save(target, format="PNG")
        return target
    tiff = target.with_suffix(".tiff")
    frames[0].save(tiff, format="TIFF", compression="tiff_deflate", save_all=True, append_images=frames[1:])
    return tiff


def _flatten(frame: Image.Image) -> Image.Image:
    """A copy of the frame without alpha, in L or RGB."""
    if frame.mode in ("1", "L", "RGB"):
        return frame.copy()
    rgba = frame.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _write(writer: PdfWriter, target: Path) -> None:
    """Write the PDF to `target`."""
    with open(target, "wb") as handle:
        writer.write(handle)
