"""Fixtures for records management: an archive on a clock the test moves, documents to file."""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from archive.access.actors import Actor
from archive.clock import FixedClock
from archive.config import Config
from archive.documents.filing import FilingHints
from storage import documents_repo
from storage.dialect import dialect_of
from storage.engines import open_database
from tests.conftest import ENGINES, home_config, on_engine
from tests.documents import text_pdf

RITA = Actor("rita", "records_manager")
ROB = Actor("rob", "records_manager")
CLERK = Actor("carla", "clerk")
AUDITOR = Actor("aad", "auditor")
STAFF = Actor("sam", "staff")
ADMIN = Actor("ada", "admin")
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
_COUNTER = itertools.count(1)


@pytest.fixture(params=ENGINES)
def config(request: pytest.FixtureRequest, tmp_path: Path) -> Config:
    """The test configuration on SQLite, and again on a fresh PostgreSQL database: one records service, two engines.

    A module marked ``sqlite_file`` plays someone who edits the SQLite file itself: it runs on SQLite only.
    """
    if request.param == "postgresql" and request.node.get_closest_marker("sqlite_file"):
        pytest.skip("edits the SQLite file by hand; on PostgreSQL the same guards are tested in test_audit.py")
    return on_engine(home_config(tmp_path), request.param, request)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def open_archive(config: Config, clock: FixedClock):
    """Open (and later close) archives on the test home with the test clock."""
    from archive.service import Archive

    opened = []

    def _open(changed: Config | None = None, **records_changes):
        chosen = changed or config
        if records_changes:
            chosen = dataclasses.replace(chosen, records=dataclasses.replace(chosen.records, **records_changes))
        archive = Archive.open(chosen, clock=clock, create=True)
        opened.append(archive)
        return archive

    yield _open
    for archive in opened:
        archive.close()


@pytest.fixture
def records_archive(open_archive):
    archive = open_archive()
    archive.initialise()
    return archive


def file_document(
    archive,
    folder: Path,
    document_type: str = "invoice",
    document_date: date | None = None,
    client_id: str | None = None,
) -> int:
    """File a fresh born-digital PDF with the given facts; return its id."""
    number = next(_COUNTER)
    path = text_pdf(folder / f"doc-{number}.pdf", [f"Document {number} {folder.name}\nBetreft: test {number}"])
    outcome = archive.ingest(
        path, hints=FilingHints(document_type=document_type, document_date=document_date or date(2015, 6, 1))
    )
    assert outcome.status == "filed", outcome.error
    if client_id is not None:
        # As a clerk would: the client set and the document confirmed in the review queue.
        with archive.db.atomic() as conn:
            documents_repo.update_document(conn, outcome.id, client_id=client_id, needs_review=0, review_reasons="[]")
    return outcome.id


@contextmanager
def outside_connection(config: Config) -> Iterator[sqlite3.Connection]:
    """A connection of someone with direct database access, outside the archive (each statement commits)."""
    if config.on_server:
        db = open_database(config.database_target)
        try:
            yield db.read()
        finally:
            db.close()
        return
    conn = sqlite3.connect(config.database_path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


def drop_trigger(conn: sqlite3.Connection, name: str, table: str) -> None:
    """Drop a guard trigger, as an intruder with database access could."""
    conn.execute(f"DROP TRIGGER {name} ON {table}" if dialect_of(conn).name == "postgresql" else f"DROP TRIGGER {name}")
