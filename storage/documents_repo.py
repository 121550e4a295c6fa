"""SQL for documents, their pages, facts and the duplicates seen."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from storage.rows import inserted_id

_COLUMNS = frozenset(
    {
        "mime_type",
        "state",
        "title",
        "pages",
        "ocr",
        "ocr_confidence",
        "client_id",
        "document_type",
        "document_date",
        "amount",
        "currency",
        "iban",
        "reference",
        "bsn",
        "language",
        "needs_review",
        "review_reasons",
        "retention_until",
        "retention_rule",
        "has_rendition",
        "filed_at",
        "updated_at",
        "last_error",
        "failed_at",
        "hinted",
        "title_set_by",
        "reading_attempts",
        "reading_by",
        "reading_since",
    }
)


def insert_received(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    """Insert a document row in state ``received``; return its id."""
    cursor = conn.execute(
        "INSERT INTO documents (sha256, size, mime_type, original_filename, source, channel, state,"
        " hinted, created_by, created_at, updated_at)"
        " VALUES (:sha256, :size, :mime_type, :original_filename, :source, :channel, 'received',"
        " :hinted, :created_by, :created_at, :created_at) RETURNING id",
        dict(values),
    )
    return inserted_id(cursor)


def update_document(conn: sqlite3.Connection, document_id: int, **fields: Any) -> None:
    """Set the given columns of one document."""
    unknown = set(fields) - _COLUMNS
    if unknown:
        raise ValueError(f"not document columns: {sorted(unknown)}")
    assignments = ", ".join(f"{name} = :{name}" for name in fields)
    conn.execute(f"UPDATE documents SET {assignments} WHERE id = :id", {**fields, "id": document_id})


def get_document(conn: sqlite3.Connection, document_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()


def find_by_sha256(conn: sqlite3.Connection, sha256: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM documents WHERE sha256 = ?", (sha256,)).fetchone()


def replace_pages(conn: sqlite3.Connection, document_id: int, pages: Iterable[Mapping[str, Any]]) -> None:
    """Replace a document's page texts."""
    conn.execute("DELETE FROM pages WHERE document_id = ?", (document_id,))
    conn.executemany(
        "INSERT INTO pages (document_id, number, text, ocr, confidence, rotated)"
        " VALUES (:document_id, :number, :text, :ocr, :confidence, :rotated)",
        [{**page, "document_id": document_id} for page in pages],
    )


def get_pages(conn: sqlite3.Connection, document_id: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM pages WHERE document_id = ? ORDER BY number", (document_id,)).fetchall()


def replace_facts(conn: sqlite3.Connection, document_id: int, facts: Iterable[Mapping[str, Any]]) -> None:
    """Replace a document's fact evidence (value, confidence, where it came from)."""
    conn.execute("DELETE FROM facts WHERE document_id = ?", (document_id,))
    conn.executemany(
        "INSERT INTO facts (document_id, name, value, confidence, page, source_text, origin)"
        " VALUES (:document_id, :name, :value, :confidence, :page, :source_text, :origin)",
        [{**fact, "document_id": document_id} for fact in facts],
    )


def set_fact(conn: sqlite3.Connection, document_id: int, fact: Mapping[str, Any]) -> None:
    """Insert or replace one fact's evidence row."""
    conn.execute(
        "INSERT INTO facts (document_id, name, value, confidence, page, source_text, origin)"
        " VALUES (:document_id, :name, :value, :confidence, :page, :source_text, :origin)"
        " ON CONFLICT (document_id, name) DO UPDATE SET value = excluded.value, confidence = excluded.confidence,"
        " page = excluded.page, source_text = excluded.source_text, origin = excluded.origin",
        {**fact, "document_id": document_id},
    )


def get_facts(conn: sqlite3.Connection, document_id: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM facts WHERE document_id = ? ORDER BY name", (document_id,)).fetchall()


def record_duplicate(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    """Record that a file arrived whose bytes are already stored as a document."""
    cursor = conn.execute(
        "INSERT INTO duplicates (document_id, original_filename, source, channel, actor, at)"
        " VALUES (:document_id, :original_filename, :source, :channel, :actor, :at) RETURNING id",
        dict(values),
    )
    return inserted_id(cursor)


def get_duplicates(conn: sqlite3.Connection, document_id: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM duplicates WHERE document_id = ? ORDER BY id", (document_id,)).fetchall()


def ids_in_state(conn: sqlite3.Connection, state: str) -> list[int]:
    return [row[0] for row in conn.execute("SELECT id FROM documents WHERE state = ? ORDER BY id", (state,))]


def count_in_state(conn: sqlite3.Connection, state: str) -> int:
    return int(conn.execute("SELECT count(*) FROM documents WHERE state = ?", (state,)).fetchone()[0])


def iter_documents(conn: sqlite3.Connection, state: str) -> Iterator[sqlite3.Row]:
    """Yield every document row in a state, in id order, without loading all at once."""
    last = 0
    while True:
        rows = conn.execute(
            "SELECT * FROM documents WHERE state = ? AND id > ? ORDER BY id LIMIT 500", (state, last)
        ).fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1]["id"]


def document_text(conn: sqlite3.Connection, document_id: int) -> str:
    """Return the text of all pages of a document, pages separated by form feeds."""
    rows = conn.execute("SELECT text FROM pages WHERE document_id = ? ORDER BY number", (document_id,))
    return "\f".join(row[0] for row in rows)


def list_stored_hashes(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """Return (id, sha256, state) of every document whose original should be in the store."""
    return [
        (row[0], row[1], row[2])
        for row in conn.execute("SELECT id, sha256, state FROM documents WHERE state != 'disposed' ORDER BY id")
    ]


def unfinished_ids(conn: sqlite3.Connection, received_before: str | None = None) -> list[int]:
    """Return the documents stored but never filed (a crash), leaving out earlier failures;
    with ``received_before`` (ISO time), only those received before it."""
    if received_before is None:
        return [
            row[0]
            for row in conn.execute(
                "SELECT id FROM documents WHERE state = 'received' AND failed_at IS NULL ORDER BY id"
            )
        ]
    return [
        row[0]
        for row in conn.execute(
            "SELECT id FROM documents WHERE state = 'received' AND failed_at IS NULL AND created_at < ? ORDER BY id",
            (received_before,),
        )
    ]


def is_waiting(conn: sqlite3.Connection, document_id: int) -> bool:
    """Return whether a document is stored and still to be read (not filed, not failed)."""
    return (
        conn.execute(
            "SELECT 1 FROM documents WHERE id = ? AND state = 'received' AND failed_at IS NULL", (document_id,)
        ).fetchone()
        is not None
    )


def claim_reading(conn: sqlite3.Connection, document_id: int, by: str, at: str) -> int:
    """Mark a received document as being read by `by`, counting the attempt; return the attempts so far."""
    conn.execute(
        "UPDATE documents SET reading_by = ?, reading_since = ?, reading_attempts = reading_attempts + 1"
        " WHERE id = ? AND state = 'received'",
        (by, at, document_id),
    )
    row = conn.execute("SELECT reading_attempts FROM documents WHERE id = ?", (document_id,)).fetchone()
    return int(row[0]) if row else 0


def release_reading(conn: sqlite3.Connection, document_id: int, uncount: bool) -> None:
    """Drop the reading claim on a document; `uncount` takes back the attempt (a stop, not a failure)."""
    conn.execute(
        "UPDATE documents SET reading_by = NULL, reading_since = NULL,"
        # CASE rather than SQLite's two-argument max(): the same statement runs on PostgreSQL.
        " reading_attempts = CASE WHEN reading_attempts > ? THEN reading_attempts - ? ELSE 0 END WHERE id = ?",
        (1 if uncount else 0, 1 if uncount else 0, document_id),
    )


def reset_reading_attempts(conn: sqlite3.Connection, sha256: str) -> None:
    """Give a set-aside received document a fresh start (a clerk asked to try it again)."""
    conn.execute(
        "UPDATE documents SET reading_attempts = 0, failed_at = NULL WHERE sha256 = ? AND state = 'received'", (sha256,)
    )


def mark_filed(conn: sqlite3.Connection, document_id: int, **fields: Any) -> bool:
    """Set a received document's facts and state ``filed``; False when it was no longer received (filed by a twin)."""
    unknown = set(fields) - _COLUMNS
    if unknown:
        raise ValueError(f"not document columns: {sorted(unknown)}")
    assignments = ", ".join(f"{name} = :{name}" for name in fields)
    cursor = conn.execute(
        f"UPDATE documents SET state = 'filed', reading_by = NULL, reading_since = NULL, {assignments}"
        " WHERE id = :id AND state = 'received'",
        {**fields, "id": document_id},
    )
    return cursor.rowcount == 1


def find_by_source(conn: sqlite3.Connection, source: str) -> sqlite3.Row | None:
    """The newest document kept from this source path (an upload's place in the filing queue)."""
    return conn.execute("SELECT * FROM documents WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)).fetchone()
