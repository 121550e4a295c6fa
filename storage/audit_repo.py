"""SQL for the append-only audit trail."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64


def last_entry(conn: sqlite3.Connection) -> sqlite3.Row | None:
    return conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()


def append(conn: sqlite3.Connection, entry: Mapping[str, Any]) -> None:
    """Insert one audit entry (its seq, prev_hash, hash and seal already computed)."""
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, document_id, client_id, address, details,"
        " prev_hash, hash, seal) VALUES (:seq, :at, :actor, :action, :document_id, :client_id, :address,"
        " :details, :prev_hash, :hash, :seal)",
        {"seal": None, **entry},
    )


def keys_entries(conn: sqlite3.Connection, action: str) -> list[tuple[int, str]]:
    """Return (seq, seal key id) of every entry that names the seal key in force from it on."""
    rows = conn.execute("SELECT seq, details FROM audit_log WHERE action = ? ORDER BY seq", (action,))
    found = []
    for seq, details in rows:
        try:
            key_id = json.loads(details).get("seal_key")
        except (TypeError, ValueError, AttributeError):  # an entry edited by hand: the chain check reports it
            continue
        if isinstance(key_id, str) and key_id:
            found.append((seq, key_id))
    return found


def action_details(conn: sqlite3.Connection, action: str) -> list[tuple[int, Any]]:
    """Return (seq, decoded details) of every entry of an action (None where not JSON)."""
    found = []
    for seq, details in conn.execute("SELECT seq, details FROM audit_log WHERE action = ? ORDER BY seq", (action,)):
        try:
            found.append((seq, json.loads(details)))
        except (TypeError, ValueError):  # edited by hand: the chain check reports it
            found.append((seq, None))
    return found


def first_details(conn: sqlite3.Connection, action: str) -> dict[str, Any] | None:
    """Return the decoded details of the first entry of an action, or None."""
    row = conn.execute("SELECT details FROM audit_log WHERE action = ? ORDER BY seq LIMIT 1", (action,)).fetchone()
    try:
        return json.loads(row[0]) if row else None
    except (TypeError, ValueError):
        return None


def entries_for_document(conn: sqlite3.Connection, document_id: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM audit_log WHERE document_id = ? ORDER BY seq", (document_id,)).fetchall()


def count_actions_since(conn: sqlite3.Connection, since: str, actions: tuple[str, ...]) -> dict[str, int]:
    """Return how many entries of each of these actions were written at or after ``since`` (ISO)."""
    marks = ",".join("?" * len(actions))
    rows = conn.execute(
        f"SELECT action, count(*) FROM audit_log WHERE at >= ? AND action IN ({marks}) GROUP BY action",
        (since, *actions),
    )
    return {row[0]: int(row[1]) for row in rows}
