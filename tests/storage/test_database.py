"""The SQLite database: migrations, transactions, the append-only audit table."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from storage.database import Database
from storage.migrations import discover


def test_migrations_are_applied_once_in_order(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.sqlite3")
    names = [row[0] for row in db.read().execute("SELECT name FROM schema_migrations ORDER BY number")]
    assert names == [name for _, name, _ in discover()]
    db.close()
    again = Database(tmp_path / "a.sqlite3")
    assert [r[0] for r in again.read().execute("SELECT name FROM schema_migrations ORDER BY number")] == names
    again.close()


def test_wal_mode(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.sqlite3")
    assert db.read().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_atomic_rolls_back_on_error() -> None:
    db = Database(":memory:")
    with pytest.raises(RuntimeError):
        with db.atomic() as conn:
            conn.execute("INSERT INTO documents (sha256, size, original_filename, state, created_by,"
                         " created_at, updated_at) VALUES ('ab', 1, 'x', 'received', 'system', 'now', 'now')")
            raise RuntimeError("boom")
    assert db.read().execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_audit_rows_cannot_be_changed_or_deleted() -> None:
    db = Database(":memory:")
    with db.atomic() as conn:
        conn.execute("INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash)"
                     " VALUES (1, 'now', 'system', 'init', '{}', 'a', 'b')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with db.atomic() as conn:
            conn.execute("UPDATE audit_log SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with db.atomic() as conn:
            conn.execute("DELETE FROM audit_log")


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.sqlite3")
    seen = []
    thread = threading.Thread(target=lambda: seen.append(db.read()))
    thread.start()
    thread.join()
    assert seen[0] is not db.read()
    db.close()
