"""Crash safety and stopping with a real watcher process: SIGKILL mid-burst, SIGTERM, polling."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from archive.clock import SystemClock
from archive.inbox.status import inbox_status
from tests.documents import text_pdf
from tests.inbox.conftest import WatchProcess, wait_for


def _make_pdfs(folder: Path, count: int, prefix: str) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(count):
        name = f"{prefix}-{number:03d}.pdf"
        text_pdf(folder / name, [f"Brief nummer {number} van {prefix}\nBetreft: dossier {number * 7919}"])
        names.append(name)
    return names


def _drop_all(staging: Path, inbox: Path) -> None:
    for path in sorted(staging.iterdir()):
        path.rename(inbox / path.name)  # a rename each: the whole burst lands within milliseconds


def _filed_count(watcher: WatchProcess) -> int:
    return watcher.query("SELECT COUNT(*) FROM documents WHERE state = 'filed'")[0][0]


def _assert_exactly_once(watcher: WatchProcess, names: list[str]) -> None:
    rows = watcher.query("SELECT original_filename, COUNT(*) FROM documents GROUP BY original_filename")
    assert dict(rows) == dict.fromkeys(names, 1)
    assert watcher.query("SELECT COUNT(*) FROM documents WHERE state != 'filed'") == [(0,)]
    assert watcher.query("SELECT COUNT(*) FROM duplicates") == [(0,)]
    assert watcher.ends("duplicate") == [] and watcher.ends("failed") == []
    assert list(watcher.failed.iterdir()) == []
    with watcher.open_archive() as archive:
        status = inbox_status(archive.config.inbox_path, archive.db, SystemClock().now())
        assert status["waiting"] == 0 and status["in_progress"] == 0
        assert archive.verify_all()["ok"]


def test_sigkill_during_a_burst_then_restart_files_every_file_exactly_once(tmp_path: Path, watch_process) -> None:
    watcher = watch_process().start()
    names = _make_pdfs(tmp_path / "staging", 200, "burst")
    _drop_all(tmp_path / "staging", watcher.inbox)
    wait_for(lambda: _filed_count(watcher) >= 40, 120, "part of the burst to be filed")
    assert watcher.stop(signal.SIGKILL) == -signal.SIGKILL
    killed_at = _filed_count(watcher)
    assert killed_at < 200, "the burst was over before the kill; nothing was interrupted"
    watcher.start()
    wait_for(
        lambda: not list(watcher.inbox.glob("*.pdf")) and _filed_count(watcher) >= 200,
        180,
        "the rest of the burst after the restart",
    )
    time.sleep(1.5)  # a rescan later: nothing is filed a second time
    watcher.stop()
    _assert_exactly_once(watcher, names)


def test_polling_files_present_before_start_and_sigterm_stops_within_seconds(tmp_path: Path, watch_process) -> None:
    watcher = watch_process(extra_settings="polling = true")
    early = _make_pdfs(watcher.inbox, 5, "early")  # there before the watcher starts
    watcher.start()
    assert b"polling events" in watcher.stderr_path.read_bytes()
    wait_for(lambda: _filed_count(watcher) == 5, 60, "the files present at start-up")
    late = _make_pdfs(tmp_path / "staging", 30, "late")
    _drop_all(tmp_path / "staging", watcher.inbox)
    wait_for(lambda: _filed_count(watcher) >= 7, 60, "filing to be under way")
    started = time.monotonic()
    assert watcher.stop(signal.SIGTERM) == 0
    assert time.monotonic() - started < 30  # seconds, not the minutes of a hung stop; generous for a loaded CI machine
    assert b"Stopped." in watcher.stderr_path.read_bytes()
    open_takes = watcher.query(
        "SELECT COUNT(*) FROM inbox_events t WHERE event = 'taken'"
        " AND NOT EXISTS (SELECT 1 FROM inbox_events e WHERE e.take_id = t.id)"
    )
    assert open_takes == [(0,)]  # everything in progress was finished or handed back
    watcher.start()
    wait_for(lambda: not list(watcher.inbox.glob("*.pdf")) and _filed_count(watcher) >= 35, 120, "the rest")
    watcher.stop(signal.SIGINT)
    _assert_exactly_once(watcher, early + late)
