"""Sealed audit entries and numbered, chained checkpoints.

Each audit entry gets a ``seal`` (a keyed MAC of its hash; entries written before
this migration have none). Checkpoints get a ``number`` in one unbroken series, the
``digest`` the next one names; when each reached the witness is a row of its own
(checkpoints are never updated). Adding a column fires no trigger: the append-only
guards stay as they are.
"""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

_SCHEMA = """
ALTER TABLE audit_log ADD COLUMN seal TEXT;
ALTER TABLE checkpoints ADD COLUMN number INTEGER;
ALTER TABLE checkpoints ADD COLUMN digest TEXT;
CREATE UNIQUE INDEX checkpoints_number ON checkpoints (number) WHERE number IS NOT NULL;

CREATE TABLE checkpoint_witnessed (
    number INTEGER PRIMARY KEY,
    at     TEXT NOT NULL
);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add the seal column to the audit trail and the series columns to the checkpoints."""
    run_script(conn, _SCHEMA)
