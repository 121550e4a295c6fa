"""Several nodes on one database: leases (one inbox watcher at a time) and the change feed
(a sequence of filed, changed and disposed documents that each node's search index follows)."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

_SCHEMA = """
-- A lease is held by one node until it expires; the holder renews it well before then.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    taken_at   TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Every change of a document row, in commit order (writers take one lock): a node's index
-- reads what came after the last seq it applied. Only ids: nothing of a document's content.
CREATE TABLE document_changes (
    seq         INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL,
    state       TEXT NOT NULL
);
CREATE TRIGGER documents_feed_insert AFTER INSERT ON documents
BEGIN INSERT INTO document_changes (document_id, state) VALUES (NEW.id, NEW.state); END;
CREATE TRIGGER documents_feed_update AFTER UPDATE ON documents
BEGIN INSERT INTO document_changes (document_id, state) VALUES (NEW.id, NEW.state); END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add the leases and the documents' change feed."""
    run_script(conn, _SCHEMA)
