"""Bring any image Pillow decodes into greyscale or RGB, as Tesseract and PDF renditions need.

Scanners and archives write 16-bit greyscale (often only 12 bits used), CMYK, CIE
L*a*b*, palettes with transparency and alpha channels. Converting them naively loses
the page: Pillow clips 16-bit values to white, and has no LAB-to-RGB conversion
without a colour profile.
"""

from __future__ import annotations

from PIL import Image, ImageCms

_WIDE = ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")
_LAB_TO_SRGB: ImageCms.ImageCmsTransform | None = None


def plain_mode(image: Image.Image) -> Image.Image:
    """Return the image in mode 1, L or RGB (the same object when it already is); alpha goes on white."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode in _WIDE:
        return _eight_bit(image)
    if image.mode == "LAB":
        return _lab_to_rgb(image)
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _eight_bit(image: Image.Image) -> Image.Image:
    """A wide greyscale image scaled into 0-255 by the depth its values actually use (12 or 16 bits)."""
    import numpy as np  # here: every reading process would import it, most never see a wide image

    values = np.asarray(image)
    if values.dtype.kind == "f":
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / max(high - low, 1e-9))
        return Image.fromarray(scaled.astype(np.uint8))
    top = int(values.max()) if values.size else 0
    shift = 0 if top < 256 else 4 if top < 4096 else 8
    return Image.fromarray((values.astype(np.uint32) >> shift).clip(0, 255).astype(np.uint8))


def _lab_to_rgb(image: Image.Image) -> Image.Image:
    global _LAB_TO_SRGB
    if _LAB_TO_SRGB is None:
        _LAB_TO_SRGB = ImageCms.buildTransform(
            ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"), "LAB", "RGB"
        )
    converted = ImageCms.applyTransform(image, _LAB_TO_SRGB)
    assert converted is not None  # None only when converting in place
    return converted
