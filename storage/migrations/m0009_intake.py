"""What enters besides single files: scanned stacks and e-mail messages, and where each document came from."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

_SCHEMA = """
-- A scanned stack: its original is kept (and fixity-checked) like a document's; each
-- of its parts is a document of its own that names the stack and its pages.
CREATE TABLE stacks (
    id                INTEGER PRIMARY KEY,
    sha256            TEXT NOT NULL UNIQUE,
    size              INTEGER NOT NULL,
    mime_type         TEXT NOT NULL,
    original_filename TEXT NOT NULL,
    source            TEXT,
    channel           TEXT NOT NULL,
    pages             INTEGER,
    parts             INTEGER,
    state             TEXT NOT NULL CHECK (state IN ('received', 'split', 'disposed')),
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    split_at          TEXT,
    last_error        TEXT
);

ALTER TABLE documents ADD COLUMN stack_id INTEGER REFERENCES stacks (id);
ALTER TABLE documents ADD COLUMN stack_sha256 TEXT;
ALTER TABLE documents ADD COLUMN stack_first INTEGER;
ALTER TABLE documents ADD COLUMN stack_last INTEGER;
ALTER TABLE documents ADD COLUMN stack_page_list TEXT;
ALTER TABLE documents ADD COLUMN mail_message_id TEXT;
ALTER TABLE documents ADD COLUMN mail_from TEXT;
ALTER TABLE documents ADD COLUMN mail_subject TEXT;
ALTER TABLE documents ADD COLUMN mail_date TEXT;
CREATE INDEX documents_stack ON documents (stack_id);
CREATE INDEX documents_mail ON documents (mail_message_id);

-- Every message taken in (IMAP, or an .eml/.msg file): a Message-ID is filed once.
CREATE TABLE mail_messages (
    id          INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL UNIQUE,
    account     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    sender      TEXT,
    subject     TEXT,
    sent_at     TEXT,
    size        INTEGER,
    raw_sha256  TEXT,  -- the message's own bytes, kept in the store as evidence
    state       TEXT NOT NULL CHECK (state IN ('received', 'filed', 'failed')),
    documents   TEXT NOT NULL DEFAULT '[]',
    skipped     TEXT NOT NULL DEFAULT '[]',
    error       TEXT,
    received_at TEXT NOT NULL,
    ended_at    TEXT
);

-- Each account's last poll, for `archive status`.
CREATE TABLE mail_accounts (
    name        TEXT PRIMARY KEY,
    last_poll   TEXT,
    last_ok     TEXT,
    last_error  TEXT,
    error_at    TEXT,
    filed       INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0
);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add stacks, mail messages and the documents' provenance columns."""
    run_script(conn, _SCHEMA)
