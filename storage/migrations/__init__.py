"""Schema migrations: modules ``mNNNN_name.py`` with ``migrate(conn)``, applied in order.

A run of migrations is all-or-nothing: every pending migration and its row in
``schema_migrations`` are applied inside one savepoint, so a migration that fails —
with an SQL error or any other exception — leaves the database exactly as it was,
and the error says which migration failed and why. A database whose schema is newer
than this release knows is refused instead of being opened by code that does not
understand it.

Migrations run inside that transaction: statements SQLite refuses or ignores in a
transaction (``VACUUM``, ``PRAGMA foreign_keys``, ``PRAGMA journal_mode``) have no place
in a migration.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sqlite3
from collections.abc import Callable

from storage.dialect import dialect_of, postgres_script
from storage.errors import MigrationError

_NAME = re.compile(r"^m(\d{4})_\w+$")


def discover() -> list[tuple[int, str, Callable[[sqlite3.Connection], None]]]:
    """Return (number, name, migrate) for every migration module, in number order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = _NAME.match(info.name)
        if match:
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.append((int(match.group(1)), info.name, module.migrate))
    numbers = [number for number, _, _ in found]
    if len(numbers) != len(set(numbers)):
        raise MigrationError("database.migration_numbers", "Two schema migrations share a number.")
    return sorted(found)


def latest_number() -> int:
    """Return the number of the newest schema migration this release knows."""
    return max(number for number, _, _ in discover())


def schema_version(conn: sqlite3.Connection) -> int:
    """Return the highest migration number recorded in a database (0 for a new one)."""
    try:
        row = conn.execute("SELECT max(number) FROM schema_migrations").fetchone()
    except sqlite3.OperationalError:  # no schema_migrations table: nothing applied yet
        return 0
    return int(row[0] or 0)


def apply_migrations(conn: sqlite3.Connection, upto: int | None = None) -> list[str]:
    """Apply the migrations not yet recorded (up to number ``upto``); return the names applied.

    Raises MigrationError, with the database unchanged, when one fails or when the
    database was made by a newer release.
    """
    migrations = discover()
    conn.execute("SAVEPOINT apply_migrations")
    try:
        applied = _apply(conn, migrations, upto)
    except BaseException:
        conn.execute("ROLLBACK TO apply_migrations")
        conn.execute("RELEASE apply_migrations")
        raise
    conn.execute("RELEASE apply_migrations")
    return applied


def _apply(conn: sqlite3.Connection, migrations: list, upto: int | None) -> list[str]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        f" applied_at TEXT NOT NULL DEFAULT {dialect_of(conn).now_default})"
    )
    done = {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}
    known = max((number for number, _, _ in migrations), default=0)
    if done and max(done) > known:
        raise MigrationError(
            "database.too_new",
            "This archive's database has schema version {version}, made by a newer "
            "release of the archive; this release knows versions up to {known}. Run the newer release (the home was "
            "not changed).",
            version=max(done),
            known=known,
        )
    applied = []
    for number, name, migrate in migrations:
        if number in done or (upto is not None and number > upto):
            continue
        try:
            migrate(conn)
        except Exception as exc:  # any failure, SQL or not, must leave the database as it was
            raise MigrationError(
                "database.migration_failed",
                "Schema migration {name} failed ({error}: {exc}); the "
                "database was left as it was, at its previous version.",
                name=name,
                error=type(exc).__name__,
                exc=exc,
            ) from exc
        conn.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)", (number, name))
        applied.append(name)
    return applied


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute a multi-statement SQL script inside the current transaction.

    ``executescript`` would commit first; this keeps a migration all-or-nothing. On
    PostgreSQL the script is given the dialect's types and triggers first
    (``storage.dialect.postgres_script``).
    """
    if dialect_of(conn).name == "postgresql":
        for statement in postgres_script(script):
            conn.execute(statement)
        return
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                conn.execute(pending)
            pending = ""
