"""A failed schema migration leaves the database as it was and says which one failed and why."""

from __future__ import annotations

import importlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from storage.database import Database
from storage.errors import MigrationError
from storage.migrations import discover, latest_number, schema_version
from tests.fixtures.build_homes import HOMES, home_name, schema_versions

LATEST = latest_number()
PREVIOUS = schema_versions()[-2]


@pytest.fixture
def older(tmp_path: Path) -> Path:
    """The database of a home one schema version behind this release (a copy)."""
    path = tmp_path / "archive.sqlite3"
    shutil.copyfile(HOMES / home_name(PREVIOUS) / "archive.sqlite3", path)
    return path


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _break_latest(monkeypatch, failure: Exception) -> str:
    _, name, _ = discover()[-1]
    module = importlib.import_module(f"storage.migrations.{name}")
    real = module.migrate

    def broken(conn: sqlite3.Connection) -> None:
        real(conn)  # the migration's own work is done…
        conn.execute("CREATE TABLE half_done (x INTEGER)")
        raise failure  # …and then it fails

    monkeypatch.setattr(module, "migrate", broken)
    return name


@pytest.mark.parametrize(
    "failure", [sqlite3.OperationalError("no such column: nonsense"), ValueError("a date that does not parse")]
)
def test_a_failing_migration_changes_nothing(older: Path, monkeypatch, failure: Exception) -> None:
    before = _dump(older)
    name = _break_latest(monkeypatch, failure)
    with pytest.raises(MigrationError) as raised:
        Database.open(older)
    message = str(raised.value)
    assert name in message and str(failure) in message and "left as it was" in message
    assert _dump(older) == before  # schema_migrations included
    conn = sqlite3.connect(older)
    assert schema_version(conn) == PREVIOUS
    conn.close()
    monkeypatch.undo()
    Database.open(older).close()  # once the cause is fixed, the same file upgrades
    assert schema_version(sqlite3.connect(older)) == LATEST


def test_a_database_of_a_newer_release_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    Database.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations (number, name) VALUES (?, 'm_from_the_future')", (LATEST + 1,))
    conn.commit()
    conn.close()
    before = _dump(path)
    with pytest.raises(MigrationError, match=f"schema version {LATEST + 1}, made by a newer release"):
        Database.open(path)
    assert _dump(path) == before
