"""Sessions that end: a per-user session version, and passwords an administrator set for one use."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

# Every web session carries the version it was opened under; logging out, a new password,
# another role or disabling the user moves it on, which ends every other session of that
# user at once (a copied cookie included). A temporary password from an administrator
# works only to choose a new one.
_SCHEMA = """
ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add users.session_version and users.must_change_password."""
    run_script(conn, _SCHEMA)
