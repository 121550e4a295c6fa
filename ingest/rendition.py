"""Searchable PDF renditions: the scan in its own compression with an invisible text layer."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

from ingest.colour import plain_mode
from ingest.errors import DamagedDocument
from ingest.images import open_image
from ingest.ocr import OcrPage

log = logging.getLogger(__name__)

# img2pdf embeds these without decoding (JPEG as DCT, PNG/TIFF losslessly); the others
# are converted first (PDF has no WebP; BMP is uncompressed and gains from PNG).
_IMG2PDF_FORMATS = ("JPEG", "PNG", "TIFF", "JPEG2000", "GIF")
_LAYER_PREFIX = "FOAText"
Matrix = tuple[float, float, float, float, float, float]


def pdf_rendition(source: Path, pages: Mapping[int, OcrPage], target: Path) -> Path:
    """Write `source` with each OCR'd page (0-based index) given its text layer, at `target`.

    qpdf (pikepdf) copies the original's streams untouched and reads them lazily from
    the source, so a long scan is never held in memory.
    """
    try:
        with pikepdf.open(source) as pdf:
            _overlay(pdf, pages)
            # Object streams pack the many small objects of the text layers: on compact
            # scans (JBIG2, CCITT) the layers are a large part of the file.
            pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    except pikepdf.PasswordError as exc:  # pypdf opened it; qpdf should too
        raise DamagedDocument("pdf.not_searchable", "This PDF cannot be made searchable.") from exc
    except pikepdf.PdfError as exc:
        log.warning("qpdf could not write the rendition of %s: %s", source.name, exc)
        raise DamagedDocument(
            "pdf.damaged_not_searchable", "This PDF is damaged and cannot be made searchable."
        ) from exc
    return target


def image_rendition(image: Path, pages: Mapping[int, OcrPage], max_pixels: int, work_dir: Path, target: Path) -> Path:
    """Write the image's frames as PDF pages (own compression) with text layers at `target`."""
    embedded = work_dir / "embedded.pdf"
    embedded.write_bytes(_image_pdf_bytes(image, max_pixels, work_dir))
    return pdf_rendition(embedded, pages, target)


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


def _overlay(pdf: pikepdf.Pdf, pages: Mapping[int, OcrPage]) -> None:
    """Lay each page's text-only layer over it as a form, turning the page as OCR did.

    The page's images are left untouched (never re-encoded); the layer is drawn after
    the page's own drawing instructions, from a Form XObject placed by text_layer_matrix.
    """
    shared = _Shared()
    for index, ocr_page in sorted(pages.items()):
        if ocr_page.text_pdf is None:
            continue
        page = pdf.pages[index]
        rotation = (_rotation(page) + ocr_page.rotated) % 360
        page.obj[pikepdf.Name.Rotate] = rotation
        with pikepdf.open(ocr_page.text_pdf) as text:
            text_page = text.pages[0]
            layer_size = (float(text_page.mediabox[2]), float(text_page.mediabox[3]))
            form = pdf.copy_foreign(text_page.as_form_xobject())
        left, bottom, right, top = (float(value) for value in page.cropbox)
        matrix = text_layer_matrix(layer_size, (left, bottom, right - left, top - bottom), rotation)
        # The placement goes in the page's content, not the form: a repeated page can then
        # draw the very same layer.
        if pikepdf.Name.Matrix in form:
            del form[pikepdf.Name.Matrix]
        name = page.add_resource(
            shared.layer(form),  # type: ignore[arg-type]  # a Stream
            pikepdf.Name.XObject,
            prefix=_LAYER_PREFIX,
        )
        # q/Q around the original content so its graphics state cannot move the layer.
        page.contents_add(b"q\n", prepend=True)
        placed = " ".join(_pdf_number(value) for value in matrix)
        page.contents_add(f"\nQ q {placed} cm {name} Do Q\n".encode(), prepend=False)
        _join_contents(page)


def _join_contents(page: pikepdf.Page) -> None:
    """Make the page's drawing instructions one stream (a few bytes each; the images are untouched).

    Three streams where one will do cost more than the text layer on a tiny scan.
    A content stream qpdf cannot decode stays as it is.
    """
    try:
        page.contents_coalesce()
    except pikepdf.PdfError as exc:
        log.info("kept the page's content streams apart: %s", exc)


def _pdf_number(value: float) -> str:
    """A number as PDF content writes it: plain decimals, never an exponent."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class _Shared:
    """Writes identical text-layer objects once.

    Every page's layer brings its own copy of Tesseract's font, and a repeated page
    (a form scanned twice, a blank back side) an identical layer: on a compact scan
    those copies alone can make the rendition grow by a third.
    """

    def __init__(self) -> None:
        self._fonts: dict[bytes, pikepdf.Object] = {}
        self._layers: dict[bytes, pikepdf.Object] = {}

    def layer(self, form: pikepdf.Stream) -> pikepdf.Object:
        """The form to draw: `form` with shared fonts, or an identical one seen before."""
        fonts = form.get(pikepdf.Name.Resources, pikepdf.Dictionary()).get(pikepdf.Name.Font)
        if fonts is not None:
            for key in list(fonts.keys()):
                fonts[key] = self._fonts.setdefault(_digest(fonts[key]), fonts[key])
        return self._layers.setdefault(_digest(form), form)


def _digest(obj: object, depth: int = 0) -> bytes:
    """A fingerprint of an object and everything it refers to (small graphs: a font, a layer)."""
    if depth > 12:  # text layers are shallow; a deeper graph is never taken for another
        return repr(getattr(obj, "objgen", id(obj))).encode()
    hasher = hashlib.sha256()
    if isinstance(obj, pikepdf.Stream):
        hasher.update(b"stream" + obj.read_raw_bytes())
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        for key in sorted(obj.keys()):
            hasher.update(key.encode() + _digest(obj[key], depth + 1))
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            hasher.update(b"[" + _digest(item, depth + 1))
    elif isinstance(obj, pikepdf.Object):
        hasher.update(obj.unparse())
    else:  # numbers and booleans come back as Python values
        hasher.update(repr(obj).encode())
    return hasher.digest()


def _rotation(page: pikepdf.Page) -> int:
    """The page's /Rotate as 0, 90, 180 or 270, read the way PDFium drew it for OCR.

    The value must be a multiple of 90; PDFium truncates any other number to one (45
    draws upright, -100 as 270) and takes a value that is no number as 0.
    """
    value = page.obj.get(pikepdf.Name.Rotate, 0)
    try:
        quarter = int(int(value) / 90)  # towards zero, as PDFium's integer division
    except (TypeError, ValueError, OverflowError):
        return 0
    return quarter % 4 * 90


def _image_pdf_bytes(image: Path, max_pixels: int, work_dir: Path) -> bytes:
    """The image as a PDF, each frame a page, without recompressing where possible."""
    with open_image(image, max_pixels) as opened:
        image_format = opened.format
    source = image
    if image_format not in _IMG2PDF_FORMATS:
        source = _as_png(image, max_pixels, work_dir / "rendition-source.png")
    try:
        return img2pdf.convert(str(source), rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError, OSError, TypeError) as exc:
        # img2pdf embeds only what PDF holds as it is (no 16-bit, LAB, odd JPEG headers):
        # what Pillow can decode is converted instead, and only what it cannot is refused.
        log.info("%s converted before embedding in its PDF (%r)", image.name, exc)
    flattened = _as_png(image, max_pixels, work_dir / "rendition-source.png")
    try:
        return img2pdf.convert(str(flattened), rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.ImageOpenError, ValueError, OSError, TypeError) as exc:
        raise DamagedDocument("image.no_pdf", "This image cannot be converted to PDF; please scan it again.") from exc


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
    """A copy of the frame without alpha, in 1, L or RGB (16-bit and LAB scans converted, not clipped)."""
    plain = plain_mode(frame)
    return plain.copy() if plain is frame else plain
