"""The language a document is written in (nl | en), found when it is read."""

from __future__ import annotations

import sqlite3


def migrate(conn: sqlite3.Connection) -> None:
    """Add documents.language (NULL for documents filed before, and for text in no telling language)."""
    conn.execute("ALTER TABLE documents ADD COLUMN language TEXT")
