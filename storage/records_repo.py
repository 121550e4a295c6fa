"""SQL for records management: holds, retention events, disposition approvals,
tombstones, certificates, checkpoints, bookkeeping values and audit-trail queries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from storage.rows import inserted_id

# -- holds -------------------------------------------------------------------------


def insert_hold(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    """Insert an active hold; return its id."""
    cursor = conn.execute(
        "INSERT INTO holds (document_id, client_id, reason, case_reference, placed_by, placed_at)"
        " VALUES (:document_id, :client_id, :reason, :case_reference, :placed_by, :placed_at) RETURNING id",
        dict(values),
    )
    return inserted_id(cursor)


def release_hold(conn: sqlite3.Connection, hold_id: int, by: str, at: str, reason: str) -> bool:
    """Mark an active hold released; return False when it was not active."""
    cursor = conn.execute(
        "UPDATE holds SET released_by = ?, released_at = ?, release_reason = ? WHERE id = ? AND released_at IS NULL",
        (by, at, reason, hold_id),
    )
    return cursor.rowcount == 1


def get_hold(conn: sqlite3.Connection, hold_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM holds WHERE id = ?", (hold_id,)).fetchone()


def holds_on_target(
    conn: sqlite3.Connection, document_id: int | None, client_id: str | None, active_only: bool = True
) -> list[sqlite3.Row]:
    """Return the holds placed directly on one document or one client."""
    column, value = ("document_id", document_id) if document_id is not None else ("client_id", client_id)
    active = " AND released_at IS NULL" if active_only else ""
    return conn.execute(f"SELECT * FROM holds WHERE {column} = ?{active} ORDER BY id", (value,)).fetchall()


def holds_for_document(conn: sqlite3.Connection, document_id: int, client_id: str | None) -> list[sqlite3.Row]:
    """Return every hold (active or released) on a document or on its client."""
    return conn.execute(
        "SELECT * FROM holds WHERE document_id = ? OR (client_id IS NOT NULL AND client_id = ?) ORDER BY id",
        (document_id, client_id),
    ).fetchall()


def is_held(conn: sqlite3.Connection, document_id: int) -> bool:
    """Return whether any active hold covers the document (directly or by its client)."""
    row = conn.execute(
        "SELECT 1 FROM documents d WHERE d.id = ? AND EXISTS (SELECT 1 FROM holds h"
        " WHERE h.released_at IS NULL AND (h.document_id = d.id OR h.client_id = d.client_id))",
        (document_id,),
    ).fetchone()
    return row is not None


def list_holds(conn: sqlite3.Connection, active_only: bool = True) -> list[sqlite3.Row]:
    active = " WHERE released_at IS NULL" if active_only else ""
    return conn.execute(f"SELECT * FROM holds{active} ORDER BY id").fetchall()


def held_document_ids(conn: sqlite3.Connection) -> set[int]:
    """Return the ids of every document under at least one active hold."""
    rows = conn.execute(
        "SELECT d.id FROM documents d JOIN holds h ON h.released_at IS NULL"
        " AND (h.document_id = d.id OR h.client_id = d.client_id)"
    )
    return {row[0] for row in rows}


# -- retention events --------------------------------------------------------------


def insert_event(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    cursor = conn.execute(
        "INSERT INTO retention_events (event, document_id, client_id, happened_on, recorded_by, recorded_at)"
        " VALUES (:event, :document_id, :client_id, :happened_on, :recorded_by, :recorded_at) RETURNING id",
        dict(values),
    )
    return inserted_id(cursor)


def events_for(conn: sqlite3.Connection, document_id: int | None, client_id: str | None) -> list[sqlite3.Row]:
    """Return the events recorded for a document or its client, oldest recording first."""
    return conn.execute(
        "SELECT event, happened_on FROM retention_events WHERE document_id = ?"
        " OR (client_id IS NOT NULL AND client_id = ?) ORDER BY id",
        (document_id, client_id),
    ).fetchall()


# -- dossiers (retention from the dossier's last change) ------------------------------


def dossier_last_change(
    conn: sqlite3.Connection, client_id: str | None, document_id: int, types: Iterable[str]
) -> str | None:
    """Return when the dossier of these types last changed (ISO text), or None.

    The dossier is the client's filed documents of these types (without a client, the
    document alone). It changed when one of them was filed or corrected, and when one
    was moved to another client or retyped out of it.
    """
    kinds = sorted(set(types))
    marks = ",".join("?" * len(kinds))
    if client_id is None:
        return conn.execute(
            "SELECT max(at) FROM (SELECT coalesce(filed_at, created_at) AS at FROM documents WHERE id = ?"
            " UNION ALL SELECT at FROM fact_corrections WHERE document_id = ?) AS moments",
            (document_id, document_id),
        ).fetchone()[0]
    return conn.execute(
        "SELECT max(at) FROM ("
        f" SELECT coalesce(filed_at, created_at) AS at FROM documents WHERE client_id = ? AND state = 'filed'"
        f"  AND document_type IN ({marks})"
        " UNION ALL SELECT fc.at FROM fact_corrections fc JOIN documents d ON d.id = fc.document_id"
        f"  WHERE d.client_id = ? AND d.state = 'filed' AND d.document_type IN ({marks})"
        " UNION ALL SELECT fc.at FROM fact_corrections fc JOIN documents d ON d.id = fc.document_id"
        f"  WHERE fc.fact = 'client_id' AND fc.old_value = ? AND d.document_type IN ({marks})"
        " UNION ALL SELECT fc.at FROM fact_corrections fc JOIN documents d ON d.id = fc.document_id"
        f"  WHERE fc.fact = 'document_type' AND fc.old_value IN ({marks}) AND d.client_id = ?) AS moments",
        (client_id, *kinds, client_id, *kinds, client_id, *kinds, *kinds, client_id),
    ).fetchone()[0]


def dossiers_of(conn: sqlite3.Connection, document_id: int) -> list[tuple[str, str]]:
    """Return (client_id, document_type) of every dossier a document was in before a correction moved it."""
    row = conn.execute("SELECT client_id, document_type FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        return []
    found = {(row[0], row[1])}
    for fact, old in conn.execute(
        "SELECT fact, old_value FROM fact_corrections WHERE document_id = ? AND fact IN ('client_id', 'document_type')",
        (document_id,),
    ):
        found.add((old, row[1]) if fact == "client_id" else (row[0], old))
    return sorted((client, kind) for client, kind in found if client and kind)


def dossier_documents(conn: sqlite3.Connection, client_id: str, types: Iterable[str]) -> list[sqlite3.Row]:
    """Return the client's filed documents of these types, with the columns retention needs."""
    kinds = sorted(set(types))
    return conn.execute(
        f"SELECT * FROM documents WHERE client_id = ? AND state = 'filed' AND document_type IN"
        f" ({','.join('?' * len(kinds))}) ORDER BY id",
        (client_id, *kinds),
    ).fetchall()


# -- documents as records management sees them --------------------------------------


def filed_documents(conn: sqlite3.Connection, ids: Iterable[int] | None = None) -> list[sqlite3.Row]:
    """Return the filed documents (all, or those with these ids) with retention columns."""
    columns = "id, sha256, client_id, document_type, document_date, created_at, retention_until, retention_rule, state"
    if ids is None:
        return conn.execute(f"SELECT {columns} FROM documents WHERE state = 'filed' ORDER BY id").fetchall()
    wanted = sorted(set(ids))
    rows = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows += conn.execute(
            f"SELECT {columns} FROM documents WHERE state = 'filed' AND id IN ({marks}) ORDER BY id", chunk
        ).fetchall()
    return rows


def set_retention(conn: sqlite3.Connection, document_id: int, until: str | None, rule: str | None) -> None:
    conn.execute(
        "UPDATE documents SET retention_until = ?, retention_rule = ? WHERE id = ?", (until, rule, document_id)
    )


def documents_past(conn: sqlite3.Connection, today: str) -> list[sqlite3.Row]:
    """Return filed documents whose retention date lies before ``today``, oldest first."""
    return conn.execute(
        "SELECT * FROM documents WHERE state = 'filed' AND retention_until IS NOT NULL"
        " AND retention_until < ? ORDER BY retention_until, id",
        (today,),
    ).fetchall()


def client_document_ids(conn: sqlite3.Connection, client_id: str, include_disposed: bool = False) -> list[int]:
    states = "('filed', 'disposed')" if include_disposed else "('filed')"
    return [
        row[0]
        for row in conn.execute(
            f"SELECT id FROM documents WHERE client_id = ? AND state IN {states} ORDER BY id", (client_id,)
        )
    ]


def client_known(conn: sqlite3.Connection, client_id: str) -> bool:
    """Return whether any document (in any state) was ever filed for this client."""
    return conn.execute("SELECT 1 FROM documents WHERE client_id = ? LIMIT 1", (client_id,)).fetchone() is not None


# What a disposal deletes or blanks rows of: the tables whose dead rows a server vacuums after it.
ERASED_TABLES = ("documents", "pages", "facts", "document_notes", "document_tags", "custom_values")


def mark_disposed(conn: sqlite3.Connection, document_id: int, at: str) -> None:
    """Set state disposed and remove page texts and fact evidence (not the row itself)."""
    conn.execute(
        "UPDATE documents SET state = 'disposed', updated_at = ?, title = NULL, bsn = NULL,"
        " iban = NULL, amount = NULL, reference = NULL WHERE id = ?",
        (at, document_id),
    )
    conn.execute("DELETE FROM pages WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM facts WHERE document_id = ?", (document_id,))
    # Notes and custom values are written about the document: they go with its content.
    for table in ("document_notes", "document_tags", "custom_values"):
        conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))


# -- disposition approvals -----------------------------------------------------------


def add_approval(conn: sqlite3.Connection, document_id: int, approver: str, retention_until: str, at: str) -> None:
    conn.execute(
        "INSERT INTO disposition_approvals (document_id, approver, retention_until, approved_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (document_id, approver)"
        " DO UPDATE SET retention_until = excluded.retention_until, approved_at = excluded.approved_at",
        (document_id, approver, retention_until, at),
    )


def approvers(conn: sqlite3.Connection, document_id: int, retention_until: str) -> list[str]:
    """Return who approved destroying the document at this retention date, in order."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT approver FROM disposition_approvals WHERE document_id = ? AND retention_until = ?"
            " ORDER BY approved_at, approver",
            (document_id, retention_until),
        )
    ]


def clear_approvals(conn: sqlite3.Connection, document_ids: Iterable[int]) -> None:
    conn.executemany("DELETE FROM disposition_approvals WHERE document_id = ?", [(i,) for i in document_ids])


def awaiting_approval(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT a.* FROM disposition_approvals a JOIN documents d ON d.id = a.document_id"
        " WHERE d.state = 'filed' AND a.retention_until = d.retention_until ORDER BY a.document_id"
    ).fetchall()


# -- tombstones and certificates -----------------------------------------------------


def insert_tombstone(conn: sqlite3.Connection, values: Mapping[str, Any]) -> None:
    conn.execute(
        "INSERT INTO tombstones (document_id, sha256, size, original_filename, mime_type, document_type,"
        " client_id, document_date, created_at, filed_at, retention_until, retention_rule, citation,"
        " approved_by, disposed_at) VALUES (:document_id, :sha256, :size, :original_filename, :mime_type,"
        " :document_type, :client_id, :document_date, :created_at, :filed_at, :retention_until,"
        " :retention_rule, :citation, :approved_by, :disposed_at)",
        dict(values),
    )


def get_tombstone(conn: sqlite3.Connection, document_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM tombstones WHERE document_id = ?", (document_id,)).fetchone()


def tombstones_pending(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Return tombstones whose bytes were not yet removed or that lack a certificate."""
    return conn.execute(
        "SELECT * FROM tombstones WHERE bytes_destroyed_at IS NULL OR certificate_id IS NULL ORDER BY document_id"
    ).fetchall()


def set_bytes_destroyed(conn: sqlite3.Connection, document_id: int, at: str) -> None:
    conn.execute("UPDATE tombstones SET bytes_destroyed_at = ? WHERE document_id = ?", (at, document_id))


def set_certificate(conn: sqlite3.Connection, document_ids: Iterable[int], certificate_id: int) -> None:
    conn.executemany(
        "UPDATE tombstones SET certificate_id = ? WHERE document_id = ?",
        [(certificate_id, i) for i in document_ids],
    )


def insert_certificate(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    cursor = conn.execute(
        "INSERT INTO certificates (id, created_at, approved_by, documents, html_path, html_sha256, json_path,"
        " json_sha256) VALUES (:id, :created_at, :approved_by, :documents, :html_path, :html_sha256,"
        " :json_path, :json_sha256) RETURNING id",
        dict(values),
    )
    return inserted_id(cursor)


def next_certificate_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM certificates").fetchone()[0])


def list_certificates(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM certificates ORDER BY id").fetchall()


def get_certificate(conn: sqlite3.Connection, certificate_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM certificates WHERE id = ?", (certificate_id,)).fetchone()


# -- checkpoints and bookkeeping -----------------------------------------------------


def insert_checkpoint(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    cursor = conn.execute(
        "INSERT INTO checkpoints (at, entries, head_seq, head_hash, signature, file, number, digest)"
        " VALUES (:at, :entries, :head_seq, :head_hash, :signature, :file, :number, :digest) RETURNING id",
        {"number": None, "digest": None, **values},
    )
    return inserted_id(cursor)


def latest_numbered_checkpoint(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """Return the checkpoint with the highest number (the series the current release writes)."""
    return conn.execute("SELECT * FROM checkpoints WHERE number IS NOT NULL ORDER BY number DESC LIMIT 1").fetchone()


def unwitnessed_checkpoints(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Return the numbered checkpoints not yet handed to the witness, oldest first."""
    return conn.execute(
        "SELECT c.* FROM checkpoints c LEFT JOIN checkpoint_witnessed w ON w.number = c.number"
        " WHERE c.number IS NOT NULL AND w.number IS NULL ORDER BY c.number"
    ).fetchall()


def mark_witnessed(conn: sqlite3.Connection, number: int, at: str) -> None:
    conn.execute(
        "INSERT INTO checkpoint_witnessed (number, at) VALUES (?, ?) ON CONFLICT (number) DO NOTHING", (number, at)
    )


def list_checkpoints(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM checkpoints ORDER BY id").fetchall()


def latest_checkpoint(conn: sqlite3.Connection) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM checkpoints ORDER BY id DESC LIMIT 1").fetchone()


def get_value(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM records_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_value(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO records_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# -- audit trail queries (read only) --------------------------------------------------


def audit_head(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """Return the last entry of the chain and how many entries there are."""
    return conn.execute(
        "SELECT seq, hash, (SELECT count(*) FROM audit_log) AS entries FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()


def iter_chain(conn: sqlite3.Connection, batch: int = 20000) -> Iterator[tuple]:
    """Yield every audit entry as a plain tuple in column order, by seq (the fast path for verify)."""
    return _stream(
        conn,
        "SELECT seq, at, actor, action, document_id, client_id, address, details, prev_hash, hash"
        " FROM audit_log ORDER BY seq",
        batch,
    )


def iter_chain_bodies(conn: sqlite3.Connection, batch: int = 20000) -> Iterator[tuple[int, str, str, str]]:
    """Yield (seq, hashed body, prev_hash, hash) per entry by seq; the body is the JSON list
    [seq, at, actor, action, document_id, client_id, address, details] made by SQLite."""
    return _stream(
        conn,
        "SELECT seq, json_array(seq, at, actor, action, document_id, client_id, address, details),"
        " prev_hash, hash FROM audit_log ORDER BY seq",
        batch,
    )


def _stream(conn: sqlite3.Connection, sql: str, batch: int) -> Iterator[tuple]:
    # Plain tuples fetched in batches: a long trail never sits in memory as Row objects.
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql)
    while rows := cursor.fetchmany(batch):
        yield from rows


def iter_seals(conn: sqlite3.Connection, batch: int = 20000) -> Iterator[tuple[int, str, str | None]]:
    """Yield (seq, hash, seal) of every audit entry, by seq."""
    return _stream(conn, "SELECT seq, hash, seal FROM audit_log ORDER BY seq", batch)


def audit_hash(conn: sqlite3.Connection, seq: int) -> str | None:
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return row[0] if row else None


def audit_entry(conn: sqlite3.Connection, seq: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM audit_log WHERE seq = ?", (seq,)).fetchone()


def filter_audit(
    conn: sqlite3.Connection, filters: Mapping[str, Any], limit: int | None, newest_first: bool = False
) -> list[sqlite3.Row]:
    """Return audit entries matching every given filter, oldest (or newest) first.

    Filters: document_id, actor, since (ISO text, inclusive), until (exclusive),
    client_id (entries naming the client or one of its documents), actions (list).
    """
    clauses, params = [], []
    if filters.get("document_id") is not None:
        clauses.append("document_id = ?")
        params.append(filters["document_id"])
    if filters.get("actor"):
        clauses.append("actor = ?")
        params.append(filters["actor"])
    if filters.get("since"):
        clauses.append("at >= ?")
        params.append(filters["since"])
    if filters.get("until"):
        clauses.append("at < ?")
        params.append(filters["until"])
    if filters.get("client_id"):
        clauses.append("(client_id = ? OR document_id IN (SELECT id FROM documents WHERE client_id = ?))")
        params += [filters["client_id"], filters["client_id"]]
    if filters.get("actions"):
        clauses.append(f"action IN ({','.join('?' * len(filters['actions']))})")
        params += list(filters["actions"])
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    tail = " LIMIT ?" if limit else ""
    sql = f"SELECT * FROM audit_log{where} ORDER BY seq{' DESC' if newest_first else ''}{tail}"
    return conn.execute(sql, params + ([limit] if limit else [])).fetchall()


def audit_for_documents(conn: sqlite3.Connection, document_ids: Iterable[int]) -> list[sqlite3.Row]:
    """Return every audit entry about these documents, in chain order."""
    wanted = sorted(set(document_ids))
    rows: list[sqlite3.Row] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows += conn.execute(
            f"SELECT * FROM audit_log WHERE document_id IN ({','.join('?' * len(chunk))})", chunk
        ).fetchall()
    return sorted(rows, key=lambda row: row["seq"])


def last_audit_for_document(conn: sqlite3.Connection, document_id: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM audit_log WHERE document_id = ? ORDER BY seq DESC LIMIT 1", (document_id,)
    ).fetchone()


def arrival_entries(conn: sqlite3.Connection) -> list[tuple[int, int | None, str]]:
    """Return (seq, document_id, details) of every entry recording a document's arrival."""
    return [
        (row[0], row[1], row[2])
        for row in conn.execute("SELECT seq, document_id, details FROM audit_log WHERE action = 'receive' ORDER BY seq")
    ]


def document_fingerprints(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    """Return (sha256, state) of every document row, by id."""
    return {row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, sha256, state FROM documents")}


def tombstone_fingerprints(conn: sqlite3.Connection) -> dict[int, str]:
    """Return the sha256 of every tombstone, by document id."""
    return {row[0]: row[1] for row in conn.execute("SELECT document_id, sha256 FROM tombstones")}
