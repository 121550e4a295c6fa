"""Inbox events in a real SQLite file: open takes and counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import inbox_repo
from storage.database import Database


@pytest.fixture
def db(tmp_path: Path):
    database = Database.open(tmp_path / "a.sqlite3")
    yield database
    database.close()


def test_a_take_is_open_until_it_ends(db: Database) -> None:
    with db.atomic() as conn:
        inbox_repo.record_arrival(conn, "a.pdf", "2026-01-01T10:00:00Z")
        first = inbox_repo.record_take(conn, "a.pdf", "aa", "2026-01-01T10:00:02Z", 2.0)
        second = inbox_repo.record_take(conn, "b.pdf", "bb", "2026-01-01T10:00:03Z", 2.5)
    assert [row["id"] for row in inbox_repo.open_takes(db.read())] == [first, second]
    with db.atomic() as conn:
        inbox_repo.record_end(conn, first, "a.pdf", "filed", "2026-01-01T10:00:04Z", 1.5, document_id=7)
    assert inbox_repo.document_left_inbox(db.read(), 7)
    assert not inbox_repo.document_left_inbox(db.read(), 8)
    open_rows = inbox_repo.open_takes(db.read())
    assert [(row["id"], row["sha256"]) for row in open_rows] == [(second, "bb")]


def test_counts_and_mean_duration_since_a_moment(db: Database) -> None:
    with db.atomic() as conn:
        inbox_repo.record_end(conn, None, "old.pdf", "failed", "2025-12-31T23:59:59Z", reason="x")
        inbox_repo.record_end(conn, None, "a.pdf", "filed", "2026-01-01T08:00:00Z", 1.0, document_id=1)
        inbox_repo.record_end(conn, None, "b.pdf", "filed", "2026-01-01T09:00:00Z", 3.0, document_id=2)
        inbox_repo.record_end(conn, None, "c.pdf", "duplicate", "2026-01-01T09:00:00Z", 0.5, document_id=2)
    counts = inbox_repo.count_events_since(db.read(), "2026-01-01T00:00:00Z")
    assert counts == {"filed": 2, "duplicate": 1}
    assert inbox_repo.mean_seconds_since(db.read(), "filed", "2026-01-01T00:00:00Z") == 2.0
    assert [row["path"] for row in inbox_repo.recent_ends(db.read(), 2)] == ["c.pdf", "b.pdf"]


def test_only_terminal_events_end_a_take(db: Database) -> None:
    with db.atomic() as conn, pytest.raises(ValueError):
        inbox_repo.record_end(conn, None, "a.pdf", "taken", "2026-01-01T00:00:00Z")
