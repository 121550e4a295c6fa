"""Long checks in the database: any web node answers how far an auditor's check is."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

# A check runs in a thread of the node that started it; its progress, outcome and the file
# it wrote (inside the shared home) are kept here, so a poll that reaches another node is
# answered all the same. The running node beats: a running job whose beat stopped is lost.
# The id is a random token and says nothing of who started what.
_SCHEMA = """
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    user_name    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0,
    total        INTEGER,
    state        TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished', 'failed')),
    result       TEXT,
    error        TEXT,
    file         TEXT,
    node         TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    ended_at     TEXT
);
CREATE INDEX jobs_ended_at ON jobs (ended_at);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add the jobs table."""
    run_script(conn, _SCHEMA)
