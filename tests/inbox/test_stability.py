"""Settle tracking: a file is ready only when still, openable and (for a PDF) complete."""

from __future__ import annotations

import os
from pathlib import Path

from ingest.settings import IngestSettings
from ingest.stability import ContentCheck, Decision, StabilityTracker, check_content

SETTINGS = IngestSettings(settle_seconds=2.0, incomplete_pdf_seconds=30.0, empty_file_seconds=20.0)


def _write(path: Path, data: bytes, mtime_ns: int = 1_000_000_000_000) -> None:
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_ready_only_after_size_and_mtime_are_still_for_the_settle_time(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    _write(path, b"\xff\xd8 part one")
    tracker = StabilityTracker(SETTINGS)
    assert tracker.poll(path, 0.0).decision is Decision.WAIT
    assert tracker.poll(path, 1.9).decision is Decision.WAIT
    _write(path, b"\xff\xd8 part one and two")  # grew: the clock starts again
    assert tracker.poll(path, 2.5).decision is Decision.WAIT
    assert tracker.poll(path, 4.0).decision is Decision.WAIT
    assert tracker.poll(path, 4.5).decision is Decision.READY
    assert len(tracker) == 0


def test_a_rewrite_with_the_same_size_but_new_mtime_restarts_the_clock(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    _write(path, b"12345678", mtime_ns=10**18)
    tracker = StabilityTracker(SETTINGS)
    tracker.poll(path, 0.0)
    _write(path, b"87654321", mtime_ns=10**18 + 5)
    assert tracker.poll(path, 2.1).decision is Decision.WAIT
    assert tracker.poll(path, 4.2).decision is Decision.READY


def test_pdf_without_trailer_waits_then_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _write(path, b"%PDF-1.7\n" + b"x" * 5000)
    tracker = StabilityTracker(SETTINGS)
    tracker.poll(path, 0.0)
    verdict = tracker.poll(path, 10.0)
    assert verdict.decision is Decision.WAIT
    verdict = tracker.poll(path, 31.0)
    assert verdict.decision is Decision.REJECT
    assert "%EOF" in str(verdict.refusal)


def test_pdf_ready_once_its_trailer_arrives(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _write(path, b"%PDF-1.7\n" + b"x" * 5000)
    tracker = StabilityTracker(SETTINGS)
    tracker.poll(path, 0.0)
    assert tracker.poll(path, 3.0).decision is Decision.WAIT
    _write(path, b"%PDF-1.7\n" + b"x" * 5000 + b"\nstartxref\n9\n%%EOF\n", mtime_ns=2 * 10**12)
    tracker.poll(path, 4.0)
    assert tracker.poll(path, 6.0).decision is Decision.READY


def test_empty_placeholder_waits_for_its_bytes_then_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    _write(path, b"")
    tracker = StabilityTracker(SETTINGS)
    tracker.poll(path, 0.0)
    assert tracker.poll(path, 5.0).decision is Decision.WAIT
    assert tracker.poll(path, 21.0).decision is Decision.REJECT


def test_placeholder_filled_later_is_taken(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    _write(path, b"")
    tracker = StabilityTracker(SETTINGS)
    tracker.poll(path, 0.0)
    tracker.poll(path, 5.0)
    _write(path, b"\xff\xd8 image", mtime_ns=3 * 10**12)
    tracker.poll(path, 6.0)
    assert tracker.poll(path, 8.0).decision is Decision.READY


def test_unopenable_file_waits_then_is_rejected(tmp_path: Path) -> None:
    # Tests run as root, for whom permissions never stop a read: the opening is injected.
    path = tmp_path / "locked.pdf"
    _write(path, b"%PDF-1.4 ... %%EOF")
    tracker = StabilityTracker(SETTINGS, inspect=lambda p: ContentCheck(readable=False))
    tracker.poll(path, 0.0)
    assert tracker.poll(path, 3.0).decision is Decision.WAIT
    verdict = tracker.poll(path, 31.0)
    assert verdict.decision is Decision.REJECT and "opened" in str(verdict.refusal)


def test_deleted_while_settling_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    _write(path, b"%PDF-1.4 %%EOF")
    tracker = StabilityTracker(SETTINGS)
    tracker.poll(path, 0.0)
    path.unlink()
    assert tracker.poll(path, 3.0).decision is Decision.GONE
    assert len(tracker) == 0


def test_links_and_pipes_are_rejected_at_once(tmp_path: Path) -> None:
    (tmp_path / "target.pdf").write_bytes(b"%PDF-1.4 %%EOF")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "target.pdf")
    os.mkfifo(tmp_path / "pipe.pdf")
    tracker = StabilityTracker(SETTINGS)
    link = tracker.poll(tmp_path / "link.pdf", 0.0)
    pipe = tracker.poll(tmp_path / "pipe.pdf", 0.0)
    assert link.decision is Decision.REJECT and "link" in str(link.refusal)
    assert pipe.decision is Decision.REJECT and "ordinary file" in str(pipe.refusal)


def test_check_content_finds_pdf_trailer_in_the_last_kilobyte(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"x" * 10_000 + b"%%EOF\r\n")
    assert check_content(path) == ContentCheck(readable=True, is_pdf=True, pdf_complete=True)
    path.write_bytes(b"%PDF-1.4\n" + b"%%EOF" + b"x" * 10_000)  # an early trailer of an incremental save
    assert check_content(path).pdf_complete is False
    path.write_bytes(b"\x89PNG\r\n\x1a\n rest")
    assert check_content(path) == ContentCheck(readable=True, is_pdf=False, pdf_complete=False)
