"""The storage tests run on both engines: an SQLite file and a database on the PostgreSQL test server."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.engines import open_database
from tests.conftest import ENGINES


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a fresh, empty database is: a file path, or the URL of a new database on the test server."""
    if engine == "sqlite":
        return str(tmp_path / "a.sqlite3")
    return request.getfixturevalue("postgres_server").new_database(migrated=False)


@pytest.fixture
def database(target: str):
    """A database of either engine with every migration applied, closed after the test."""
    db = open_database(target)
    yield db
    db.close()
