"""Privileged commands prove the user they act for: a token, or password and second-factor code.

`--user NAME` alone names someone; holds, disposal, users, export, retention events and
reading the trail refuse until the person proves it, and the audit entry then names
both that user and the operating-system account that ran the command.
"""

from __future__ import annotations

import json
import os
import pwd
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.access.actors import SYSTEM, Actor
from archive.cli import main, proof
from archive.config import load_config
from archive.documents.filing import FilingHints
from archive.errors import ExitCode
from tests.documents import text_pdf
from tests.identities import PASSWORD, Identity, add_identities, light_hashing

ACCOUNT = pwd.getpwuid(os.geteuid()).pw_name

# command -> (role of the user it acts for, arguments, the audit action it leaves)
COMMANDS = {
    "hold add": ("records_manager", ["hold", "add", "--document", "1", "--reason", "Geschil"], "hold_add"),
    "hold remove": (
        "records_manager",
        ["hold", "remove", "--document", "1", "--case", "Z-{self}", "--reason", "Geschikt"],
        "hold_remove",
    ),
    "dispose": ("records_manager", ["dispose", "--approve", "--include-unconfirmed", "{due}", "--json"], "dispose"),
    "users add": ("admin", ["users", "add", "{new}", "--role", "staff"], "user_add"),
    "users token": ("admin", ["users", "token", "{self}"], "token_add"),
    "users list": ("admin", ["users", "list", "--json"], None),  # reads no documents: no entry
    "export": ("auditor", ["export", "--query", "dossier", "--out", "{out}"], "export"),
    "retention event": (
        "records_manager",
        ["retention", "event", "--document", "1", "--event", "employment_ended", "--date", "2026-05-31"],
        "retention_event",
    ),
    "audit log": ("auditor", ["audit", "log", "--limit", "1"], "audit_read"),
    "audit report": ("auditor", ["audit", "report", "--client", "C1"], "audit_report"),
}


# The users a test acts as: one per role for the refusals and tokens, and one per command
# for the passwords (so the failed attempts of one never slow another's log-in down).
SHARED = {"records_manager": "rm-shared", "admin": "admin-shared", "auditor": "aud-shared"}


@pytest.fixture(scope="module")
def people() -> dict[str, Identity]:
    return {}


@pytest.fixture(scope="module")
def home(tmp_path_factory, people: dict[str, Identity]):
    folder = tmp_path_factory.mktemp("proof")
    home = folder / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_CONFIG", str(light_hashing(folder)))
        assert _invoke(home, ["init"], {"ARCHIVE_ADMIN_PASSWORD": PASSWORD}).exit_code == 0
        source = text_pdf(folder / "brief.pdf", ["Brief\nBetreft: dossier huur"])
        assert _invoke(home, ["ingest", str(source), "--json"], {}).exit_code == 0
        wanted = [(name, role) for role, name in SHARED.items()]
        wanted += [(_own_name(command), role) for command, (role, _, _) in COMMANDS.items()]
        people.update(add_identities(home, wanted))
        yield home


def _own_name(command: str) -> str:
    return "pw-" + command.replace(" ", "-")


def _invoke(home: Path, args: list[str], env: dict[str, str], user: str = "system", typed: str | None = None):
    return CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), "--user", user, *args], env=env, input=typed)


def _person(people: dict[str, Identity], command: str, own: bool = False) -> Identity:
    """The user a command acts as: its own (password tests), else the shared one of its role."""
    return people[_own_name(command)] if own else people[SHARED[COMMANDS[command][0]]]


def _arguments(command: str, person: Identity, tmp_path: Path, due: int = 0) -> list[str]:
    values = {"new": f"new-{person.name}"[:40], "self": person.name, "out": str(tmp_path / "bag"), "due": due}
    return [part.format(**values) for part in COMMANDS[command][1]]


def _prepare(home: Path, command: str, person: Identity, tmp_path: Path) -> int:
    """Give the command something to act on: a hold to release, a document due for disposal (its id)."""
    from archive.service import Archive

    if command not in ("hold remove", "dispose"):
        return 0
    with Archive.open(load_config(home=home)) as archive:
        if command == "hold remove":
            archive.records.place_hold(
                Actor("rita", "records_manager"), "Geschil", document_id=1, case_reference=f"Z-{person.name}"
            )
            return 0
        source = text_pdf(tmp_path / "oud.pdf", [f"Factuur\nBetreft: {person.name}"])
        hints = FilingHints(document_type="invoice", document_date=date(2010, 5, 1))
        outcome = archive.ingest(source, SYSTEM, hints)
        assert outcome.id is not None
        return outcome.id


def _run_as(home: Path, command: str, person: Identity, tmp_path: Path, env: dict[str, str], typed=None, due: int = 0):
    extra = {"ARCHIVE_PASSWORD": "Nieuw-Wachtwoord-Tulp-77"} if command == "users add" else {}
    args = _arguments(command, person, tmp_path, due)
    return _invoke(home, args, {**env, **extra}, user=person.name, typed=typed)


def _password_route(command: str, person: Identity, password: str, code: str | None):
    """The environment and typed input that give this password and code (`users add` reads its
    own ARCHIVE_PASSWORD as the new user's, so there the acting admin types them)."""
    if command == "users add":
        return {}, "\n".join(x for x in (password, code) if x) + "\n"
    return {"ARCHIVE_PASSWORD": password, **({"ARCHIVE_TOTP": code} if code else {})}, None


@pytest.fixture
def at_a_terminal(monkeypatch):
    monkeypatch.setattr(proof, "_interactive", lambda: True)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_privileged_command_refuses_without_proof(home: Path, people, tmp_path: Path, command: str) -> None:
    person = _person(people, command)
    result = _run_as(home, command, person, tmp_path, {})
    assert result.exit_code == ExitCode.PERMISSION_DENIED, result.stderr
    assert f"acts with the authority of '{person.name}' and needs proof" in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_a_wrong_password_or_code_is_refused_and_the_right_ones_work(
    home: Path, people, tmp_path: Path, command: str, at_a_terminal
) -> None:
    person = _person(people, command, own=True)
    env, typed = _password_route(command, person, "Niet-Mijn-Wachtwoord-9", person.code())
    wrong_password = _run_as(home, command, person, tmp_path, env, typed)
    assert wrong_password.exit_code == ExitCode.PERMISSION_DENIED
    assert "The name, password or code is not right." in wrong_password.stderr
    env, typed = _password_route(command, person, person.password, person.wrong_code())
    wrong_code = _run_as(home, command, person, tmp_path, env, typed)
    assert wrong_code.exit_code == ExitCode.PERMISSION_DENIED and "not right" in wrong_code.stderr
    due = _prepare(home, command, person, tmp_path)
    env, typed = _password_route(command, person, person.password, person.code())
    right = _run_as(home, command, person, tmp_path, env, typed, due)
    assert right.exit_code == 0, right.stderr
    _assert_attributed(home, command, person)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_token_of_the_user_proves_it(home: Path, people, tmp_path: Path, command: str) -> None:
    person = _person(people, command)
    due = _prepare(home, command, person, tmp_path)
    token_file = tmp_path / "token"
    token_file.write_text(person.token + "\n")
    result = _invoke(
        home,
        ["--token-file", str(token_file), *_arguments(command, person, tmp_path, due)],
        {"ARCHIVE_PASSWORD": "Nieuw-Wachtwoord-Tulp-77"} if command == "users add" else {},
        user=person.name,
    )
    assert result.exit_code == 0, result.stderr
    _assert_attributed(home, command, person)


def test_a_token_of_someone_else_proves_nothing(home: Path, people) -> None:
    someone_else = people["aud-shared"]
    result = _invoke(home, ["hold", "add", "--document", "1", "--reason", "x"], someone_else.env(), user="rm-shared")
    assert result.exit_code == ExitCode.PERMISSION_DENIED
    assert "not a valid API token of 'rm-shared'" in result.stderr


def test_the_system_user_only_files_and_reads(home: Path, tmp_path: Path) -> None:
    for args in (["hold", "add", "--document", "1", "--reason", "x"], ["users", "list"], ["audit", "log"]):
        result = _invoke(home, args, {})
        assert result.exit_code == ExitCode.PERMISSION_DENIED and "own user 'system' may not" in result.stderr
    assert _invoke(home, ["show", "1", "--json"], {}).exit_code == 0


def _assert_attributed(home: Path, command: str, person: Identity) -> None:
    """The command's newest audit entry names the person and the account that ran it."""
    action = COMMANDS[command][2]
    if action is None:
        return
    conn = sqlite3.connect(home / "archive.sqlite3")
    try:
        actor, details = conn.execute(
            "SELECT actor, details FROM audit_log WHERE actor = ? AND action = ? ORDER BY seq DESC LIMIT 1",
            (person.name, action),
        ).fetchone()
    finally:
        conn.close()
    assert actor == person.name and json.loads(details)["os_user"] == ACCOUNT
