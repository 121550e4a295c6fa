"""Who is reading a received document, since when, and how many readings were stopped.

A document row in state ``received`` is claimed by the process that reads it, so two
channels receiving the same bytes at once (the command line and the inbox) read and
file it once; the attempt count survives restarts, so a document whose reading keeps
being stopped is set aside instead of being retried at every start.
"""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

_SCHEMA = """
ALTER TABLE documents ADD COLUMN reading_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN reading_by TEXT;
ALTER TABLE documents ADD COLUMN reading_since TEXT;
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add the reading claim and attempt count to documents."""
    run_script(conn, _SCHEMA)
