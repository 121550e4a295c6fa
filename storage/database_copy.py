"""A consistent copy of the live database, made with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.errors import StorageError

_BUSY_TIMEOUT_S = 30


def copy_database(source: Path, target: Path) -> None:
    """Write a consistent copy of the live database ``source`` into the new file ``target``.

    The backup API copies every page in one step, inside one read transaction: the copy
    is the database as it stood at one moment — every transaction committed before
    that moment is in it, none in part. In WAL mode writers are not blocked by a
    reader, so filing and the web app go on meanwhile. The copy is a self-contained
    rollback-journal file (no -wal beside it), checked with ``quick_check``.

    Raises StorageError when the source cannot be read or the copy is damaged.
    """
    if target.exists():
        raise StorageError("database_copy.exists", "The database copy {target} already exists.", target=target)
    try:
        source_conn = sqlite3.connect(source, timeout=_BUSY_TIMEOUT_S)
        target_conn = sqlite3.connect(target)
        try:
            source_conn.backup(target_conn)
            target_conn.execute("PRAGMA journal_mode = DELETE")
            problems = [row[0] for row in target_conn.execute("PRAGMA quick_check")]
        finally:
            target_conn.close()
            source_conn.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise StorageError("database_copy.failed", "The database could not be copied: {exc}.", exc=exc) from exc
    if problems != ["ok"]:
        raise StorageError(
            "database_copy.damaged",
            "The database copy is damaged ({problem}); run `archive verify` on the home.",
            problem=problems[0],
        )


def open_copy(path: Path) -> sqlite3.Connection:
    """Open a database copy read-only (rows by name); the caller closes it."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn
