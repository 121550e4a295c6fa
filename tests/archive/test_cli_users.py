"""`archive users add|token|list` and `archive serve --help`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from archive.cli import main
from tests.identities import token_of

ADMIN = {"ARCHIVE_ADMIN_PASSWORD": "Beheer-Sleutel-2024!"}


def _run(home, *args, env=None):
    return CliRunner().invoke(main, ["--home", str(home), *args], env=env or {}, catch_exceptions=False)


def _as_admin(home, *args, env=None):
    proof = {"ARCHIVE_TOKEN": token_of(home, "admin")}
    return _run(home, "--user", "admin", *args, env={**proof, **(env or {})})


def test_users_add_token_list(tmp_path):
    home = tmp_path / "home"
    assert _run(home, "init", env=ADMIN).exit_code == 0
    added = _as_admin(
        home, "users", "add", "anna", "--role", "clerk", "--json", env={"ARCHIVE_PASSWORD": "Tulpen-in-de-Wind-42"}
    )
    assert added.exit_code == 0 and json.loads(added.output) == {"name": "anna", "role": "clerk", "totp_uri": None}
    auditor = _as_admin(
        home, "users", "add", "olga", "--role", "auditor", env={"ARCHIVE_PASSWORD": "Tulpen-in-de-Wind-42"}
    )
    assert "otpauth://totp/" in auditor.output
    token = _as_admin(home, "users", "token", "anna")
    assert token.exit_code == 0 and token.output.strip().startswith("foa_")
    listed = json.loads(_as_admin(home, "users", "list", "--json").output)
    assert [(u["name"], u["role"]) for u in listed] == [("admin", "admin"), ("anna", "clerk"), ("olga", "auditor")]


def test_weak_password_is_refused_with_a_sentence(tmp_path):
    home = tmp_path / "home"
    _run(home, "init", env=ADMIN)
    result = _as_admin(home, "users", "add", "bob", "--role", "staff", env={"ARCHIVE_PASSWORD": "password123"})
    assert result.exit_code == 5 and "common" in result.output


def test_acting_user_is_checked(tmp_path):
    home = tmp_path / "home"
    _run(home, "init", env=ADMIN)
    result = CliRunner().invoke(main, ["--home", str(home), "--user", "nobody", "users", "token", "admin"])
    assert result.exit_code == 3


def test_serve_has_help():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "waitress" in result.output
