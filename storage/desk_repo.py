"""SQL for the daily desk: tags, notes, saved searches, custom values, recent documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from storage.rows import inserted_id

# -- tags ------------------------------------------------------------------------------


def add_tag(conn: sqlite3.Connection, document_id: int, tag: str, actor: str, at: str) -> bool:
    """Add a tag to a document; return False when it had it already."""
    cursor = conn.execute(
        "INSERT INTO document_tags (document_id, tag, added_by, added_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (document_id, tag) DO NOTHING",
        (document_id, tag, actor, at),
    )
    return cursor.rowcount > 0


def remove_tag(conn: sqlite3.Connection, document_id: int, tag: str) -> bool:
    """Remove a tag from a document; return False when it did not have it."""
    cursor = conn.execute("DELETE FROM document_tags WHERE document_id = ? AND tag = ?", (document_id, tag))
    return cursor.rowcount > 0


def tags_of(conn: sqlite3.Connection, document_id: int) -> list[str]:
    return [
        row[0]
        for row in conn.execute("SELECT tag FROM document_tags WHERE document_id = ? ORDER BY tag", (document_id,))
    ]


def tag_counts(conn: sqlite3.Connection, prefix: str = "", limit: int = 20) -> list[tuple[str, int]]:
    """Return tags in use (starting with ``prefix``), most used first."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [
        (row[0], int(row[1]))
        for row in conn.execute(
            "SELECT tag, count(*) AS n FROM document_tags WHERE tag LIKE ? ESCAPE '\\'"
            " GROUP BY tag ORDER BY n DESC, tag LIMIT ?",
            (escaped + "%", limit),
        )
    ]


# -- notes -----------------------------------------------------------------------------


def add_note(conn: sqlite3.Connection, document_id: int, author: str, text: str, at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO document_notes (document_id, author, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id",
        (document_id, author, text, at, at),
    )
    return inserted_id(cursor)


def get_note(conn: sqlite3.Connection, note_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM document_notes WHERE id = ?", (note_id,)).fetchone()


def update_note(conn: sqlite3.Connection, note_id: int, text: str, at: str) -> None:
    conn.execute("UPDATE document_notes SET text = ?, updated_at = ? WHERE id = ?", (text, at, note_id))


def notes_of(conn: sqlite3.Connection, document_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM document_notes WHERE document_id = ? ORDER BY created_at, id", (document_id,)
    ).fetchall()


# -- saved searches --------------------------------------------------------------------


def add_saved_search(
    conn: sqlite3.Connection, name: str, query: str, owner: str, shared_role: str | None, at: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO saved_searches (name, query, owner, shared_role, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        (name, query, owner, shared_role, at),
    )
    return inserted_id(cursor)


def saved_searches_for(conn: sqlite3.Connection, user: str, role: str) -> list[sqlite3.Row]:
    """Return the user's own saved searches and those shared with their role, by name."""
    return conn.execute(
        "SELECT * FROM saved_searches WHERE owner = ? OR shared_role = ? ORDER BY lower(name), id", (user, role)
    ).fetchall()


def get_saved_search(conn: sqlite3.Connection, search_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM saved_searches WHERE id = ?", (search_id,)).fetchone()


def delete_saved_search(conn: sqlite3.Connection, search_id: int) -> None:
    conn.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))


# -- custom values ---------------------------------------------------------------------


def custom_values_of(conn: sqlite3.Connection, document_id: int) -> dict[str, str]:
    return {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT name, value FROM custom_values WHERE document_id = ? ORDER BY name", (document_id,)
        )
    }


def set_custom_value(conn: sqlite3.Connection, document_id: int, name: str, value: str | None) -> None:
    """Set (or, with None, clear) one custom field's value of a document."""
    if value is None:
        conn.execute("DELETE FROM custom_values WHERE document_id = ? AND name = ?", (document_id, name))
    else:
        conn.execute(
            "INSERT INTO custom_values (document_id, name, value) VALUES (?, ?, ?)"
            " ON CONFLICT (document_id, name) DO UPDATE SET value = excluded.value",
            (document_id, name, value),
        )


# -- the start page --------------------------------------------------------------------


def recent_documents(conn: sqlite3.Connection, limit: int) -> list[sqlite3.Row]:
    """Return the most recently filed documents, newest first."""
    return conn.execute(
        "SELECT * FROM documents WHERE state = 'filed' ORDER BY filed_at DESC, id DESC LIMIT ?", (limit,)
    ).fetchall()


def last_opened(conn: sqlite3.Connection, actor: str, limit: int) -> list[sqlite3.Row]:
    """Return the filed documents this user viewed last, most recent first (from the audit trail)."""
    return conn.execute(
        "SELECT d.*, v.last_at AS opened_at FROM (SELECT document_id, max(seq) AS last_seq, max(at) AS last_at"
        " FROM audit_log WHERE actor = ? AND action = 'view' AND document_id IS NOT NULL GROUP BY document_id)"
        " AS v JOIN documents d ON d.id = v.document_id WHERE d.state = 'filed'"
        " ORDER BY v.last_seq DESC LIMIT ?",
        (actor, limit),
    ).fetchall()


def documents_by_ids(conn: sqlite3.Connection, ids: Iterable[int]) -> list[sqlite3.Row]:
    wanted = list(ids)
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    return conn.execute(f"SELECT * FROM documents WHERE id IN ({marks}) ORDER BY id", wanted).fetchall()


def find_references(conn: sqlite3.Connection, text: str, limit: int) -> list[tuple[str, int]]:
    """Return references of filed documents containing ``text`` with the document of each."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [
        (row[0], int(row[1]))
        for row in conn.execute(
            "SELECT reference, min(id) FROM documents WHERE state = 'filed' AND reference LIKE ? ESCAPE '\\'"
            " GROUP BY reference ORDER BY reference LIMIT ?",
            ("%" + escaped + "%", limit),
        )
    ]
