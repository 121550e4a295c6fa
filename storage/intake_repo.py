"""SQL for what enters besides single files: scanned stacks, mail messages, mail accounts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from storage.rows import inserted_id

PROVENANCE_COLUMNS = (
    "stack_id",
    "stack_sha256",
    "stack_first",
    "stack_last",
    "stack_page_list",
    "mail_message_id",
    "mail_from",
    "mail_subject",
    "mail_date",
)


def set_provenance(conn: sqlite3.Connection, document_id: int, values: Mapping[str, Any]) -> None:
    """Record where a document came from (its stack and pages, its mail message)."""
    unknown = set(values) - set(PROVENANCE_COLUMNS)
    if unknown:
        raise ValueError(f"not provenance columns: {sorted(unknown)}")
    if values:
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        conn.execute(f"UPDATE documents SET {assignments} WHERE id = :id", {**values, "id": document_id})


# -- stacks --------------------------------------------------------------------


def find_stack(conn: sqlite3.Connection, sha256: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM stacks WHERE sha256 = ?", (sha256,)).fetchone()


def get_stack(conn: sqlite3.Connection, stack_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM stacks WHERE id = ?", (stack_id,)).fetchone()


def insert_stack(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    """Insert a stack in state ``received``; return its id."""
    cursor = conn.execute(
        "INSERT INTO stacks (sha256, size, mime_type, original_filename, source, channel, pages, state,"
        " created_by, created_at) VALUES (:sha256, :size, :mime_type, :original_filename, :source, :channel,"
        " :pages, 'received', :created_by, :created_at) RETURNING id",
        dict(values),
    )
    return inserted_id(cursor)


def mark_stack_split(conn: sqlite3.Connection, stack_id: int, parts: int, at: str) -> None:
    conn.execute(
        "UPDATE stacks SET state = 'split', parts = ?, split_at = ?, last_error = NULL WHERE id = ?",
        (parts, at, stack_id),
    )


def stack_parts(conn: sqlite3.Connection, stack_id: int) -> list[sqlite3.Row]:
    """The documents cut from a stack, in page order."""
    return conn.execute("SELECT * FROM documents WHERE stack_id = ? ORDER BY stack_first", (stack_id,)).fetchall()


def list_stack_hashes(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(id, sha256, state) of every stack whose original should be in the store."""
    return [
        (row[0], row[1], row[2])
        for row in conn.execute("SELECT id, sha256, state FROM stacks WHERE state != 'disposed' ORDER BY id")
    ]


# -- mail messages --------------------------------------------------------------


def find_message(conn: sqlite3.Connection, message_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM mail_messages WHERE message_id = ?", (message_id,)).fetchone()


def insert_message(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    """Insert a message in state ``received`` (or return the id it already has)."""
    conn.execute(
        "INSERT INTO mail_messages (message_id, account, channel, sender, subject, sent_at, size,"
        " raw_sha256, state, received_at) VALUES (:message_id, :account, :channel, :sender, :subject, :sent_at,"
        " :size, :raw_sha256, 'received', :received_at) ON CONFLICT (message_id) DO NOTHING",
        {"raw_sha256": None, **values},
    )
    return int(conn.execute("SELECT id FROM mail_messages WHERE message_id = ?", (values["message_id"],)).fetchone()[0])


def end_message(
    conn: sqlite3.Connection,
    message_id: str,
    state: str,
    documents: list[int],
    skipped: list[dict[str, str]],
    error: str | None,
    at: str,
) -> None:
    """Record how a message ended: filed (every document committed) or failed, with why."""
    conn.execute(
        "UPDATE mail_messages SET state = ?, documents = ?, skipped = ?, error = ?, ended_at = ? WHERE message_id = ?",
        (state, json.dumps(documents), json.dumps(skipped, ensure_ascii=False), error, at, message_id),
    )


def message_documents(conn: sqlite3.Connection, message_id: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM documents WHERE mail_message_id = ? ORDER BY id", (message_id,)).fetchall()


def document_of_message(conn: sqlite3.Connection, message_id: str, sha256: str) -> sqlite3.Row | None:
    """The document these bytes became when this message was filed before (an interrupted run)."""
    return conn.execute(
        "SELECT * FROM documents WHERE sha256 = ? AND mail_message_id = ?", (sha256, message_id)
    ).fetchone()


def list_message_hashes(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(id, raw_sha256, state) of every message whose own bytes are kept in the store."""
    return [
        (row[0], row[1], row[2])
        for row in conn.execute(
            "SELECT id, raw_sha256, state FROM mail_messages WHERE raw_sha256 IS NOT NULL"
            # a message filed as its own body document goes when that document is disposed
            " AND raw_sha256 NOT IN (SELECT sha256 FROM documents WHERE state = 'disposed')"
            " ORDER BY id"
        )
    ]


# -- originals of stacks and messages once their documents are gone ------------------


def spent_sources(conn: sqlite3.Connection, document_ids: list[int]) -> list[tuple[str, int, str]]:
    """("stack" | "message", id, sha256) of the sources of these documents that have no document left."""
    if not document_ids:
        return []
    marks = ",".join("?" * len(document_ids))
    stacks = conn.execute(
        f"SELECT DISTINCT s.id, s.sha256 FROM stacks s JOIN documents d ON d.stack_id = s.id"
        f" WHERE d.id IN ({marks}) AND s.state != 'disposed' AND NOT EXISTS"
        f" (SELECT 1 FROM documents o WHERE o.stack_id = s.id AND o.state != 'disposed')",
        document_ids,
    ).fetchall()
    messages = conn.execute(
        f"SELECT DISTINCT m.id, m.raw_sha256 FROM mail_messages m JOIN documents d ON d.mail_message_id = m.message_id"
        f" WHERE d.id IN ({marks}) AND m.raw_sha256 IS NOT NULL AND NOT EXISTS"
        f" (SELECT 1 FROM documents o WHERE o.mail_message_id = m.message_id AND o.state != 'disposed')",
        document_ids,
    ).fetchall()
    return [("stack", row[0], row[1]) for row in stacks] + [("message", row[0], row[1]) for row in messages]


def mark_source_disposed(conn: sqlite3.Connection, kind: str, source_id: int) -> None:
    """Mark a stack disposed, or forget a message's kept bytes (its row stays: the Message-ID was filed)."""
    if kind == "stack":
        conn.execute("UPDATE stacks SET state = 'disposed' WHERE id = ?", (source_id,))
    else:
        conn.execute("UPDATE mail_messages SET raw_sha256 = NULL WHERE id = ?", (source_id,))


def sha256_still_needed(conn: sqlite3.Connection, sha256: str) -> bool:
    """True when a live document, stack or message still has these bytes as its original."""
    return (
        conn.execute(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = :s AND state != 'disposed')"
            " OR EXISTS (SELECT 1 FROM stacks WHERE sha256 = :s AND state != 'disposed')"
            " OR EXISTS (SELECT 1 FROM mail_messages WHERE raw_sha256 = :s)",
            {"s": sha256},
        ).fetchone()[0]
        == 1
    )


# -- mail accounts ---------------------------------------------------------------


def record_poll(
    conn: sqlite3.Connection, account: str, at: str, error: str | None, filed: int = 0, failed: int = 0
) -> None:
    """Note one poll of an account: when, whether it worked, what it filed."""
    conn.execute("INSERT INTO mail_accounts (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (account,))
    if error is None:
        conn.execute(
            "UPDATE mail_accounts SET last_poll = ?, last_ok = ?, filed = filed + ?, failed = failed + ?"
            " WHERE name = ?",
            (at, at, filed, failed, account),
        )
    else:
        conn.execute(
            "UPDATE mail_accounts SET last_poll = ?, last_error = ?, error_at = ?, failed = failed + ? WHERE name = ?",
            (at, error, at, failed, account),
        )


def accounts(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM mail_accounts ORDER BY name").fetchall()


def failed_messages(conn: sqlite3.Connection, channel: str, limit: int) -> list[sqlite3.Row]:
    """The latest messages of a channel that could not be filed, newest first, with why."""
    return conn.execute(
        "SELECT message_id, account, sender, subject, sent_at, error, ended_at FROM mail_messages"
        " WHERE state = 'failed' AND channel = ? ORDER BY ended_at DESC, id DESC LIMIT ?",
        (channel, limit),
    ).fetchall()
