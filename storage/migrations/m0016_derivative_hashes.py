"""Fixity of derivatives: the hash of each searchable PDF and thumbnail as it was made."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

# A derivative is rebuilt from its original whenever it is found altered, so its recorded
# hash says which bytes the archive made. Keyed by the original's hash, as the store is.
_SCHEMA = """
CREATE TABLE derivatives (
    sha256      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    digest      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (sha256, kind)
);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add the derivatives table."""
    run_script(conn, _SCHEMA)
