"""Second-factor codes are good once: remember the last time step each user logged in with."""

from __future__ import annotations

import sqlite3


def migrate(conn: sqlite3.Connection) -> None:
    """Add users.totp_last_step (NULL until the first code is used)."""
    # A code stays valid for up to 90 s (one step either side for clock drift); someone who
    # sees it typed, or an intercepted log-in, must not be able to log in with it again.
    conn.execute("ALTER TABLE users ADD COLUMN totp_last_step INTEGER")
