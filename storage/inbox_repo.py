"""SQL for inbox events (arrivals, takings and how each ended), for status and statistics."""

from __future__ import annotations

import sqlite3

from storage.rows import inserted_id

TERMINAL_EVENTS = ("filed", "duplicate", "failed", "vanished", "handed_back")


def record_arrival(conn: sqlite3.Connection, path: str, at: str) -> None:
    """Record that a file was noticed in the inbox."""
    conn.execute("INSERT INTO inbox_events (at, path, event) VALUES (?, ?, 'arrived')", (at, path))


def record_take(conn: sqlite3.Connection, path: str, sha256: str | None, at: str, waited: float) -> int:
    """Record that a settled file was taken for filing; return the take's id."""
    cursor = conn.execute(
        "INSERT INTO inbox_events (at, path, event, sha256, seconds) VALUES (?, ?, 'taken', ?, ?) RETURNING id",
        (at, path, sha256, waited),
    )
    return inserted_id(cursor)


def record_end(
    conn: sqlite3.Connection,
    take_id: int | None,
    path: str,
    event: str,
    at: str,
    seconds: float | None = None,
    document_id: int | None = None,
    reason: str | None = None,
) -> None:
    """Record how a taking (or a file never taken, when take_id is None) ended.

    ``reason`` is a note for the record; for a failure, the archive's message as JSON
    (code, template, values), so that it can be worded in either language later.
    """
    if event not in TERMINAL_EVENTS:
        raise ValueError(f"not a terminal inbox event: {event}")
    conn.execute(
        "INSERT INTO inbox_events (at, path, event, take_id, document_id, seconds, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (at, path, event, take_id, document_id, seconds, reason),
    )


def open_takes(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Return takings that have no end yet (in progress, or interrupted by a crash), oldest first."""
    return conn.execute(
        "SELECT t.* FROM inbox_events t WHERE t.event = 'taken'"
        " AND NOT EXISTS (SELECT 1 FROM inbox_events e WHERE e.take_id = t.id) ORDER BY t.id"
    ).fetchall()


def count_events_since(conn: sqlite3.Connection, since: str) -> dict[str, int]:
    """Return how many of each event happened at or after ``since`` (ISO UTC)."""
    rows = conn.execute("SELECT event, COUNT(*) FROM inbox_events WHERE at >= ? GROUP BY event", (since,)).fetchall()
    return {row[0]: int(row[1]) for row in rows}


def recent_ends(conn: sqlite3.Connection, limit: int = 50) -> list[sqlite3.Row]:
    """Return the latest terminal events, newest first (for the inbox page and status)."""
    return conn.execute(
        "SELECT * FROM inbox_events WHERE event IN ('filed', 'duplicate', 'failed', 'vanished')"
        " ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()


def mean_seconds_since(conn: sqlite3.Connection, event: str, since: str) -> float | None:
    """Return the mean duration of ``event`` rows since ``since``, or None when there are none."""
    row = conn.execute(
        "SELECT AVG(seconds) FROM inbox_events WHERE event = ? AND at >= ? AND seconds IS NOT NULL",
        (event, since),
    ).fetchone()
    return None if row[0] is None else float(row[0])


def document_left_inbox(conn: sqlite3.Connection, document_id: int) -> bool:
    """Return True when an inbox file filed as this document was already removed from the inbox."""
    row = conn.execute(
        "SELECT 1 FROM inbox_events WHERE event = 'filed' AND document_id = ? LIMIT 1", (document_id,)
    ).fetchone()
    return row is not None
