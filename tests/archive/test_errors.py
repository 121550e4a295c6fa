"""Errors at the command line: a sentence for every leaf error, and exit codes with names of their own."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.errors import ExitCode, InvalidInput, Message, as_archive_error
from tests.documents import INVOICE_NL, REPO, text_pdf

ADMIN = {"ARCHIVE_ADMIN_PASSWORD": "Kw1k-Zeer-Geheim!"}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert CliRunner().invoke(main, ["--home", str(home), "init"], env=ADMIN).exit_code == 0
    return home


def run(home: Path, *args: str, env: dict | None = None):
    return CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), *args], env=env)


def _filed(home: Path, tmp_path: Path) -> str:
    result = run(home, "ingest", str(text_pdf(tmp_path / "factuur.pdf", [INVOICE_NL])), "--json")
    assert result.exit_code == 0, result.stderr
    return re.search(r'"sha256": "(\w+)"', result.stdout).group(1)


def test_an_integrity_failure_has_its_own_exit_code(home: Path, tmp_path: Path):
    sha256 = _filed(home, tmp_path)
    stored = next((home / "store" / "originals").rglob(sha256 + "*"))
    stored.chmod(0o644)
    stored.write_bytes(b"%PDF-1.4 altered")
    result = run(home, "verify")
    assert result.exit_code == ExitCode.INTEGRITY_FAILURE != ExitCode.FAILURE
    assert run(home, "audit", "verify").exit_code == ExitCode.OK


def test_a_busy_index_is_a_sentence_not_a_class_name(home: Path, tmp_path: Path):
    """Another rebuild holds the index's write lock: `archive reindex` says so and exits SEARCH_UNAVAILABLE."""
    from search import location

    _filed(home, tmp_path)
    settings = tmp_path / "quick-lock.toml"
    settings.write_text("[search]\nlock_timeout_seconds = 0.2\n")
    build = home / "index" / location.BUILD
    location.create_generation(build)
    # Whoosh's lock is a POSIX file lock, which only another process can hold against this one.
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(build)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run(home, "reindex", env={"ARCHIVE_CONFIG": str(settings)})
    finally:
        holder.stdin.close()
        holder.wait(timeout=20)
    assert result.exit_code == ExitCode.SEARCH_UNAVAILABLE, result.stderr
    assert "Another rebuild of the search index is running" in result.stderr
    assert "IndexBusy" not in result.stderr and "something went wrong" not in result.stderr


_HOLD_LOCK = """
import sys
from whoosh import index
from search.schema import INDEX_NAME
writer = index.open_dir(sys.argv[1], indexname=INDEX_NAME).writer()
print("locked", flush=True)
sys.stdin.read()
writer.cancel()
"""


def test_a_database_of_a_newer_release_is_a_sentence(home: Path):
    with sqlite3.connect(home / "archive.sqlite3") as conn:
        conn.execute("INSERT INTO schema_migrations (number, name) VALUES (9999, '9999_from_the_future')")
    result = run(home, "show", "1")
    assert result.exit_code == ExitCode.STORAGE
    assert "made by a newer release" in result.stderr and "MigrationError" not in result.stderr


def test_a_missing_stored_original_is_a_sentence(home: Path, tmp_path: Path):
    sha256 = _filed(home, tmp_path)
    next((home / "store" / "originals").rglob(sha256 + "*")).unlink()
    result = run(home, "get", "1", "-o", str(tmp_path / "out.pdf"))
    assert result.exit_code == ExitCode.INTEGRITY_FAILURE
    assert "missing from the store" in result.stderr and "Error" not in result.stderr


def test_every_leaf_error_becomes_an_archive_error_with_its_words():
    from ingest.errors import DamagedDocument
    from search.errors import IndexBusy, IndexDamaged, QuerySyntaxError
    from storage.errors import MigrationError, StorageError, StoredFileMissing

    for leaf, exit_code in (
        (IndexBusy, ExitCode.SEARCH_UNAVAILABLE),
        (IndexDamaged, ExitCode.SEARCH_UNAVAILABLE),
        (QuerySyntaxError, ExitCode.INVALID_INPUT),
        (MigrationError, ExitCode.STORAGE),
        (StoredFileMissing, ExitCode.INTEGRITY_FAILURE),
        (StorageError, ExitCode.STORAGE),
        (DamagedDocument, ExitCode.INVALID_INPUT),
    ):
        error = leaf("test.code", "Something about {what}.", what="this")
        known = as_archive_error(error)
        assert known is not None and known.exit_code == exit_code
        assert (known.code, known.template, dict(known.values), str(known)) == (
            "test.code",
            "Something about {what}.",
            {"what": "this"},
            "Something about this.",
        )
    assert as_archive_error(ValueError("no")) is None


def test_a_message_keeps_its_values_apart_and_survives_storage():
    error = InvalidInput("hold.reason_too_long", "Keep the reason under {limit} characters.", limit=500)
    stored = Message.of(error).as_json()
    assert stored == {
        "code": "hold.reason_too_long",
        "template": "Keep the reason under {limit} characters.",
        "values": {"limit": 500},
    }
    assert str(Message.from_json(stored)) == str(error) == "Keep the reason under 500 characters."
    assert Message.from_json("a sentence from an older release") is None


def test_every_exit_code_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert re.search(rf"^\| `{code.value}` \| `{code.name}` \|", readme, re.M), code


def test_no_exit_code_is_a_bare_number():
    """Every exit of the command line names its ExitCode (a bare 1 would hide which failure it was)."""
    bare = []
    for path in (REPO / "archive" / "cli").glob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"sys\.exit\((\d|\d .* else \d)", line):
                bare.append(f"{path.name}:{number}: {line.strip()}")
    assert not bare, bare


def test_dataclass_fields_of_a_message_are_frozen():
    message = Message("a.code", "A {thing}.", {"thing": "test"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.code = "other"  # type: ignore[misc]


def _error_calls():
    """Every call that makes an error, a message or a phrase in the code: (where, code, template) or None."""
    import ast

    import archive.access.users  # noqa: F401  (subclasses of the trees below)
    import archive.backup.service  # noqa: F401
    from archive.errors import ArchiveError
    from ingest.errors import IngestError
    from search.errors import SearchError
    from storage.errors import StorageError

    def family(base: type) -> set[str]:
        return {base.__name__}.union(*(family(sub) for sub in base.__subclasses__()))

    makers = set().union(*map(family, (ArchiveError, IngestError, SearchError, StorageError))) | {"Message", "Phrase"}
    for room in ("archive", "ingest", "search", "storage", "web"):
        for path in sorted((REPO / room).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in makers or (name == "Phrase" and room == "search"):  # search's Phrase is a query node
                    continue
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                literal = [
                    a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args[:2]
                ]
                yield where, *(literal + [None] * (2 - len(literal)))


def test_every_error_a_person_reads_has_a_code_and_a_template():
    """A sentence without a code cannot be translated; one built by an f-string is never extracted."""
    bad = [
        where
        for where, code, template in _error_calls()
        if code is None or template is None or not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", code)
    ]
    assert not bad, f"raise Error('area.what', 'Template with {{blanks}}.', blank=value) at: {bad}"


def test_a_code_names_one_sentence():
    templates: dict[str, set[str]] = {}
    for _where, code, template in _error_calls():
        if code and template:
            templates.setdefault(code, set()).add(template)
    assert {code: found for code, found in templates.items() if len(found) > 1} == {}


def test_a_phrase_inside_a_sentence_is_worded_with_it_and_stored_with_it():
    from ingest.errors import Phrase, UnsupportedFormat

    error = UnsupportedFormat(
        "format.unsupported",
        "This file is {what}; {accepts}.",
        what=Phrase("format.gif", "a GIF image"),
        accepts=Phrase("format.x", "send a PDF"),
    )
    assert str(error) == str(as_archive_error(error)) == "This file is a GIF image; send a PDF."
    stored = Message.of(error).as_json()
    assert stored["values"]["what"] == {"code": "format.gif", "template": "a GIF image", "values": {}}
    again = Message.from_json(stored)
    assert str(again) == str(error) and again.values["what"].code == "format.gif"


def test_several_problems_in_one_blank_are_each_worded():
    problems = (
        Message("client.kvk_invalid", "The KvK number '{value}' is not valid.", {"value": "12"}),
        Message("client.name_missing", "The name is missing."),
    )
    error = InvalidInput("client.not_saved", "The client was not saved: {problems}", problems=problems)
    assert str(error) == "The client was not saved: The KvK number '12' is not valid. The name is missing."
    assert str(Message.from_json(Message.of(error).as_json())) == str(error)
