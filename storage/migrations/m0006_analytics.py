"""Analytics: find one kind of audit entry within a period without reading the whole trail."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

# The analysis asks "every <action> between two moments" for a handful of actions;
# with this index each question reads only its own entries, however long the trail.
_SCHEMA = """
CREATE INDEX IF NOT EXISTS audit_action_at ON audit_log (action, at);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Index the audit trail by action and time."""
    run_script(conn, _SCHEMA)
