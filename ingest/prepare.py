"""Page images prepared for Tesseract where that measurably helps.

Tesseract reads a clean, upright, evenly lit page with text 20-40 pixels tall best.
What arrives is often not that: a phone photo of a page on a desk (perspective, a
shadow, a colour cast), a faded till receipt scanned small, a page fed in slightly
askew. Each step below is taken only when the image shows the need for it:

- a fax sent at standard resolution (half as many lines as dots a line) given its
  missing lines back, and smoothed, when its resolution tag says its lines are fewer
  than its dots or, untagged, its letters are squashed to half their height;
- illumination flattened (divided by its own background) when the paper's brightness
  varies across the page or the print is faint;
- a photographed page cut out of its background and its perspective undone;
- small text scaled up to about 30 pixels;
- a skew of more than half a degree turned straight.

A page that needs none of it is handed to Tesseract as it is (no copy is written).
The searchable PDF lays Tesseract's text over the original: scaling keeps the text
where it was; straightening and perspective move it a little on the original scan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ingest.images import image_dpi

log = logging.getLogger(__name__)
# Pages are prepared one per OCR worker thread, beside one Tesseract per core: OpenCV's own
# thread pool would only compete with them (as Tesseract's own threading does).
cv2.setNumThreads(1)

# Bumped whenever reading changes what Tesseract is given or returns (evaluation caches key on it).
PREPARATION_VERSION = "10"
# Text is scaled up when its letters are lower than this (pixels) ...
MIN_TEXT_HEIGHT = 16
# ... to about this height (a 300 dpi scan's), at most this much.
TARGET_TEXT_HEIGHT = 24
MAX_SCALE = 2.5
MAX_SCALED_PIXELS = 9_000_000
# Uneven light: the paper's brightness varies more than this factor across the page.
# Tesseract binarises a page with one threshold: a sparse page whose paper darkens by a
# tenth towards a corner already loses its text to that corner.
UNEVEN_LIGHT = 1.10
# A bilevel page's letters are squashed when they are less than this many stems tall
# (regular type is 4-7 stems tall at any resolution, bold type about 3.5) ...
SQUASHED_LETTERS = 3.2
# ... and its strokes across are thinner than its stems (a bold page's are not).
SQUASHED_STROKES = 1.0
# A page's lines are stretched when its resolution tag gives it fewer lines an inch than
# dots a line by more than this (a standard fax: 204 x 98; a scanner's rounding is far less).
UNEVEN_RESOLUTION = 1.25
MAX_LINE_STRETCH = 3.0
# A fax's line doubled is smoothed this much (pixels) so its letters become grey shapes again.
FAX_SMOOTHING = 1.1
# The step that names a page read from a fax's restored lines.
FAX_LINES = "lines doubled"
# Faint print: the darkest ink is lighter than this grey level.
FAINT_INK = 110
# Fewer letter-sized marks than this and a page's print is not judged letter by letter.
_MIN_LETTERS = 30
MIN_SKEW_DEGREES = 0.5
MAX_SKEW_DEGREES = 8.0
# A page outline found in a photo must cover this share of the image.
MIN_PAGE_AREA = 0.3
_MAX_WORK_PIXELS = 40_000_000


@dataclass(frozen=True)
class Prepared:
    """The image to hand Tesseract, its resolution, and what was done to it."""

    path: Path
    dpi: int | None
    steps: tuple[str, ...]


def prepare_page(
    source: Path, target: Path, dpi: int | None, scale_up: bool = True, smooth_fax: bool = True
) -> Prepared:
    """Write a prepared copy of `source` near `target` when it needs preparing; else return `source`.

    `scale_up` is False for PDF pages: they are rendered at the configured resolution
    already. `smooth_fax` False keeps a fax's doubled lines sharp (its second reading).
    The copy is a PGM: written and read without compression, the cheapest hand-over.
    """
    with Image.open(source) as image:
        if image.width * image.height > _MAX_WORK_PIXELS:
            return Prepared(source, dpi, ())  # a huge page: Tesseract reads it as it is
        colour = image.mode in ("RGB", "RGBA", "P", "CMYK")
        bilevel = image.mode == "1"
        stretch = line_stretch(image_dpi(image))
        grey = np.asarray(image if image.mode == "L" else image.convert("L"))
    result, steps, scale = prepare_array(grey, colour, bilevel, scale_up, stretch, smooth_fax)
    if not steps:
        return Prepared(source, dpi, ())
    written = target.with_suffix(".pgm")
    Image.fromarray(result).save(written, format="PPM")
    log.debug("prepared %s: %s", source.name, ", ".join(steps))
    return Prepared(written, round(dpi * scale) if dpi else None, steps)


def line_stretch(resolution: tuple[int, int] | None) -> float:
    """How much taller a page must be drawn for square pixels, by its resolution tag (pure).

    1.0 unless the tag gives clearly fewer lines an inch than dots a line, as a
    standard-resolution fax's (204 x 98) does.
    """
    if resolution is None:
        return 1.0
    across, down = resolution
    ratio = min(across / down, MAX_LINE_STRETCH)
    if ratio < UNEVEN_RESOLUTION:
        return 1.0
    # A whole factor repeats every line alike: 2.08 (204 / 98) would thicken every twelfth
    # line of a bilevel page, a ripple Tesseract reads worse than the 4 % too short letters.
    whole = round(ratio)
    return float(whole) if abs(ratio - whole) <= 0.1 * whole else ratio


def prepare_array(
    grey: np.ndarray,
    colour: bool = False,
    bilevel: bool = False,
    scale_up: bool = True,
    stretch: float = 1.0,
    smooth_fax: bool = True,
) -> tuple[np.ndarray, tuple[str, ...], float]:
    """Return the prepared greyscale page, the steps taken and the scale applied (pure).

    `stretch` is how much taller the page's resolution tag says it must be (a fax's);
    `smooth_fax` False doubles a fax's lines without smoothing them (they stay bilevel).
    What the page needs is judged on a small copy; only the steps it needs touch the
    full-size page, the turn and the scaling in one pass.
    """
    steps: list[str] = []
    page = grey
    if stretch == 1.0 and bilevel and squashed(_centre(page, _HEIGHT_WINDOW)):
        stretch = 2.0  # untagged, or tagged as if its lines were square: a standard fax's two to one
    if stretch != 1.0:
        page = restore_fax_lines(page, stretch, FAX_SMOOTHING if smooth_fax else 0.0)
        bilevel = not smooth_fax  # smoothed, it has shades now and may need scaling like any page
        steps.append(FAX_LINES)
    if colour and _looks_photographed(_probe(page, 600)[0]):
        cut = _cut_out_page(page)
        if cut is not None:
            page = cut
            steps.append("perspective")
    probe, _factor = _probe(page, _PROBE_SIDE)
    if not bilevel:  # a fax has no shades to even out
        background = _background(probe, 9)
        if _uneven_light(background) or _faint(_centre(page, _HEIGHT_WINDOW)):
            page = flatten_illumination(
                page, cv2.resize(background, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_LINEAR)
            )
            steps.append("illumination")
            probe, _factor = _probe(page, _PROBE_SIDE)
    # A bilevel page (a fax) gains nothing from scaling: its letters are made of whole pixels.
    height = text_height(_centre(page, _HEIGHT_WINDOW)) if scale_up and not bilevel else None
    scale = 1.0
    if height is not None and height < MIN_TEXT_HEIGHT:
        # Tesseract's time grows with the pixels: never past a 300 dpi A4 page's.
        scale = min(TARGET_TEXT_HEIGHT / height, MAX_SCALE, (MAX_SCALED_PIXELS / page.size) ** 0.5)
    if scale < 1.1:
        scale = 1.0
    else:
        steps.append(f"scaled x{scale:.1f}")
    angle = skew_angle(_probe(probe, _SKEW_SIDE)[0])
    if angle is None or not MIN_SKEW_DEGREES <= abs(angle) <= MAX_SKEW_DEGREES:
        angle = 0.0
    else:
        steps.append(f"deskewed {angle:+.1f}°")
    if scale != 1.0 or angle:
        page = turn_and_scale(page, angle, scale)
    return page, tuple(steps), scale


_PROBE_SIDE = 1200
_SKEW_SIDE = 800
_HEIGHT_WINDOW = 1600


def _probe(grey: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """A copy at most `side` pixels long, and its scale."""
    factor = min(1.0, side / max(grey.shape))
    if factor >= 1.0:
        return grey, 1.0
    return cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), factor


def _centre(grey: np.ndarray, side: int) -> np.ndarray:
    """The middle of the page at full resolution, at most `side` pixels square (letters keep their size)."""
    h, w = grey.shape
    top, left = max((h - side) // 2, 0), max((w - side) // 2, 0)
    return grey[top : top + side, left : left + side]


def turn_and_scale(grey: np.ndarray, angle: float, scale: float) -> np.ndarray:
    """The page turned `angle` degrees counter-clockwise and scaled by `scale`, in one pass (pure)."""
    height, width = grey.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale)
    size = (round(width * scale), round(height * scale))
    matrix[0, 2] += size[0] / 2 - width / 2
    matrix[1, 2] += size[1] / 2 - height / 2
    return cv2.warpAffine(grey, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


# ---------------------------------------------------------------- what the page needs


def _background(grey: np.ndarray, size: int) -> np.ndarray:
    """The paper's brightness everywhere: the page with its print closed over, at half size.

    A grey closing (the brightest nearby, then the darkest of those) removes the print
    and keeps the edge of a shadow where it is: a blurred background would darken the
    text along a shadow's edge into a line that cuts its words in two.
    """
    small = cv2.resize(grey, (max(grey.shape[1] // 2, 1), max(grey.shape[0] // 2, 1)), interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * size + 1, 2 * size + 1))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    return cv2.resize(closed, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)


def _uneven_light(background: np.ndarray) -> bool:
    """Whether the paper's brightness varies across the page more than a scanner's lamp does."""
    low, high = np.percentile(background, (5, 95))
    return bool(high / max(low, 1.0) > UNEVEN_LIGHT)


def _ink_level(grey: np.ndarray) -> float | None:
    """The grey level of the print (the darkest of the clearly dark pixels), None when there is too little."""
    dark = grey[grey < 200]
    if dark.size < max(50, grey.size * 0.0005):
        return None  # a nearly empty page (or only specks): nothing to judge the print by
    return float(np.percentile(dark, 5))


def _letter_inks(grey: np.ndarray) -> np.ndarray:
    """The darkest grey of each letter-sized mark on the page (pure)."""
    ink = (grey < 200).astype(np.uint8)
    count, labels, stats, _centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    darkest = np.full(count, 255, dtype=np.int32)
    np.minimum.at(darkest, labels.ravel().astype(np.intp), grey.ravel().astype(np.int32))
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    areas = stats[1:, cv2.CC_STAT_AREA]
    letters = (heights >= 4) & (heights <= 200) & (widths <= heights * 3) & (areas >= 8)
    return darkest[1:][letters]


def _faint_print_level(grey: np.ndarray) -> float | None:
    """The grey of most letters when they are light (faded thermal paper, a pale copy), else None.

    Judged letter by letter: one dark stamp or a freshly printed number at the top of a
    faded till receipt leaves its body just as faint.
    """
    level = _ink_level(grey)
    if level is not None and level > FAINT_INK:
        return level
    inks = _letter_inks(grey)
    if inks.size < _MIN_LETTERS:
        return None
    typical = float(np.median(inks))
    return typical if typical > FAINT_INK else None


def _faint(grey: np.ndarray) -> bool:
    """Whether the print is light grey (faded thermal paper, a pale photocopy)."""
    return _faint_print_level(grey) is not None


def flatten_illumination(grey: np.ndarray, background: np.ndarray | None = None) -> np.ndarray:
    """Divide the page by its own background and stretch the ink to black (pure)."""
    if background is None:
        background = _background(grey, 9)
    flat = cv2.divide(grey, np.maximum(background, 1), scale=255)
    centre = _centre(flat, _HEIGHT_WINDOW)
    level = _faint_print_level(centre) or _ink_level(centre)
    if level is not None and 30 < level < 200:  # stretch faint print to black; never the specks of an empty page
        ink = int(level)
        flat = cv2.convertScaleAbs(flat, alpha=255.0 / (255 - ink), beta=-ink * 255.0 / (255 - ink))
    return flat


def text_height(grey: np.ndarray) -> float | None:
    """The median height (pixels) of letter-sized dark blobs, None when the page has too few."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _count, _labels, stats, _centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    areas = stats[1:, cv2.CC_STAT_AREA]
    letters = (heights >= 4) & (heights <= 200) & (widths <= heights * 3) & (areas >= 8)
    if int(letters.sum()) < 30:
        return None
    return float(np.median(heights[letters]))


def _ink_runs(ink: np.ndarray) -> np.ndarray:
    """The lengths of the runs of ink along each row of `ink` (True where there is ink)."""
    padded = np.pad(ink.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1).ravel()
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)


def squashed(grey: np.ndarray) -> bool:
    """Whether a bilevel page's letters are squashed to about half their height (a standard-resolution fax).

    A fax line is twice as tall as a dot is wide; a file that does not say so (or says
    "fine" resolution) shows its letters half as tall as they are. What gives it away is
    the shape of the strokes: letters only two or three stems tall, and strokes across
    the letters thinner than the stems.
    """
    height = text_height(grey)
    if height is None:
        return False
    ink = grey < 128
    across = _ink_runs(ink)  # each run crosses a stem
    down = _ink_runs(ink.T)  # each run crosses a bar (or runs down a stem)
    across, down = across[across < 40], down[down < 80]
    if across.size < 200 or down.size < 200:
        return False
    stem = float(across.mean())
    return height / stem < SQUASHED_LETTERS and float(down.mean()) / stem < SQUASHED_STROKES


def restore_fax_lines(grey: np.ndarray, stretch: float = 2.0, smoothing: float = FAX_SMOOTHING) -> np.ndarray:
    """The page's lines stretched `stretch` times and smoothed: square pixels, grey letter shapes (pure).

    Without `smoothing` each line is repeated as it is: the letters keep the fax's own
    hard edges, which Tesseract misreads differently (the second reading of a fax).
    """
    size = (grey.shape[1], round(grey.shape[0] * stretch))
    if not smoothing:
        return cv2.resize(grey, size, interpolation=cv2.INTER_NEAREST)
    tall = cv2.resize(grey, size, interpolation=cv2.INTER_LINEAR)
    return cv2.GaussianBlur(tall, (0, 0), smoothing)


def skew_angle(grey: np.ndarray) -> float | None:
    """The turn (degrees, counter-clockwise positive) that levels the text lines, by projection profiles."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() < 1.0:
        return None
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, matrix, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.var(profile))

    coarse = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 1.0), key=sharpness)
    fine = max(np.arange(coarse - 1.0, coarse + 1.01, 0.25), key=sharpness)
    return round(float(fine), 2)


# ---------------------------------------------------------------- photographed pages


def _looks_photographed(grey: np.ndarray) -> bool:
    """A page on a desk: the image's border is much darker than its middle."""
    h, w = grey.shape
    band = max(min(h, w) // 40, 2)
    edges = (grey[:band], grey[-band:], grey[:, :band], grey[:, -band:])
    border = np.concatenate([edge.ravel() for edge in edges])
    middle = grey[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]
    return bool(np.median(border) < np.percentile(middle, 75) * 0.8)


def _cut_out_page(grey: np.ndarray) -> np.ndarray | None:
    """The page found as the largest bright quadrilateral, warped to a rectangle; None when not found."""
    scale = min(1.0, 800.0 / max(grey.shape))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, paper = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline) / float(small.shape[0] * small.shape[1])
    if not MIN_PAGE_AREA <= area <= 0.98:
        return None
    corners = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    if len(corners) != 4 or not cv2.isContourConvex(corners):
        return None
    quad = _order(corners.reshape(4, 2).astype(np.float32) / scale)
    width = int(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])))
    height = int(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])))
    if width < 100 or height < 100:
        return None
    square = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, square)
    return cv2.warpPerspective(grey, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)


def _order(points: np.ndarray) -> np.ndarray:
    """Corners in the order top-left, top-right, bottom-right, bottom-left."""
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ordered = points[np.argsort(angles)]  # from the top-left going clockwise (y points down)
    start = int(np.argmin(ordered.sum(axis=1)))
    return np.roll(ordered, -start, axis=0)
