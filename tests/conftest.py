"""Fixtures shared by every test: a test configuration on a temporary home, an archive."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from archive.config import Config, load_config
from tests import catalogues, processes
from tests.documents import CORPUS


def pytest_configure(config: pytest.Config) -> None:
    catalogues.compile_stale()


@pytest.fixture(autouse=True)
def no_child_outlives_the_test():
    """Fail a test that leaves a process running (a pool, a server, a watcher it did not stop)."""
    before = processes.children()
    yield
    left = processes.outliving(before)
    assert not left, f"processes outlived the test: {left}"


@pytest.fixture(scope="session", autouse=True)
def multiprocessing_helpers_stop_at_the_end():
    """Stop the fork server and resource tracker of this test process (each xdist worker too)."""
    yield
    processes.stop_multiprocessing_helpers()


# The rooms whose tests run on both databases parametrise their `config` with these.
ENGINES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql))


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server on loopback for this test process, stopped at the end."""
    from tests.postgres import PostgresServer

    server = PostgresServer()
    try:
        server.start()
        server.prepare_template()
        yield server
    finally:
        server.stop()


def on_engine(config: Config, engine: str, request: pytest.FixtureRequest) -> Config:
    """Return the configuration with a fresh database of ``engine`` (its own on the test server)."""
    if engine == "sqlite":
        return config
    url = request.getfixturevalue("postgres_server").new_database()
    return dataclasses.replace(config, database=dataclasses.replace(config.database, url=url))


def home_config(tmp_path: Path) -> Config:
    """A configuration whose home is a fresh temporary folder, two OCR workers."""
    base = load_config(home=tmp_path / "home")
    return dataclasses.replace(base, ocr=dataclasses.replace(base.ocr, workers=2))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A configuration whose home is a fresh temporary folder, two OCR workers."""
    return home_config(tmp_path)


@pytest.fixture
def archive(config: Config):
    """A real archive (SQLite file, Whoosh index, file store) on the temporary home."""
    from archive.service import Archive

    opened = Archive.open(config, create=True)
    yield opened
    opened.close()


@pytest.fixture
def corpus() -> Path:
    """The shared public corpus, read in place; skips when it is absent (a fresh clone)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside this checkout ({CORPUS})")
    return CORPUS
