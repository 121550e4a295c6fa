"""Comparing a database's schema with the one this release's migrations make.

The append-only guards of the audit trail, the tombstones and the checkpoints are
triggers: someone with the database file can drop them (and put them back after an
edit). The expected schema is not stored anywhere an intruder could edit it: it is
rebuilt from the migrations themselves in memory and compared object by object —
tables by their columns, indexes, triggers and views by their SQL (comments and
spacing aside).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from storage.dialect import dialect_of
from storage.migrations import apply_migrations, schema_version

_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SchemaDifference:
    kind: str  # missing | changed | extra
    type: str  # table | index | trigger | view
    name: str


def schema_of(conn: sqlite3.Connection) -> dict[tuple[str, str], object]:
    """Return every schema object (type, name) with what defines it."""
    objects: dict[tuple[str, str], object] = {}
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    for kind, name, _table, sql in rows:
        if kind == "table":
            columns = conn.execute(f'PRAGMA table_xinfo("{name}")').fetchall()
            objects[(kind, name)] = tuple(tuple(column)[1:] for column in columns)
        else:
            objects[(kind, name)] = _normalised(sql or "")
    return objects


@lru_cache(maxsize=8)
def expected_schema(version: int) -> dict[tuple[str, str], object]:
    """Return the schema the migrations up to ``version`` make in a new database."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        apply_migrations(conn, upto=version)
        return schema_of(conn)
    finally:
        conn.close()


def schema_differences(conn: sqlite3.Connection) -> list[SchemaDifference]:
    """Return how the database's schema differs from what its migrations made."""
    if dialect_of(conn).name != "sqlite":
        return _server_differences(conn)
    expected = expected_schema(schema_version(conn))
    actual = schema_of(conn)
    found = [SchemaDifference("missing", kind, name) for (kind, name) in expected if (kind, name) not in actual]
    found += [
        SchemaDifference("changed", kind, name)
        for (kind, name), value in actual.items()
        if (kind, name) in expected and expected[(kind, name)] != value
    ]
    found += [SchemaDifference("extra", kind, name) for (kind, name) in actual if (kind, name) not in expected]
    return found


def _normalised(sql: str) -> str:
    return _SPACE.sub(" ", _COMMENT.sub(" ", sql)).strip().lower()


# On PostgreSQL the server's catalogue is asked by name: every table, index and guard trigger
# the migrations make must be there, and no trigger the archive did not make. (The server
# adds its own indexes for keys and writes definitions its own way, so only names compare.)
_SERVER_OBJECTS = {
    "table": "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    " AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'procrastinate%'",
    "index": "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()",
    "trigger": "SELECT DISTINCT trigger_name FROM information_schema.triggers"
    " WHERE trigger_schema = current_schema() AND event_object_table NOT LIKE 'procrastinate%'",
}


def _server_differences(conn: sqlite3.Connection) -> list[SchemaDifference]:
    expected = expected_schema(schema_version(conn))
    actual = {kind: {row[0] for row in conn.execute(sql)} for kind, sql in _SERVER_OBJECTS.items()}
    found = [
        SchemaDifference("missing", kind, name)
        for (kind, name) in expected
        if kind in actual and name not in actual[kind]
    ]
    found += [
        SchemaDifference("extra", "trigger", name)
        for name in sorted(actual["trigger"])
        if ("trigger", name) not in expected
    ]
    return found
