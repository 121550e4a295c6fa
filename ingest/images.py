"""Load scanned images with Pillow: bomb guard, EXIF orientation, multi-page TIFF, phone photos.

HEIC/HEIF (what phone cameras save) open through pillow-heif, AVIF through Pillow itself.
"""

from __future__ import annotations

import logging
import math
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from ingest.colour import plain_mode
from ingest.errors import DamagedDocument, DocumentTooLarge, IngestError

pillow_heif.register_heif_opener()

log = logging.getLogger(__name__)

_EXIF_ORIENTATION = 0x0112
# Pillow's bomb check reads a process-wide limit and reports through the (process-wide)
# warnings filter; both are set under this lock so concurrent reads do not interfere.
_OPEN_LOCK = threading.Lock()
# Formats tesseract reads as they are: no need to write a copy when no EXIF turn is needed.
_PASS_THROUGH = {"JPEG": ("L", "RGB"), "PNG": ("1", "L", "RGB")}


def too_large(pixels: int | None, limit: int) -> DocumentTooLarge:
    """Return the error for an image with too many pixels, or one Pillow calls a bomb before counting (pure)."""
    if pixels is None:
        return DocumentTooLarge(
            "image.too_large",
            "This image is too large to read safely; the archive takes images of at most {limit:.0f} million pixels.",
            limit=limit / 1e6,
        )
    return DocumentTooLarge(
        "image.too_many_pixels",
        "This image has {pixels:.0f} million pixels; the archive takes images of at most {limit:.0f} million pixels.",
        pixels=pixels / 1e6,
        limit=limit / 1e6,
    )


def _damaged() -> DamagedDocument:
    return DamagedDocument(
        "image.damaged", "This image is damaged or incomplete and cannot be read; please scan it again."
    )


@contextmanager
def open_image(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    """Open an image (header only) refusing decompression bombs; raise IngestError."""
    try:
        with _OPEN_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Pillow's limit is global: set for this open only, so another caller's is not left behind.
            kept, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, max_pixels
            try:
                image = Image.open(path)
            finally:
                Image.MAX_IMAGE_PIXELS = kept
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large(None, max_pixels) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _damaged() from exc
    try:
        _check_pixels(image, max_pixels)
        yield image
    except IngestError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # decoding a broken file
        log.warning("Pillow could not decode %s: %r", path.name, exc)
        raise _damaged() from exc
    finally:
        image.close()


def frame_count(path: Path, max_pixels: int) -> int:
    """Number of pages (frames) in the image, each checked against the pixel limit."""
    with open_image(path, max_pixels) as image:
        count = getattr(image, "n_frames", 1)
        for index in range(1, count):
            image.seek(index)
            _check_pixels(image, max_pixels)
        return count


def page_image(
    path: Path, index: int, max_pixels: int, target: Path, max_ocr_pixels: int | None = None
) -> tuple[Path, int | None, int]:
    """Return an upright image file of frame `index` for OCR, its horizontal dpi if known, and the EXIF turn.

    The original is returned as it is when tesseract can read it directly (a plain JPEG
    or PNG without an EXIF turn, within `max_ocr_pixels`); otherwise an upright PNG is
    written at `target`, scaled down to `max_ocr_pixels` (a 97-megapixel photo would
    take Tesseract a gigabyte). The copy keeps both axes' resolution, so preparation can
    see a fax's half-height lines. The turn is the degrees clockwise the EXIF orientation
    asked for (frame 0 only).
    """
    most = max_ocr_pixels or max_pixels
    with open_image(path, max_pixels) as image:
        resolution = image_dpi(image)
        dpi = resolution[0] if resolution else None
        turn = _exif_turn(image) if index == 0 else 0
        shrink = ocr_shrink(image.size, most)
        if turn == 0 and shrink == 1 and _can_pass_through(image):
            return path, dpi, 0
        image.seek(index)
        full_pixels = image.width * image.height
        if shrink > 1:
            image.draft("L" if image.mode == "L" else "RGB", (image.width // shrink, image.height // shrink))
        upright = _exif_upright(image) if index == 0 else image
        upright = _ocr_mode(upright)
        if upright.width * upright.height > most:
            upright = upright.reduce(max(2, ocr_shrink(upright.size, most)))
        if resolution and upright.width * upright.height != full_pixels:  # scaled down: so is the resolution
            shrunk = math.sqrt(upright.width * upright.height / full_pixels)
            resolution = (max(1, round(resolution[0] * shrunk)), max(1, round(resolution[1] * shrunk)))
        if resolution and turn in (90, 270):  # turned a quarter: its lines are now its columns
            resolution = (resolution[1], resolution[0])
        dpi = resolution[0] if resolution else None
        upright.save(target, format="PNG", compress_level=1, **({"dpi": resolution} if resolution else {}))
    return target, dpi, turn


def ocr_shrink(size: tuple[int, int], most: int) -> int:
    """The whole factor an image must be shrunk by to have at most `most` pixels (pure)."""
    factor = 1
    while (size[0] // factor) * (size[1] // factor) > most:
        factor += 1
    return factor


def write_thumbnail(path: Path, width: int, max_pixels: int, target: Path, quality: int = 85) -> Path:
    """Write the first frame, upright, `width` pixels wide as a JPEG at `target`."""
    with open_image(path, max_pixels) as image:
        image.draft("RGB", (width, width * 4))  # JPEG decodes at reduced size: much faster
        upright = _exif_upright(image)
        thumb = _ocr_mode(upright)
        thumb.thumbnail((width, width * 4))
        thumb = thumb.convert("L") if thumb.mode == "1" else thumb
        thumb.save(target, format="JPEG", quality=quality)
    return target


def _exif_upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; as it is when that tag is broken."""
    try:
        return ImageOps.exif_transpose(image)
    except (ValueError, TypeError, KeyError, SyntaxError, OSError) as exc:
        log.info("EXIF orientation ignored (%r)", exc)
        return image


def _exif_turn(image: Image.Image) -> int:
    """Degrees clockwise the EXIF orientation turns the image (0 when none or mirrored)."""
    return {3: 180, 6: 90, 8: 270}.get(_orientation_tag(image), 0)


def _orientation_tag(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_EXIF_ORIENTATION, 1))
    except (ValueError, TypeError, SyntaxError, OSError):  # a broken EXIF block: as if there were none
        return 1


def image_dpi(image: Image.Image) -> tuple[int, int] | None:
    """The image's resolution (horizontal, vertical) from its metadata, if plausible.

    The two differ on a fax sent at standard resolution: 204 dots a line, 98 lines an inch.
    """
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        across, down = (round(float(value)) for value in (dpi[0], dpi[-1]))
    except (TypeError, ValueError, IndexError):
        return None
    if not (50 <= across <= 2400 and 50 <= down <= 2400):
        return None
    return across, down


def _can_pass_through(image: Image.Image) -> bool:
    """True for a single-frame JPEG/PNG tesseract reads as it is (no mirroring EXIF tag)."""
    modes = _PASS_THROUGH.get(image.format or "")
    if modes is None or image.mode not in modes or getattr(image, "n_frames", 1) != 1:
        return False
    return _orientation_tag(image) == 1


def _ocr_mode(image: Image.Image) -> Image.Image:
    """Convert exotic modes (CMYK, LAB, 16-bit, alpha, palette) to 1, L or RGB."""
    return plain_mode(image)


def _check_pixels(image: Image.Image, max_pixels: int) -> None:
    """Refuse an image frame whose size alone makes it a decompression bomb."""
    width, height = image.size
    if width * height > max_pixels:
        raise too_large(width * height, max_pixels)
