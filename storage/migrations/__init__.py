"""Schema migrations: modules ``mNNNN_name.py`` with ``migrate(conn)``, applied in order."""

from __future__ import annotations

import importlib
import pkgutil
import re
import sqlite3
from collections.abc import Callable

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
        raise MigrationError("Two schema migrations share a number.")
    return sorted(found)


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
    )
    done = {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}
    applied = []
    for number, name, migrate in discover():
        if number in done:
            continue
        try:
            migrate(conn)
        except sqlite3.Error as exc:
            raise MigrationError(f"Schema migration {name} failed: {exc}.") from exc
        conn.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)", (number, name))
        applied.append(name)
    return applied


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute a multi-statement SQL script inside the current transaction.

    ``executescript`` would commit first; this keeps a migration all-or-nothing.
    """
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                conn.execute(pending)
            pending = ""
