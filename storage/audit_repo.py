"""SQL for the append-only audit trail."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64


def last_entry(conn: sqlite3.Connection) -> sqlite3.Row | None:
    return conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()


def append(conn: sqlite3.Connection, entry: Mapping[str, Any]) -> None:
    """Insert one audit entry (its seq, prev_hash and hash already computed)."""
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, document_id, client_id, address, details,"
        " prev_hash, hash) VALUES (:seq, :at, :actor, :action, :document_id, :client_id, :address,"
        " :details, :prev_hash, :hash)",
        dict(entry),
    )



def entries_for_document(conn: sqlite3.Connection, document_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM audit_log WHERE document_id = ? ORDER BY seq", (document_id,)
    ).fetchall()
