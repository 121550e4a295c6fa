"""Searchable PDF renditions: the scan in its own compression with an invisible text layer."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from pathlib import Path

import img2pdf
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

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


Matrix = tuple[float, float, float, float, float, float]
_LAYER_NAME = NameObject("/FOAText")


def text_layer_matrix(layer_size: tuple[float, float], box: tuple[float, float, float, float], rotation: int) -> Matrix:
    """Matrix laying a text layer read from the page as shown onto page space (pure).

    `layer_size` is the text layer's (width, height), `box` the page's crop box
    (left, bottom, width, height) in unrotated page space, and `rotation` the page's
    /Rotate (clockwise, as the viewer turns it). The layer is stretched over the shown
    page and turned back by the rotation, so it lies exactly over the pixels it was read from.
    """
    left, bottom, width, height = box
    shown_width, shown_height = (height, width) if rotation in (90, 270) else (width, height)
    scale_x = shown_width / layer_size[0]
    scale_y = shown_height / layer_size[1]
    a, b, c, d, e, f = {
        0: (1, 0, 0, 1, left, bottom),
        90: (0, 1, -1, 0, left + width, bottom),
        180: (-1, 0, 0, -1, left + width, bottom + height),
        270: (0, -1, 1, 0, left, bottom + height),
    }[rotation]
    return (a * scale_x, b * scale_x, c * scale_y, d * scale_y, e, f)


def _overlay(writer: PdfWriter, pages: Mapping[int, OcrPage]) -> None:
    """Lay each page's text-only layer over it as a form, turning the page as OCR did.

    The page's own content streams are left untouched (still compressed, never
    re-encoded); the layer is drawn after them from a Form XObject. All layers share
    one copy of tesseract's glyphless font.
    """
    shared_resources: IndirectObject | None = None
    for index, ocr_page in sorted(pages.items()):
        if ocr_page.text_pdf is None:
            continue
        page = writer.pages[index]
        rotation = (page.rotation + ocr_page.rotated) % 360
        page[NameObject("/Rotate")] = NumberObject(rotation)
        text_page = PdfReader(ocr_page.text_pdf).pages[0]
        if shared_resources is None:
            shared_resources = writer._add_object(text_page["/Resources"].clone(writer))
        box = page.cropbox
        matrix = text_layer_matrix(
            (float(text_page.mediabox.width), float(text_page.mediabox.height)),
            (float(box.left), float(box.bottom), float(box.width), float(box.height)),
            rotation,
        )
        form = _text_form(writer, text_page, matrix, shared_resources)
        _draw_form_last(writer, page, form)


def _text_form(writer: PdfWriter, text_page: PageObject, matrix: Matrix, resources: IndirectObject) -> IndirectObject:
    """The text page's content as a compressed Form XObject placed by `matrix`."""
    content = DecodedStreamObject()
    content.set_data(text_page.get_contents().get_data())
    form = content.flate_encode(level=9)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in text_page.mediabox),
            NameObject("/Matrix"): ArrayObject(FloatObject(v) for v in matrix),
            NameObject("/Resources"): resources,
        }
    )
    return writer._add_object(form)  # pypdf's way to make an indirect object


def _draw_form_last(writer: PdfWriter, page: PageObject, form: IndirectObject) -> None:
    """Wrap the page's content in q/Q and draw `form` after it."""
    # Copies: scanners often share one /Resources (and /XObject) dict among all pages,
    # and each page needs its own layer under the same name.
    resources = DictionaryObject(_resolved(page.get("/Resources")))
    xobjects = DictionaryObject(_resolved(resources.get("/XObject")))
    xobjects[_LAYER_NAME] = form
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    existing = page.get("/Contents")
    existing = existing.get_object() if existing is not None else ArrayObject()
    streams = list(existing) if isinstance(existing, ArrayObject) else [page.raw_get("/Contents")]
    page[NameObject("/Contents")] = ArrayObject(
        [_stream(writer, b"q\n"), *streams, _stream(writer, b"\nQ q " + _LAYER_NAME.encode() + b" Do Q\n")]
    )


def _resolved(value: object) -> DictionaryObject:
    """The dictionary behind a possibly indirect or absent value."""
    if value is None:
        return DictionaryObject()
    return value.get_object()  # type: ignore[attr-defined]


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    """A small content stream added to the writer."""
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


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
