"""Leases and the documents' change feed: what nodes sharing one database coordinate through."""

from __future__ import annotations

import sqlite3


def take_lease(conn: sqlite3.Connection, name: str, holder: str, now: str, until: str) -> bool:
    """Take or renew lease ``name`` for ``holder`` until ``until`` (ISO times); return whether it is held.

    Run inside a write transaction: writers follow one another, so two nodes never both win.
    """
    row = conn.execute("SELECT holder, expires_at FROM leases WHERE name = ?", (name,)).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO leases (name, holder, taken_at, expires_at) VALUES (?, ?, ?, ?)", (name, holder, now, until)
        )
        return True
    if row[0] == holder:
        conn.execute("UPDATE leases SET expires_at = ? WHERE name = ?", (until, name))
        return True
    if row[1] <= now:  # its holder stopped renewing it
        conn.execute(
            "UPDATE leases SET holder = ?, taken_at = ?, expires_at = ? WHERE name = ?", (holder, now, until, name)
        )
        return True
    return False


def release_lease(conn: sqlite3.Connection, name: str, holder: str) -> None:
    """Give lease ``name`` up, if ``holder`` holds it."""
    conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))


def lease_holder(conn: sqlite3.Connection, name: str) -> tuple[str, str] | None:
    """Return (holder, expires_at) of lease ``name``, or None."""
    row = conn.execute("SELECT holder, expires_at FROM leases WHERE name = ?", (name,)).fetchone()
    return (row[0], row[1]) if row else None


def changes_after(conn: sqlite3.Connection, seq: int, limit: int = 1000) -> list[tuple[int, int]]:
    """Return (seq, document_id) of the feed's changes after ``seq``, oldest first."""
    return [
        (row[0], row[1])
        for row in conn.execute(
            "SELECT seq, document_id FROM document_changes WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        )
    ]


def last_change(conn: sqlite3.Connection) -> int:
    """Return the seq of the newest change (0 when there is none)."""
    return int(conn.execute("SELECT COALESCE(max(seq), 0) FROM document_changes").fetchone()[0])
