"""Someone with the database file edits, deletes or adds rows: `archive verify` names it and fails.

The insider here holds a shell and the database, not the keys: document rows are
checked against the arrivals the (sealed) audit trail recorded, audit rows by the
trail's chain, seals and checkpoints.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.errors import ExitCode
from tests.documents import text_pdf

PASSWORD = "Kw1k-Zeer-Geheim!2026"


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner(mix_stderr=False).invoke(
        main, ["--home", str(home), *args], env={"ARCHIVE_ADMIN_PASSWORD": PASSWORD}
    )
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture(scope="module")
def filed_home(tmp_path_factory) -> Path:
    """A home with three filed documents (made once, copied per test)."""
    folder = tmp_path_factory.mktemp("insider")
    home = folder / "home"
    assert run(home, "init")[0] == 0
    for number in range(3):
        source = text_pdf(folder / f"doc{number}.pdf", [f"Brief {number}\nBetreft: dossier {number}"])
        code, out = run(home, "ingest", str(source), "--type", "letter", "--date", "2026-01-05")
        assert code == 0, out
    code, out = run(home, "verify")
    assert code == 0, out
    return home


@pytest.fixture
def home(filed_home: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(filed_home, copy)
    return copy


def _tamper(home: Path, *statements: str) -> None:
    conn = sqlite3.connect(home / "archive.sqlite3", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.close()


# Another fingerprint for sure: a fixed prefix is the real one's own once in 256 runs.
_OTHER_PREFIX = "(CASE WHEN substr(sha256, 1, 2) = 'cd' THEN 'ab' ELSE 'cd' END)"
_GUARDS_OFF = ("DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete")


@pytest.mark.parametrize(
    "statements,sentence",
    [
        (("DELETE FROM documents WHERE id = 2",), "Document 2 arrived (audit entry"),
        (
            ("UPDATE documents SET sha256 = " + _OTHER_PREFIX + " || substr(sha256, 3) WHERE id = 3",),
            "Document 3: the fingerprint in the database is not the one audit entry",
        ),
        (
            (
                "INSERT INTO documents (sha256, size, mime_type, original_filename, source, channel, state, created_by,"
                " created_at, updated_at) SELECT "
                + _OTHER_PREFIX
                + " || substr(sha256, 3), size, mime_type, 'extra.pdf', source,"
                " channel, state, created_by, created_at, updated_at FROM documents WHERE id = 1",
            ),
            "Document 4 is in the database but no audit entry records its arrival",
        ),
        (
            ("UPDATE documents SET state = 'disposed' WHERE id = 1",),
            "Document 1 is marked destroyed, but no disposal destroyed it",
        ),
        (
            (*_GUARDS_OFF, "UPDATE audit_log SET details = '{}' WHERE action = 'file' AND document_id = 2"),
            "was changed after it was written",
        ),
        # The check's own entry takes the deleted one's number: the head seal sees another entry there.
        (
            (*_GUARDS_OFF, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)"),
            "is not the one the head seal saw",
        ),
    ],
    ids=[
        "row deleted",
        "fingerprint changed",
        "row added",
        "marked destroyed",
        "audit entry edited",
        "newest audit entry deleted",
    ],
)
def test_verify_names_what_an_insider_changed_and_fails(home: Path, statements, sentence: str) -> None:
    _tamper(home, *statements)
    code, out = run(home, "verify")
    assert code == ExitCode.INTEGRITY_FAILURE, out
    assert sentence in out, out
