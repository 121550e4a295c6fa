"""The watcher on a real folder with a recording listener: each file handed on once, whole."""

from __future__ import annotations

import threading
import time
from pathlib import Path, PurePosixPath
from typing import Iterator

import pytest

from ingest.errors import Phrase
from ingest.settings import IngestSettings
from ingest.watcher import InboxWatcher

FAST = IngestSettings(settle_seconds=0.3, rescan_seconds=0.5, incomplete_pdf_seconds=1.5, empty_file_seconds=1.0)


class Recorder:
    """A listener that keeps what the watcher said; it takes every settled file and removes it."""

    def __init__(self) -> None:
        self.arrivals: list[str] = []
        self.taken: list[tuple[str, bytes]] = []
        self.rejections: list[tuple[str, str]] = []
        self.vanishings: list[str] = []
        self.watcher: InboxWatcher | None = None
        self.remove = True
        self.lock = threading.Lock()

    def arrived(self, path: Path, relative: PurePosixPath) -> None:
        with self.lock:
            self.arrivals.append(str(relative))

    def settled(self, path: Path, relative: PurePosixPath) -> bool:
        with self.lock:
            self.taken.append((str(relative), path.read_bytes()))
        if self.remove:
            path.unlink()
        assert self.watcher is not None
        self.watcher.release(path)
        return True

    def rejected(self, path: Path, relative: PurePosixPath, reason: Phrase) -> None:
        with self.lock:
            self.rejections.append((str(relative), str(reason)))
        path.unlink()

    def vanished(self, path: Path, relative: PurePosixPath) -> None:
        self.vanishings.append(str(relative))


def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


@pytest.fixture(params=[False, True], ids=["native", "polling"])
def watched(request, tmp_path: Path) -> Iterator[tuple[Path, Recorder, InboxWatcher]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "before.jpg").write_bytes(b"\xff\xd8 present before start")
    recorder = Recorder()
    settings = IngestSettings(**{**FAST.__dict__, "polling": request.param})
    watcher = InboxWatcher(inbox, settings, recorder)
    recorder.watcher = watcher
    watcher.start()
    yield inbox, recorder, watcher
    watcher.stop()


def test_slow_write_is_taken_once_and_whole(watched) -> None:
    inbox, recorder, _watcher = watched
    path = inbox / "slow.jpg"
    with open(path, "wb") as handle:
        for _chunk in range(6):
            handle.write(b"x" * 1000)
            handle.flush()
            time.sleep(0.15)  # shorter than the settle time: still one growing file
    _wait_for(lambda: any(name == "slow.jpg" for name, _ in recorder.taken))
    time.sleep(0.8)
    assert [data for name, data in recorder.taken if name == "slow.jpg"] == [b"x" * 6000]


def test_present_before_start_rename_into_place_and_folders(watched, tmp_path: Path) -> None:
    inbox, recorder, _watcher = watched
    (inbox / "scan.pdf.part").write_bytes(b"%PDF-1.4 body %%EOF")
    time.sleep(0.5)
    (inbox / "scan.pdf.part").rename(inbox / "scan.pdf")
    outside = tmp_path / "prepared"
    (outside / "facturen").mkdir(parents=True)
    (outside / "facturen" / "f.jpg").write_bytes(b"\xff\xd8 f")
    outside.rename(inbox / "K-1")  # a whole folder moved in: no per-file events
    _wait_for(lambda: len(recorder.taken) == 3)
    names = sorted(name for name, _ in recorder.taken)
    assert names == ["K-1/facturen/f.jpg", "before.jpg", "scan.pdf"]
    assert "scan.pdf.part" not in recorder.arrivals


def test_never_handed_twice_while_in_flight(watched) -> None:
    inbox, recorder, watcher = watched
    recorder.remove = False
    (inbox / "keep.jpg").write_bytes(b"\xff\xd8 k")
    _wait_for(lambda: any(name == "keep.jpg" for name, _ in recorder.taken))
    # Released but left in place (as after a failed removal): rescans may see it again,
    # but while it is in flight it is never handed on.
    watcher.release(inbox / "keep.jpg")
    count = sum(1 for name, _ in recorder.taken if name == "keep.jpg")
    assert count == 1


def test_incomplete_pdf_and_empty_file_are_rejected_and_deleted_ones_vanish(watched) -> None:
    inbox, recorder, _watcher = watched
    (inbox / "cut.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 3000)
    (inbox / "empty.jpg").write_bytes(b"")
    (inbox / "gone.jpg").write_bytes(b"\xff\xd8")
    time.sleep(0.1)
    (inbox / "gone.jpg").unlink()
    _wait_for(lambda: len(recorder.rejections) == 2)
    reasons = dict(recorder.rejections)
    assert "(%EOF)" in reasons["cut.pdf"]
    assert "empty" in reasons["empty.jpg"]
    assert "gone.jpg" not in [name for name, _ in recorder.taken]


def test_native_events_unavailable_falls_back_to_polling(tmp_path: Path) -> None:
    def exhausted():
        raise OSError(28, "inotify watch limit reached")

    recorder = Recorder()
    watcher = InboxWatcher(tmp_path / "inbox", FAST, recorder, native_observer=exhausted)
    recorder.watcher = watcher
    watcher.start()
    try:
        assert watcher.observer_kind == "polling"
        (tmp_path / "inbox" / "a.jpg").write_bytes(b"\xff\xd8")
        _wait_for(lambda: len(recorder.taken) == 1)
    finally:
        watcher.stop()
