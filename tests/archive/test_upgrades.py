"""Upgrades: a home made by every schema version opens in this release, verified and whole.

The homes under tests/fixtures/homes/ are built once per schema version by
tests/fixtures/build_homes.py and then never rebuilt: each stands for what that
release wrote. Opening one applies the later migrations; the result must pass
`archive verify`, hold every record, and have exactly the schema of a new home.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.access.actors import Actor
from archive.cli import main
from archive.config import Config
from archive.errors import ExitCode
from search import SearchRequest
from storage.database import Database
from storage.migrations import latest_number
from tests.fixtures.build_homes import HOMES, PASSWORD, WORDS, home_name, schema_versions

VERSIONS = schema_versions()
AUDITOR = Actor("aad", "auditor")


def test_every_schema_version_has_its_fixture_home() -> None:
    missing = [home_name(v) for v in VERSIONS if not (HOMES / home_name(v) / "archive.sqlite3").exists()]
    assert not missing, f"run tests/fixtures/build_homes.py to add {', '.join(missing)}"


def _copy(version: int, tmp_path: Path) -> Path:
    home = tmp_path / home_name(version)
    shutil.copytree(HOMES / home_name(version), home)
    # Git keeps no file modes but the executable bit: give the home the modes the archive
    # leaves on its own files (verify reports a home other users can read).
    for path in home.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    home.chmod(0o700)
    return home


def _schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return sorted(
            conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fresh_schema(tmp_path_factory) -> list[tuple]:
    path = tmp_path_factory.mktemp("fresh") / "archive.sqlite3"
    Database.open(path).close()
    return _schema(path)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_home_of_every_schema_version_opens_verified_and_whole(
    version: int, config: Config, tmp_path: Path, fresh_schema
) -> None:
    from archive.service import Archive

    home = _copy(version, tmp_path)
    with Archive.open(config.with_home(home)) as archive:
        report = archive.verify_all(AUDITOR)
        assert report["ok"], report["problems"]
        # Two kept originals (the destroyed one's bytes are gone); from 0009 two more documents, a
        # stack and an e-mail message kept whole.
        assert report["files_checked"] == (2 if version < 9 else 6)
        for number, word in enumerate(WORDS[:2], start=1):
            document = archive.document(number, AUDITOR)
            assert document.state == "filed" and word in document.text and document.amount == f"{number}00.00"
            hits = archive.search(SearchRequest(query=word), AUDITOR)
            assert [hit.id for hit in hits.hits] == [number]  # the index was built from the old database
        if version >= 2:
            assert archive.document(1, AUDITOR).client_id == "K-10023"
        if version >= 3:
            assert archive.document(1, AUDITOR).legal_hold
            assert archive.document(3, AUDITOR).state == "disposed" and archive.tombstone_for(3)["certificate"]
        if version >= 4:
            assert archive.users.check_password("anna", PASSWORD, None).role == "clerk"
        if version >= 9:
            assert archive.document(5, AUDITOR).mail_subject == "Factuur april"
        if version >= 13:
            assert archive.document(1, AUDITOR).title == "Huurcontract Jansen"
    assert _schema(home / "archive.sqlite3") == fresh_schema


def test_the_oldest_home_upgrades_through_the_command_line(tmp_path: Path) -> None:
    home = _copy(VERSIONS[0], tmp_path)
    result = CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), "verify", "--json"])
    assert result.exit_code == 0, result.stderr + result.stdout
    applied = sqlite3.connect(home / "archive.sqlite3").execute("SELECT max(number) FROM schema_migrations")
    assert applied.fetchone()[0] == latest_number()


def test_a_failed_upgrade_is_a_sentence_and_leaves_the_home_as_it_was(tmp_path: Path, monkeypatch) -> None:
    import importlib

    from storage.migrations import discover

    home = _copy(VERSIONS[-2], tmp_path)
    before = list(sqlite3.connect(home / "archive.sqlite3").iterdump())
    _, name, _ = discover()[-1]

    def broken(conn) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(importlib.import_module(f"storage.migrations.{name}"), "migrate", broken)
    result = CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), "verify"])
    assert result.exit_code == ExitCode.STORAGE
    assert f"Schema migration {name} failed" in result.stderr and "left as it was" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(sqlite3.connect(home / "archive.sqlite3").iterdump()) == before
