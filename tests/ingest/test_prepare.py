"""Page images prepared for Tesseract only where they need it."""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFilter

from ingest.prepare import line_stretch, prepare_array, prepare_page, skew_angle, squashed, text_height
from tests.documents import INVOICE_NL, font, scan_image
from tests.facts.formats import draw_image, fax, lay_out, phone_photo


@pytest.fixture(scope="module")
def clean() -> np.ndarray:
    """A clean 200 dpi page of an invoice."""
    return np.asarray(scan_image(INVOICE_NL, dpi=200, noise=False))


def test_a_clean_page_is_handed_over_as_it_is(clean: np.ndarray, tmp_path: Path) -> None:
    source = tmp_path / "clean.png"
    Image.fromarray(clean).save(source)
    prepared = prepare_page(source, tmp_path / "prepared", 200)
    assert prepared.path == source and prepared.steps == () and prepared.dpi == 200


def test_small_text_is_scaled_up_and_its_dpi_with_it(tmp_path: Path) -> None:
    small = scan_image(INVOICE_NL, dpi=90, noise=False)
    source = tmp_path / "small.png"
    small.save(source)
    prepared = prepare_page(source, tmp_path / "prepared", 90)
    assert any(step.startswith("scaled") for step in prepared.steps)
    with Image.open(prepared.path) as image:
        assert image.width > small.width * 1.3
    assert prepared.dpi is not None and prepared.dpi > 90


def test_a_page_fed_in_askew_is_turned_straight(clean: np.ndarray) -> None:
    turned = np.asarray(Image.fromarray(clean).rotate(3.0, fillcolor=255, resample=Image.BICUBIC))
    assert abs(skew_angle(turned) + 3.0) <= 0.5  # turned 3° counter-clockwise: 3° back levels it
    page, steps, _ = prepare_array(turned)
    assert any(step.startswith("deskewed") for step in steps)
    assert abs(skew_angle(page)) <= 0.5


def test_a_phone_photo_is_cut_out_of_its_background(clean: np.ndarray) -> None:
    photo = phone_photo(Image.fromarray(clean), random.Random(3))
    page, steps, _ = prepare_array(np.asarray(photo.convert("L")), colour=True)
    assert "perspective" in steps
    # What is left is the page: light all the way to its edges, no dark desk.
    assert np.median(page[:, :10]) > 150 and np.median(page[:, -10:]) > 150


def test_uneven_light_is_flattened(clean: np.ndarray) -> None:
    shade = np.linspace(0.55, 1.0, clean.shape[1])[None, :]
    shaded = (clean.astype(np.float32) * shade).astype(np.uint8)
    page, steps, _ = prepare_array(shaded)
    assert "illumination" in steps
    background = np.percentile(page, 90, axis=0)
    assert background[:100].mean() > 230 and background[-100:].mean() > 230


def test_a_fax_is_not_scaled(tmp_path: Path) -> None:
    fax = scan_image(INVOICE_NL, dpi=90, noise=False).point(lambda v: 255 if v > 128 else 0, mode="1")
    source = tmp_path / "fax.tif"
    fax.save(source, compression="group4")
    prepared = prepare_page(source, tmp_path / "prepared", 90)
    assert not any(step.startswith("scaled") for step in prepared.steps)


def test_letter_height_is_measured(clean: np.ndarray) -> None:
    height = text_height(clean)
    assert height is not None and 10 <= height <= 40
    assert text_height(np.full((400, 400), 255, dtype=np.uint8)) is None


def _fax_page(seed: int, lines_per_inch: int) -> np.ndarray:
    """The invoice sent by fax at 204 dots a line and `lines_per_inch` lines (98: standard, 196: fine)."""
    rng = random.Random(seed)
    layout = lay_out([INVOICE_NL], rng)
    return np.asarray(fax(draw_image(layout, 0, 204, vertical_dpi=lines_per_inch), rng).convert("L"))


def _words_read(page: np.ndarray) -> int:
    """How many of the invoice's words Tesseract reads from `page`."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    read = set(pytesseract.image_to_string(Image.fromarray(page), lang="nld+eng", config="--dpi 204").split())
    return sum(word in read for word in INVOICE_NL.split())


def test_a_standard_resolution_fax_gets_its_lines_back_and_is_read() -> None:
    page = _fax_page(10, 98)
    assert squashed(page)
    prepared, steps, _ = prepare_array(page, bilevel=True)
    assert "lines doubled" in steps and prepared.shape[0] >= 2 * page.shape[0]
    total = len(INVOICE_NL.split())
    assert _words_read(page) < 0.8 * total  # its letters half as tall as they are
    assert _words_read(prepared) >= 0.9 * total


def test_a_grey_fax_tagged_at_standard_resolution_gets_its_lines_back(tmp_path: Path) -> None:
    # A fax server's grey copy: no longer bilevel, so only its resolution tag tells.
    page = _fax_page(10, 98)
    source = tmp_path / "fax.png"
    Image.fromarray(page).save(source, dpi=(204, 98))
    prepared = prepare_page(source, tmp_path / "prepared", 204)
    assert "lines doubled" in prepared.steps and prepared.dpi == 204
    with Image.open(prepared.path) as image:
        restored = np.asarray(image)
    assert restored.shape[0] >= 2 * page.shape[0]
    assert _words_read(restored) >= 0.9 * len(INVOICE_NL.split())


def test_a_resolution_tag_stretches_only_clearly_uneven_lines() -> None:
    assert line_stretch((204, 98)) == 2.0 and line_stretch((300, 200)) == 1.5
    assert line_stretch((204, 196)) == 1.0 and line_stretch((300, 300)) == 1.0 and line_stretch(None) == 1.0
    assert line_stretch((200, 300)) == 1.0  # more lines than dots: nothing to restore


def test_a_fine_resolution_fax_keeps_its_lines() -> None:
    page = _fax_page(10, 196)
    assert not squashed(page)
    _, steps, _ = prepare_array(page, bilevel=True)
    assert "lines doubled" not in steps


def test_a_bold_bilevel_page_is_not_taken_for_a_squashed_one() -> None:
    page = Image.new("L", (1700, 2300), 255)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(INVOICE_NL.splitlines() * 3):
        draw.text((150, 150 + number * 45), line, fill=0, font=font(30), stroke_width=2, stroke_fill=0)
    bilevel = np.asarray(page.point(lambda v: 255 if v > 128 else 0))
    assert not squashed(bilevel)


def test_a_sharp_shadow_is_flattened_without_a_line_along_its_edge(clean: np.ndarray) -> None:
    # A phone's shadow over the left part of the page, its edge running through the text.
    shade = np.ones(clean.shape, dtype=np.float32)
    edge = clean.shape[1] // 5
    shade[:, :edge] = 0.6
    shaded = (clean.astype(np.float32) * shade).astype(np.uint8)
    page, steps, _ = prepare_array(shaded)
    assert "illumination" in steps
    blank = page[-400:-100]  # the bottom of the page holds no print
    along_the_edge = blank[:, edge - 60 : edge + 60]
    assert np.percentile(along_the_edge, 5) > 230  # no grey band where the shadow ends
    assert np.median(blank[:, :edge]) > 230 and np.median(blank[:, edge:]) > 230


def test_a_mild_fall_of_light_on_a_sparse_page_is_flattened(clean: np.ndarray) -> None:
    # A corner a sixth darker than the middle: enough for one global threshold to fail there.
    rows, columns = np.mgrid[0 : clean.shape[0], 0 : clean.shape[1]]
    distance = np.hypot(rows / clean.shape[0], columns / clean.shape[1])
    light = 1.0 - 0.17 * distance / distance.max()
    page, steps, _ = prepare_array((clean.astype(np.float32) * light).astype(np.uint8))
    assert "illumination" in steps
    assert np.percentile(page[-50:, -50:], 50) > 240


def _faded_with_a_dark_number(clean: np.ndarray) -> np.ndarray:
    """A faded till receipt's body (light grey, grainy print) under a freshly printed dark number."""
    grain = np.random.default_rng(1).normal(0, 10, clean.shape)
    faded = np.clip(255 - (255 - clean.astype(np.float32)) * 0.3 + grain, 0, 255).astype(np.uint8)
    page = Image.fromarray(faded).filter(ImageFilter.GaussianBlur(0.7))
    # Below the text, where the page's print is judged: its darkest marks are black.
    ImageDraw.Draw(page).text((120, 1100), "31705509", fill=0, font=font(100), stroke_width=4, stroke_fill=0)
    return np.asarray(page)


def test_faint_print_under_one_dark_number_is_darkened_and_read(clean: np.ndarray) -> None:
    # Judged by its darkest marks the page is black print; letter by letter it is faint.
    page = _faded_with_a_dark_number(clean)
    assert _words_read(page) < 5  # Tesseract's one threshold loses the faint body to the dark number
    prepared, steps, _ = prepare_array(page)
    assert "illumination" in steps
    assert _words_read(prepared) >= 0.9 * len(INVOICE_NL.split())


def test_dark_print_with_a_pale_stamp_is_left_as_it_is(clean: np.ndarray) -> None:
    # The reverse: most letters are black; a few light grey marks do not make the page faint.
    page = Image.fromarray(clean.copy())
    ImageDraw.Draw(page).text((900, 40), "BETAALD", fill=190, font=font(50))
    _, steps, _ = prepare_array(np.asarray(page))
    assert "illumination" not in steps
