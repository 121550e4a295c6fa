"""Inbox events: what arrived, what was taken, and how each taking ended, with durations."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

# One row per event. A terminal event (filed, duplicate, failed, vanished, handed_back)
# points at its 'taken' row; a 'taken' row with no terminal event is work in progress —
# or, after a crash, work to complete at the next start.
_SCHEMA = """
CREATE TABLE inbox_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    path        TEXT NOT NULL,
    event       TEXT NOT NULL CHECK (event IN
                ('arrived', 'taken', 'filed', 'duplicate', 'failed', 'vanished', 'handed_back')),
    take_id     INTEGER REFERENCES inbox_events (id),
    sha256      TEXT,
    document_id INTEGER,
    seconds     REAL,
    reason      TEXT
);
CREATE INDEX inbox_events_event_at ON inbox_events (event, at);
CREATE INDEX inbox_events_take ON inbox_events (take_id);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Create the inbox events table."""
    run_script(conn, _SCHEMA)
