"""Small helpers every repository module shares for reading what the database hands back."""

from __future__ import annotations

import sqlite3


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """Return the id made by the ``INSERT … RETURNING id`` just run; raise RuntimeError when none was.

    Both engines answer ``RETURNING id``. An INSERT written without it still works on
    SQLite (its ``lastrowid``); PostgreSQL has no such thing and says so.
    """
    row = cursor.fetchone() if cursor.description else None
    if row is not None:
        return int(row[0])
    rowid = cursor.lastrowid
    if rowid is None:  # sqlite3 sets it after every INSERT; None means the statement was something else
        raise RuntimeError("The statement inserted no row.")
    return rowid
