"""Core tables: documents, their pages and facts, duplicates seen, the audit trail."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

_SCHEMA = """
CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    sha256            TEXT NOT NULL UNIQUE,
    size              INTEGER NOT NULL,
    mime_type         TEXT,
    original_filename TEXT NOT NULL,
    source            TEXT,
    channel           TEXT NOT NULL DEFAULT 'cli',
    state             TEXT NOT NULL CHECK (state IN ('received', 'filed', 'disposed')),
    title             TEXT,
    pages             INTEGER,
    ocr               INTEGER,
    ocr_confidence    REAL,
    client_id         TEXT,
    document_type     TEXT,
    document_date     TEXT,
    amount            TEXT,
    currency          TEXT,
    iban              TEXT,
    reference         TEXT,
    bsn               TEXT,
    needs_review      INTEGER NOT NULL DEFAULT 0,
    review_reasons    TEXT NOT NULL DEFAULT '[]',
    hinted            TEXT NOT NULL DEFAULT '{}',
    retention_until   TEXT,
    retention_rule    TEXT,
    has_rendition     INTEGER NOT NULL DEFAULT 0,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    filed_at          TEXT,
    updated_at        TEXT NOT NULL,
    last_error        TEXT,
    failed_at         TEXT
);
CREATE INDEX documents_state ON documents (state);
CREATE INDEX documents_client ON documents (client_id);
CREATE INDEX documents_review ON documents (needs_review, created_at);
CREATE INDEX documents_retention ON documents (retention_until);

CREATE TABLE pages (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    number      INTEGER NOT NULL,
    text        TEXT NOT NULL,
    ocr         INTEGER NOT NULL,
    confidence  REAL,
    rotated     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, number)
);

CREATE TABLE facts (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    name        TEXT NOT NULL,
    value       TEXT,
    confidence  REAL,
    page        INTEGER,
    source_text TEXT,
    origin      TEXT NOT NULL DEFAULT 'extracted',
    PRIMARY KEY (document_id, name)
);

CREATE TABLE duplicates (
    id                INTEGER PRIMARY KEY,
    document_id       INTEGER NOT NULL REFERENCES documents (id),
    original_filename TEXT NOT NULL,
    source            TEXT,
    channel           TEXT NOT NULL,
    actor             TEXT NOT NULL,
    at                TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    document_id INTEGER,
    client_id   TEXT,
    address     TEXT,
    details     TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_document ON audit_log (document_id);
CREATE INDEX audit_client ON audit_log (client_id);
CREATE INDEX audit_actor_at ON audit_log (actor, at);

-- The audit trail is append-only: the database itself refuses edits and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Create the core tables."""
    run_script(conn, _SCHEMA)
