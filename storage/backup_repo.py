"""SQL a backup reads from a database copy: what the snapshot must hold, and what was destroyed.

Every function takes a connection, usually to a copy made by ``database_copy`` (so the
files chosen agree with the database of the same moment). A copy made before a table
existed (an old schema) simply has none of its rows.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from storage import documents_repo, intake_repo


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Return whether the database has a table of this name."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def kept_originals(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """Return (what, id, sha256) of every original the database expects in the store.

    ``what`` is ``Document``, ``Stack`` (a scanned stack, kept whole besides its parts)
    or ``Message`` (an e-mail's own bytes): the lists fixity checks, in one place.
    """
    kept = [("Document", i, sha256) for i, sha256, _ in documents_repo.list_stored_hashes(conn)]
    if has_table(conn, "stacks"):
        kept += [("Stack", i, sha256) for i, sha256, _ in intake_repo.list_stack_hashes(conn)]
    if has_table(conn, "mail_messages"):
        kept += [("Message", i, sha256) for i, sha256, _ in intake_repo.list_message_hashes(conn)]
    return kept


def document_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Return how many documents there are per state."""
    return {row[0]: row[1] for row in conn.execute("SELECT state, count(*) FROM documents GROUP BY state")}


def certificate_files(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Return (path relative to the home, sha256) of every certificate file the database lists."""
    if not has_table(conn, "certificates"):
        return []
    files = []
    for row in conn.execute("SELECT html_path, html_sha256, json_path, json_sha256 FROM certificates ORDER BY id"):
        files += [(row[0], row[1]), (row[2], row[3])]
    return files


def checkpoint_files(conn: sqlite3.Connection) -> list[str]:
    """Return the file name of every signed checkpoint the database lists."""
    if not has_table(conn, "checkpoints"):
        return []
    return [row[0] for row in conn.execute("SELECT file FROM checkpoints ORDER BY id")]


def audit_head(conn: sqlite3.Connection) -> dict[str, Any]:
    """Return the audit chain's head: its seq, hash and number of entries (0 and genesis when empty)."""
    row = conn.execute(
        "SELECT seq, hash, (SELECT count(*) FROM audit_log) FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return {"seq": 0, "hash": "0" * 64, "entries": 0}
    return {"seq": row[0], "hash": row[1], "entries": row[2]}


def audit_hash_at(conn: sqlite3.Connection, seq: int) -> str | None:
    """Return the hash of the audit entry with this seq, or None when there is none."""
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return row[0] if row else None


def disposals_after(conn: sqlite3.Connection, seq: int) -> list[dict[str, Any]]:
    """Return the documents destroyed by audit entries after ``seq``: id, sha256, when, entry seq."""
    rows = (
        conn.execute(
            "SELECT a.seq, a.document_id, a.at, t.sha256 FROM audit_log a"
            " LEFT JOIN tombstones t ON t.document_id = a.document_id"
            " WHERE a.action = 'dispose' AND a.seq > ? ORDER BY a.seq",
            (seq,),
        )
        if has_table(conn, "tombstones")
        else []
    )
    return [{"seq": row[0], "id": row[1], "disposed_at": row[2], "sha256": row[3]} for row in rows]


def document_states(conn: sqlite3.Connection, document_ids: list[int]) -> dict[int, str]:
    """Return the state of each of these documents that exists."""
    states = {}
    for start in range(0, len(document_ids), 500):
        chunk = document_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        states.update(
            {row[0]: row[1] for row in conn.execute(f"SELECT id, state FROM documents WHERE id IN ({marks})", chunk)}
        )
    return states


def released_holds(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Return every released legal hold with who released it, when and why."""
    if not has_table(conn, "holds"):
        return []
    return conn.execute(
        "SELECT id, document_id, client_id, released_by, released_at, release_reason FROM holds"
        " WHERE released_at IS NOT NULL ORDER BY id"
    ).fetchall()


def delete_state(conn: sqlite3.Connection, keys: tuple[str, ...]) -> None:
    """Remove bookkeeping values (records_state) by key."""
    conn.executemany("DELETE FROM records_state WHERE key = ?", [(key,) for key in keys])
