"""SQL for the review queue: filed documents a clerk still has to look at."""

from __future__ import annotations

import sqlite3


def waiting(conn: sqlite3.Connection, limit: int, offset: int = 0) -> list[sqlite3.Row]:
    """Return filed documents that need review, oldest first."""
    return conn.execute(
        "SELECT * FROM documents WHERE needs_review = 1 AND state = 'filed' ORDER BY created_at, id LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()


def count_waiting(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM documents WHERE needs_review = 1 AND state = 'filed'").fetchone()[0])
