"""Clients of the office and the clerks' corrections of extracted facts."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

_SCHEMA = """
CREATE TABLE clients (
    client_id    TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
    kvk          TEXT,
    vat          TEXT,
    iban         TEXT,
    bsn          TEXT,
    email        TEXT,
    street       TEXT,
    house_number TEXT,
    postcode     TEXT,
    city         TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX clients_name ON clients (name COLLATE NOCASE);

-- Every change a clerk makes to an extracted fact: who, when, from what to what.
-- The document-type corrections teach the type classifier.
CREATE TABLE fact_corrections (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    fact        TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX fact_corrections_fact ON fact_corrections (fact, document_id);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Create the clients and fact_corrections tables."""
    run_script(conn, _SCHEMA)
