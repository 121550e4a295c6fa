"""Inbox figures: waiting, in progress, filed today, failed."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from archive.inbox.status import describe_status, inbox_status
from storage import inbox_repo
from storage.database import Database

NOW = datetime(2026, 3, 12, 15, 0, tzinfo=timezone.utc)


def test_status_counts_waiting_in_progress_today_and_failed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "failed").mkdir(parents=True)
    (inbox / "a.pdf").write_bytes(b"a")
    (inbox / "b.pdf").write_bytes(b"b")
    (inbox / "c.pdf.part").write_bytes(b"c")
    (inbox / "failed" / "x.pdf").write_bytes(b"x")
    (inbox / "failed" / "x.pdf.error.txt").write_text("note")
    db = Database.open(tmp_path / "db.sqlite3")
    with db.atomic() as conn:
        inbox_repo.record_take(conn, "b.pdf", "bb", "2026-03-12T14:59:00.000000Z", 2.0)
        inbox_repo.record_end(conn, None, "old.pdf", "filed", "2026-03-11T23:00:00.000000Z", 1.0, 1)
        inbox_repo.record_end(conn, None, "d.pdf", "filed", "2026-03-12T08:00:00.000000Z", 1.0, 2)
        inbox_repo.record_end(conn, None, "x.pdf", "failed", "2026-03-12T09:00:00.000000Z", reason="bad")
    status = inbox_status(inbox, db, NOW)
    db.close()
    assert status["waiting"] == 1 and status["in_progress"] == 1
    assert status["filed_today"] == 1 and status["failed_today"] == 1 and status["failed_waiting"] == 1
    assert status["oldest_waiting_seconds"] is not None
    assert "Waiting          1" in describe_status(status)
