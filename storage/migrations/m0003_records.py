"""Records management: legal holds, retention events, disposition approvals, tombstones,
certificates of destruction, audit-chain checkpoints and small bookkeeping values."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

_SCHEMA = """
CREATE TABLE holds (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER REFERENCES documents (id),
    client_id      TEXT,
    reason         TEXT NOT NULL,
    case_reference TEXT,
    placed_by      TEXT NOT NULL,
    placed_at      TEXT NOT NULL,
    released_by    TEXT,
    released_at    TEXT,
    release_reason TEXT,
    CHECK ((document_id IS NULL) <> (client_id IS NULL))
);
CREATE INDEX holds_document ON holds (document_id) WHERE released_at IS NULL;
CREATE INDEX holds_client ON holds (client_id) WHERE released_at IS NULL;

-- Events that start a retention period later (employment ended, dossier closed).
CREATE TABLE retention_events (
    id          INTEGER PRIMARY KEY,
    event       TEXT NOT NULL,
    document_id INTEGER REFERENCES documents (id),
    client_id   TEXT,
    happened_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK ((document_id IS NULL) <> (client_id IS NULL))
);
CREATE INDEX retention_events_client ON retention_events (client_id);
CREATE INDEX retention_events_document ON retention_events (document_id);

-- One row per records manager who approved destroying a document at a retention date.
CREATE TABLE disposition_approvals (
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    approver        TEXT NOT NULL,
    retention_until TEXT NOT NULL,
    approved_at     TEXT NOT NULL,
    PRIMARY KEY (document_id, approver)
);

CREATE TABLE certificates (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    documents   TEXT NOT NULL,
    html_path   TEXT NOT NULL,
    html_sha256 TEXT NOT NULL,
    json_path   TEXT NOT NULL,
    json_sha256 TEXT NOT NULL
);

-- What is kept of a destroyed document.
CREATE TABLE tombstones (
    document_id       INTEGER PRIMARY KEY REFERENCES documents (id),
    sha256            TEXT NOT NULL,
    size              INTEGER NOT NULL,
    original_filename TEXT NOT NULL,
    mime_type         TEXT,
    document_type     TEXT,
    client_id         TEXT,
    document_date     TEXT,
    created_at        TEXT NOT NULL,
    filed_at          TEXT,
    retention_until   TEXT NOT NULL,
    retention_rule    TEXT,
    citation          TEXT,
    approved_by       TEXT NOT NULL,
    disposed_at       TEXT NOT NULL,
    bytes_destroyed_at TEXT,
    certificate_id    INTEGER REFERENCES certificates (id)
);

CREATE TABLE checkpoints (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    entries   INTEGER NOT NULL,
    head_seq  INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    signature TEXT NOT NULL,
    file      TEXT NOT NULL
);

CREATE TABLE records_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The last line of defence: whatever code path tries it, the database refuses to mark
-- a held document disposed, or one without a retention date.
CREATE TRIGGER documents_no_disposal_under_hold BEFORE UPDATE OF state ON documents
WHEN NEW.state = 'disposed' AND OLD.state != 'disposed' AND (
    NEW.retention_until IS NULL
    OR EXISTS (SELECT 1 FROM holds WHERE released_at IS NULL
               AND (document_id = NEW.id OR client_id = NEW.client_id)))
BEGIN SELECT RAISE(ABORT, 'the document is on legal hold or has no retention date'); END;

-- A disposed document never comes back.
CREATE TRIGGER documents_disposed_is_final BEFORE UPDATE OF state ON documents
WHEN OLD.state = 'disposed' AND NEW.state != 'disposed'
BEGIN SELECT RAISE(ABORT, 'a destroyed document cannot be restored'); END;

-- Tombstones, certificates and checkpoints are evidence: never changed or removed
-- (a tombstone only gets the time its bytes were removed and its certificate).
CREATE TRIGGER tombstones_no_delete BEFORE DELETE ON tombstones
BEGIN SELECT RAISE(ABORT, 'tombstones are kept for good'); END;
CREATE TRIGGER tombstones_fixed BEFORE UPDATE ON tombstones
WHEN NEW.document_id != OLD.document_id OR NEW.sha256 != OLD.sha256
  OR NEW.approved_by != OLD.approved_by OR NEW.disposed_at != OLD.disposed_at
  OR NEW.retention_until != OLD.retention_until
BEGIN SELECT RAISE(ABORT, 'tombstones are kept for good'); END;
CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates
BEGIN SELECT RAISE(ABORT, 'certificates of destruction are kept for good'); END;
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates
BEGIN SELECT RAISE(ABORT, 'certificates of destruction are kept for good'); END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are kept for good'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are kept for good'); END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Create the records-management tables and their guards."""
    run_script(conn, _SCHEMA)
