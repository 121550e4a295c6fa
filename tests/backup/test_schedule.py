"""The daily backup of `archive run`: when it is due, and that a failure is tried again, not fatal."""

from __future__ import annotations

import os
import sys
import threading
from datetime import datetime, time, timezone
from pathlib import Path

import psutil
import pytest

from archive.backup.schedule import DailyBackup, is_due
from tests.backup.conftest import service_for

UTC = timezone.utc
AT = time(2, 30)


def _attempt(stamp: str, ok: bool = True) -> dict:
    return {"at": stamp, "ok": ok}


@pytest.mark.parametrize(
    "now, last, due",
    [
        ("2026-03-02T10:00:00+00:00", None, True),  # never backed up: at once
        (
            "2026-03-02T02:29:00+00:00",
            _attempt("2026-03-01T02:30:05Z"),
            False,
        ),  # yesterday's done, today's not yet time
        ("2026-03-02T02:31:00+00:00", _attempt("2026-03-01T02:30:05Z"), True),
        ("2026-03-02T09:00:00+00:00", _attempt("2026-03-02T02:30:05Z"), False),  # today's done
        ("2026-03-04T08:00:00+00:00", _attempt("2026-03-01T02:30:05Z"), True),  # the machine was off: catch up
        ("2026-03-02T03:00:00+00:00", _attempt("2026-03-02T02:30:05Z", ok=False), False),  # failed half an hour ago
        ("2026-03-02T03:31:00+00:00", _attempt("2026-03-02T02:30:05Z", ok=False), True),  # an hour later: again
    ],
)
def test_is_due(now: str, last: dict | None, due: bool) -> None:
    assert is_due(datetime.fromisoformat(now), AT, last, UTC) is due


def test_the_daily_backup_runs_once_a_day_and_retries_a_failure(home, clock, tmp_path: Path) -> None:
    dest = tmp_path / "nas"
    backups = service_for(home, clock, destination=str(dest), at=clock.now().astimezone().strftime("%H:%M"))
    daily = DailyBackup(backups, clock)
    assert daily.run_if_due() and backups.status().state == "ok"
    clock.advance(hours=2)
    assert not daily.run_if_due()  # today's is done
    (dest / "backup.json").unlink()  # the share's contents vanished
    clock.advance(days=1)
    assert daily.run_if_due()  # tried, failed, remembered — and nothing raised
    status = backups.status()
    assert status.state == "failed" and "is the disk or share connected" in status.error
    clock.advance(minutes=30)
    assert not daily.run_if_due()
    clock.advance(minutes=31)
    assert daily.run_if_due()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities are Linux's")
def test_the_daily_backup_thread_stands_back_as_configured(home, clock, tmp_path: Path) -> None:
    at = clock.now().astimezone().strftime("%H:%M")
    backups = service_for(home, clock, destination=str(tmp_path / "nas"), at=at, priority="idle")
    stop = threading.Event()
    thread = DailyBackup(backups, clock).start(stop, every_seconds=0.05)
    try:
        for _ in range(400):
            if backups.status().state == "ok":
                break
            stop.wait(0.05)
        assert backups.status().state == "ok"  # it took today's backup, then waits for tomorrow's
        assert thread.native_id is not None
        assert os.getpriority(os.PRIO_PROCESS, thread.native_id) == 19
        assert psutil.Process(thread.native_id).ionice().ioclass == psutil.IOPRIO_CLASS_IDLE
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < 19  # the rest keeps its speed
    finally:
        stop.set()
        thread.join()
