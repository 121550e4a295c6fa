"""SQL for the recorded hashes of derivatives (searchable PDFs, thumbnails)."""

from __future__ import annotations

import sqlite3


def record(conn: sqlite3.Connection, sha256: str, kind: str, digest: str, size: int, at: str) -> None:
    """Record (or replace) the hash of the derivative ``kind`` of an original."""
    conn.execute(
        "INSERT INTO derivatives (sha256, kind, digest, size, recorded_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (sha256, kind) DO UPDATE SET digest = excluded.digest, size = excluded.size,"
        " recorded_at = excluded.recorded_at",
        (sha256, kind, digest, size, at),
    )


def recorded(conn: sqlite3.Connection, sha256: str) -> dict[str, str]:
    """Return kind -> recorded hash of every derivative of one original."""
    return {row[0]: row[1] for row in conn.execute("SELECT kind, digest FROM derivatives WHERE sha256 = ?", (sha256,))}


def kept_documents(conn: sqlite3.Connection) -> list[tuple[int, str, str | None]]:
    """Return (id, sha256, mime type) of every document whose derivatives are kept (filed, not destroyed)."""
    return [
        (row[0], row[1], row[2])
        for row in conn.execute("SELECT id, sha256, mime_type FROM documents WHERE state = 'filed' ORDER BY id")
    ]


def forget(conn: sqlite3.Connection, sha256: str) -> None:
    """Forget the derivatives of an original whose bytes were destroyed."""
    conn.execute("DELETE FROM derivatives WHERE sha256 = ?", (sha256,))
