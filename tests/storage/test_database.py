"""The database on both engines: migrations, transactions, the append-only audit table."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from storage.database import Database
from storage.engines import open_database
from storage.migrations import discover


def test_migrations_are_applied_once_in_order(target: str) -> None:
    db = open_database(target)
    names = [row[0] for row in db.read().execute("SELECT name FROM schema_migrations ORDER BY number")]
    assert names == [name for _, name, _ in discover()]
    db.close()
    again = open_database(target)
    assert [r[0] for r in again.read().execute("SELECT name FROM schema_migrations ORDER BY number")] == names
    again.close()


def test_wal_mode(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "a.sqlite3")
    assert db.read().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_atomic_rolls_back_on_error(database: Database) -> None:
    db = database
    with pytest.raises(RuntimeError):
        with db.atomic() as conn:
            conn.execute(
                "INSERT INTO documents (sha256, size, original_filename, state, created_by,"
                " created_at, updated_at) VALUES ('ab', 1, 'x', 'received', 'system', 'now', 'now')"
            )
            raise RuntimeError("boom")
    assert db.read().execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_audit_rows_cannot_be_changed_or_deleted(database: Database) -> None:
    db = database
    with db.atomic() as conn:
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash)"
            " VALUES (1, 'now', 'system', 'init', '{}', 'a', 'b')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with db.atomic() as conn:
            conn.execute("UPDATE audit_log SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with db.atomic() as conn:
            conn.execute("DELETE FROM audit_log")


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "a.sqlite3")
    seen = []
    thread = threading.Thread(target=lambda: seen.append(db.read()))
    thread.start()
    thread.join()
    assert seen[0] is not db.read()
    db.close()


_INSERT = (
    "INSERT INTO documents (sha256, size, original_filename, state, created_by, created_at, updated_at)"
    " VALUES (?, 1, 'x', 'received', 'system', 'now', 'now')"
)


def _hashes(db: Database) -> list[str]:
    return [row[0] for row in db.read().execute("SELECT sha256 FROM documents ORDER BY id")]


def test_a_nested_block_that_fails_undoes_only_its_own_work(database: Database) -> None:
    db = database
    with db.atomic() as conn:
        conn.execute(_INSERT, ("outer",))
        with pytest.raises(RuntimeError):
            with db.atomic() as inner:
                inner.execute(_INSERT, ("inner",))
                raise RuntimeError("boom")
        with db.atomic() as inner:
            inner.execute(_INSERT, ("second",))
    assert _hashes(db) == ["outer", "second"]


def test_an_outer_failure_undoes_the_nested_blocks_too(database: Database) -> None:
    db = database
    with pytest.raises(RuntimeError):
        with db.atomic():
            with db.atomic() as inner:
                inner.execute(_INSERT, ("inner",))
            raise RuntimeError("boom")
    assert _hashes(db) == []


def test_a_commit_that_fails_is_rolled_back_and_the_database_stays_usable(database: Database) -> None:
    db = database
    with db.atomic() as conn:
        conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)")
    # A deferred foreign key is only checked at COMMIT, which then fails.
    with pytest.raises(sqlite3.IntegrityError):
        with db.atomic() as conn:
            conn.execute(_INSERT, ("lost",))
            conn.execute("INSERT INTO child (parent) VALUES (42)")
    assert not db.read().in_transaction
    with db.atomic() as conn:
        conn.execute(_INSERT, ("kept",))
    assert _hashes(db) == ["kept"]


def test_naming_a_database_opens_nothing(tmp_path: Path) -> None:
    Database(tmp_path / "a.sqlite3")
    assert not (tmp_path / "a.sqlite3").exists()


def test_a_dropped_guard_trigger_is_a_schema_difference(database: Database) -> None:
    from storage.dialect import dialect_of
    from storage.schema_check import schema_differences

    conn = database.read()
    assert schema_differences(conn) == []
    on_server = dialect_of(conn).name == "postgresql"
    with database.atomic() as conn:
        conn.execute("DROP TRIGGER audit_log_no_update" + (" ON audit_log" if on_server else ""))
    assert [(d.kind, d.type, d.name) for d in schema_differences(database.read())] == [
        ("missing", "trigger", "audit_log_no_update")
    ]


_CLOSE_WHILE_READING = """
import random, sys, threading, time
from storage.database import Database

path = sys.argv[1]
Database.open(path).close()
for _ in range(150):
    db = Database.open(path)
    stop = threading.Event()

    def read_on() -> None:
        while not stop.is_set():
            db.read().execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) SELECT x FROM c"
            ).fetchall()

    reader = threading.Thread(target=read_on)
    reader.start()
    time.sleep(random.random() * 0.005)
    db.close()
    stop.set()
    reader.join()
"""


def test_closing_while_another_thread_reads_never_crashes(tmp_path: Path) -> None:
    """A web job still verifying when the server stops: closing must not pull its connection away.

    Run in a child process: the crash this guards against takes the interpreter down.
    """
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    child = subprocess.run(
        [sys.executable, "-c", _CLOSE_WHILE_READING, str(tmp_path / "a.sqlite3")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
