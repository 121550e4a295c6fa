"""SQL for clients and for the clerks' fact corrections."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

CLIENT_COLUMNS = (
    "client_id",
    "name",
    "kind",
    "kvk",
    "vat",
    "iban",
    "bsn",
    "email",
    "street",
    "house_number",
    "postcode",
    "city",
)


def all_clients(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Return every client, by number."""
    return conn.execute(f"SELECT {', '.join(CLIENT_COLUMNS)} FROM clients ORDER BY client_id").fetchall()


def get_client(conn: sqlite3.Connection, client_id: str) -> sqlite3.Row | None:
    """Return one client, or None."""
    return conn.execute(f"SELECT {', '.join(CLIENT_COLUMNS)} FROM clients WHERE client_id = ?", (client_id,)).fetchone()


def find_clients(conn: sqlite3.Connection, text: str, limit: int = 500) -> list[sqlite3.Row]:
    """Return clients whose number, name, city, postcode or e-mail contains the text (case-blind)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # lower() on both sides: SQLite's LIKE ignores case, PostgreSQL's does not.
    matches = " OR ".join(
        f"lower({column}) LIKE lower(:p) ESCAPE '\\'" for column in ("client_id", "name", "city", "postcode", "email")
    )
    return conn.execute(
        f"SELECT {', '.join(CLIENT_COLUMNS)} FROM clients WHERE {matches} ORDER BY lower(name), client_id LIMIT :limit",
        {"p": pattern, "limit": limit},
    ).fetchall()


def insert_client(conn: sqlite3.Connection, values: Mapping[str, str | None], now: str) -> None:
    """Insert a new client."""
    names = ", ".join(CLIENT_COLUMNS)
    marks = ", ".join(f":{c}" for c in CLIENT_COLUMNS)
    conn.execute(
        f"INSERT INTO clients ({names}, created_at, updated_at) VALUES ({marks}, :now, :now)",
        {**{c: values.get(c) for c in CLIENT_COLUMNS}, "now": now},
    )


def update_client(conn: sqlite3.Connection, values: Mapping[str, str | None], now: str) -> None:
    """Overwrite an existing client's details."""
    sets = ", ".join(f"{c} = :{c}" for c in CLIENT_COLUMNS if c != "client_id")
    conn.execute(
        f"UPDATE clients SET {sets}, updated_at = :now WHERE client_id = :client_id",
        {**{c: values.get(c) for c in CLIENT_COLUMNS}, "now": now},
    )


def insert_correction(
    conn: sqlite3.Connection,
    document_id: int,
    fact: str,
    old_value: str | None,
    new_value: str | None,
    actor: str,
    at: str,
) -> None:
    """Record one corrected fact."""
    conn.execute(
        "INSERT INTO fact_corrections (document_id, fact, old_value, new_value, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
        (document_id, fact, old_value, new_value, actor, at),
    )


def corrections(conn: sqlite3.Connection, document_id: int | None = None) -> list[sqlite3.Row]:
    """Return the recorded corrections (of one document, or all), oldest first."""
    if document_id is None:
        return conn.execute("SELECT * FROM fact_corrections ORDER BY id").fetchall()
    return conn.execute("SELECT * FROM fact_corrections WHERE document_id = ? ORDER BY id", (document_id,)).fetchall()


def count_type_corrections(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM fact_corrections WHERE fact = 'document_type'").fetchone()[0])


def type_training_rows(conn: sqlite3.Connection) -> Iterable[tuple[str, str]]:
    """Yield (document text, corrected type) for each document whose type a clerk last set.

    Only documents still holding their pages (not disposed) teach the classifier.
    """
    rows = conn.execute(
        "SELECT c.document_id, c.new_value FROM fact_corrections c"
        " WHERE c.fact = 'document_type' AND c.new_value IS NOT NULL"
        " AND c.id = (SELECT max(id) FROM fact_corrections"
        "             WHERE document_id = c.document_id AND fact = 'document_type')"
        " ORDER BY c.document_id"
    ).fetchall()
    for row in rows:
        pages = conn.execute(
            "SELECT text FROM pages WHERE document_id = ? ORDER BY number", (row["document_id"],)
        ).fetchall()
        text = "\n".join(page["text"] for page in pages)
        if text.strip():
            yield text, row["new_value"]


def confirmed_type_rows(conn: sqlite3.Connection, limit: int) -> Iterable[tuple[str, str]]:
    """Yield (text, type) of filed documents nobody had to correct or review: the rules' good calls."""
    rows = conn.execute(
        "SELECT d.id, d.document_type FROM documents d WHERE d.state = 'filed' AND d.needs_review = 0"
        " AND d.document_type IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fact_corrections c"
        " WHERE c.document_id = d.id AND c.fact = 'document_type') ORDER BY d.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    for row in rows:
        pages = conn.execute("SELECT text FROM pages WHERE document_id = ? ORDER BY number", (row["id"],)).fetchall()
        text = "\n".join(page["text"] for page in pages)
        if text.strip():
            yield text, row["document_type"]
