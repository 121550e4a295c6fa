"""Page images prepared for Tesseract only where they need it."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ingest.prepare import prepare_array, prepare_page, skew_angle, text_height
from tests.documents import INVOICE_NL, scan_image
from tests.facts.formats import phone_photo


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
