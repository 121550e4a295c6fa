"""Small helpers every repository module shares for reading what SQLite hands back."""

from __future__ import annotations

import sqlite3


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """Return the rowid an INSERT just made; raise RuntimeError when the statement inserted none."""
    rowid = cursor.lastrowid
    if rowid is None:  # sqlite3 sets it after every INSERT; None means the statement was something else
        raise RuntimeError("The statement inserted no row.")
    return rowid
