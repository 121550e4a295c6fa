"""Crafted files through a real `archive watch`: each ends filed or set aside, the watcher keeps running."""

from __future__ import annotations

from pathlib import Path

from tests import hostile_files as hostile
from tests.documents import INVOICE_NL, text_pdf
from tests.inbox.conftest import wait_for


def _settled(watcher, names: list[str]) -> bool:
    """Every file has its outcome: filed, or set aside with its note (a taken file leaves the inbox at once)."""
    filed = watcher.documents()
    return all(name in filed or watcher.note_for(name) for name in names)


def test_crafted_files_are_read_within_bounds_or_set_aside_and_the_watcher_starts_again(
    tmp_path: Path, watch_process
) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    crafted = [
        hostile.thin_page_pdf(staging),  # a text layer on a 1 x 14,400 pt page: its thumbnail is bounded
        hostile.inflating_stream_pdf(staging, inflated_mb=100),  # beyond the 50 MB drawing cap
        hostile.pixel_bomb_pdf(staging, side=12_000),  # 144 megapixels declared: beyond the pixel cap
        hostile.png_bomb(staging, side=12_000),
    ]
    watcher = watch_process().start()
    for path in crafted:
        path.rename(watcher.inbox / path.name)
    names = [path.name for path in crafted]
    wait_for(lambda: _settled(watcher, names), 180, "every crafted file to be filed or set aside")
    assert watcher.alive()
    filed = watcher.documents()
    for name in names:
        note = watcher.note_for(name)
        assert name in filed or note, f"{name} vanished"
        if note:  # set aside with its bytes and a sentence, never as an internal error
            assert (watcher.failed / name).stat().st_size > 0
            assert "internal error" not in note and "Something went wrong" not in note, note
    assert "thin-page.pdf" in filed  # its text layer is all it takes
    assert watcher.note_for("pixel-bomb.png")
    # Nothing is left half-read to be retried first at the next start: it stops and starts cleanly.
    assert watcher.stop() == 0
    assert watcher.query("SELECT COUNT(*) FROM documents WHERE state = 'received' AND reading_by IS NOT NULL") == [(0,)]
    watcher.start()
    text_pdf(staging / "after.pdf", [INVOICE_NL])
    (staging / "after.pdf").rename(watcher.inbox / "after.pdf")
    wait_for(lambda: "after.pdf" in watcher.documents(), 90, "a good file after the crafted ones")
    assert watcher.alive()
    assert watcher.stop() == 0
