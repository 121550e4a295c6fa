"""The tesseract wrapper, its output parsers and the shared runner."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ingest.errors import OcrFailed
from ingest.ocr import OcrRunner, Orientation, detect_orientation, parse_osd, parse_tsv, recognise
from ingest.settings import OcrSettings
from tests.ingest.conftest import rotated_scan

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t96.5\tFactuur\n"
    "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t90.5\tF2024-0012\n"
    "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t80\tTotaal\n"
    '5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t95\t€"109,00\n'
    "5\t1\t2\t1\t1\t2\t0\t0\t10\t10\t-1\t \n"
)

OSD = """Page number: 0
Orientation in degrees: 270
Rotate: 90
Orientation confidence: 15.00
Script: Latin
Script confidence: 4.56
"""


def test_tsv_gives_words_with_boxes_and_mean_confidence() -> None:
    _text, confidence, words = parse_tsv(TSV)
    assert [word.text for word in words] == ["Factuur", "F2024-0012", "Totaal", '€"109,00']
    assert (words[0].left, words[0].top, words[0].width, words[0].height, words[0].confidence) == (0, 0, 10, 10, 96.5)
    assert confidence == pytest.approx((96.5 + 90.5 + 80 + 95) / 4)


def test_tsv_without_words_has_no_confidence() -> None:
    assert parse_tsv(TSV.splitlines()[0]) == ("", None, ())


def test_osd_output_is_parsed() -> None:
    assert parse_osd(OSD) == Orientation(90, 15.0)
    assert parse_osd("Too few characters. Skipping this page") is None


def test_timeout_is_ocr_failed(png_scan: Path, tmp_path: Path) -> None:
    with pytest.raises(OcrFailed, match="longer than"):
        recognise(png_scan, tmp_path / "out", OcrSettings(timeout_seconds=0.01), dpi=200)  # type: ignore[arg-type]


def test_unreadable_input_is_ocr_failed(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.png"
    bogus.write_bytes(b"not an image")
    with pytest.raises(OcrFailed, match="could not read"):
        recognise(bogus, tmp_path / "out", OcrSettings(timeout_seconds=30), dpi=None)


def test_a_missing_tesseract_is_ocr_failed(png_scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pytesseract.pytesseract.tesseract_cmd", str(tmp_path / "no-such-tesseract"))
    with pytest.raises(OcrFailed, match="could not be started"):
        recognise(png_scan, tmp_path / "out", OcrSettings(), dpi=200)


def test_tesseract_runs_single_threaded(png_scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    recognise(png_scan, tmp_path / "out", OcrSettings(), dpi=200)
    import os

    assert os.environ["OMP_THREAD_LIMIT"] == "1"


def test_orientation_of_a_sideways_page_is_detected(tmp_path: Path) -> None:
    orientation = detect_orientation(rotated_scan(tmp_path, 90), OcrSettings(), 200)
    assert orientation is not None and orientation.rotate in (90, 270)


def test_one_run_gives_text_confidence_and_text_only_pdf(png_scan: Path, tmp_path: Path) -> None:
    reading = recognise(png_scan, tmp_path / "page", OcrSettings(), dpi=200)
    assert "Factuurnummer" in reading.text
    assert any(word.text.startswith("Factuurnummer") and word.width > 0 for word in reading.words)
    assert reading.confidence is not None and reading.confidence > 80
    assert reading.text_pdf is not None and reading.text_pdf.read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "page.tsv").exists()


def test_a_block_reading_gives_words_and_writes_no_pdf(png_scan: Path, tmp_path: Path) -> None:
    reading = recognise(png_scan, tmp_path / "block", OcrSettings(), dpi=200, block=True, text_pdf=False)
    assert "Factuurnummer" in reading.text
    assert reading.words and reading.text_pdf is None
    assert list(tmp_path.glob("block*")) == []


def test_upside_down_page_is_turned_and_read(tmp_path: Path, ocr_runner: OcrRunner) -> None:
    page = ocr_runner.read_page(rotated_scan(tmp_path, 180), tmp_path / "page", 200)
    assert page.rotated == 180
    assert "Factuurnummer" in page.text


def test_workers_default_to_the_cores() -> None:
    runner = OcrRunner(OcrSettings(workers=0))
    try:
        assert runner.workers >= 1
    finally:
        runner.close()


def test_runner_never_runs_more_processes_than_workers(png_scan: Path, tmp_path: Path) -> None:
    runner = OcrRunner(OcrSettings(workers=1, detect_orientation=False))
    running = 0
    most = 0
    lock = threading.Lock()
    original = runner._processes

    class CountingSemaphore:
        def __enter__(self) -> None:
            nonlocal running, most
            original.acquire()
            with lock:
                running += 1
                most = max(most, running)

        def __exit__(self, *exc: object) -> None:
            nonlocal running
            with lock:
                running -= 1
            original.release()

    runner._processes = CountingSemaphore()  # type: ignore[assignment]
    try:
        futures = [runner.submit(runner.read_page, png_scan, tmp_path / f"p{i}", 200) for i in range(3)]
        texts = [future.result().text for future in futures]
    finally:
        runner.close()
    assert most == 1
    assert all("Factuurnummer" in text for text in texts)


def test_runner_is_shared_by_concurrent_callers(
    png_scan: Path, jpeg_scan: Path, tmp_path: Path, ocr_runner: OcrRunner
) -> None:
    jobs = [(png_scan, "Factuurnummer"), (jpeg_scan, "parkeervergunning")]
    with ThreadPoolExecutor(2) as callers:
        pages = list(callers.map(lambda job: ocr_runner.read_page(job[0], tmp_path / job[0].name, 200), jobs))
    for page, (_, word) in zip(pages, jobs):
        assert word in page.text
