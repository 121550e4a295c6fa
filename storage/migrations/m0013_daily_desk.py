"""The daily desk: tags, notes, saved searches, custom field values, and who set a title."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

_SCHEMA = """
-- NULL: the title follows the facts (type, client, date, reference); else the person who set it.
ALTER TABLE documents ADD COLUMN title_set_by TEXT;

CREATE TABLE document_tags (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    tag         TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (document_id, tag)
);
CREATE INDEX document_tags_tag ON document_tags (tag);

CREATE TABLE document_notes (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    author      TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX document_notes_document ON document_notes (document_id);

-- A query saved under a name: the owner's own, or shared with everyone of a role.
CREATE TABLE saved_searches (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    query       TEXT NOT NULL,
    owner       TEXT NOT NULL,
    shared_role TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX saved_searches_owner ON saved_searches (owner);

-- Values of the custom fields an administrator defines per document type in the configuration.
CREATE TABLE custom_values (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    name        TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (document_id, name)
);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add tags, notes, saved searches, custom values and the title's setter."""
    run_script(conn, _SCHEMA)
