"""Inbox figures and the failed folder: listing with reasons, and retrying a file."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import pytest

from archive.errors import NotFound
from archive.inbox.service import _write_note
from archive.inbox.status import describe_status, failed_files, inbox_status, retry_failed
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


def test_failed_files_are_listed_with_their_reason_and_retried_back_where_they_came_from(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    failed = inbox / "failed"
    failed.mkdir(parents=True)
    (failed / "scan (2).pdf").write_bytes(b"%PDF")
    _write_note(failed / "scan (2).pdf", PurePosixPath("facturen/scan.pdf"), "The PDF is damaged.", NOW)
    listed = failed_files(inbox)
    assert [(f.name, f.came_from, f.reason) for f in listed] == [
        ("scan (2).pdf", "facturen/scan.pdf", "The PDF is damaged.")]
    back = retry_failed(inbox, "scan (2).pdf")
    assert back == inbox / "facturen" / "scan.pdf" and back.read_bytes() == b"%PDF"
    assert list(failed.iterdir()) == []
    with pytest.raises(NotFound):
        retry_failed(inbox, "../inbox")
