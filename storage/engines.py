"""Which engine a database target names, and opening it: the one place that knows both.

A path (or ``":memory:"``) is an SQLite file in the home, the embedded default; a
``postgresql://`` URL is a PostgreSQL server (``storage.postgres``, which loads psycopg
only when a server is named).
"""

from __future__ import annotations

from pathlib import Path

from storage.database import Database

_URL_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(target: Path | str) -> bool:
    """Return whether a database target names a PostgreSQL server rather than an SQLite file."""
    return isinstance(target, str) and target.startswith(_URL_SCHEMES)


def open_database(target: Path | str, pool_size: int = 10) -> Database:
    """Return the database at ``target`` (a file, ``":memory:"`` or a ``postgresql://`` URL), its
    schema brought up to date; ``pool_size`` is the most server connections a PostgreSQL database keeps.

    Raises MigrationError when a migration fails (the database is then left as it was),
    StorageError when a server cannot be reached.
    """
    if is_server_url(target):
        from storage.postgres import PostgresDatabase

        return PostgresDatabase.open(target, pool_size)
    return Database.open(target)
