"""Attribution: a command's audit entries name the account that ran it; reserved names stay the machine's."""

from __future__ import annotations

import json
import os
import pwd
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.access.actors import SYSTEM
from archive.cli import main
from archive.errors import InvalidInput
from tests.identities import token_of

PASSWORD = "Kw1k-Zeer-Geheim!2026"


def test_every_command_entry_records_the_operating_system_account(tmp_path: Path) -> None:
    home = tmp_path / "home"
    runner = CliRunner(mix_stderr=False)
    env = {"ARCHIVE_ADMIN_PASSWORD": PASSWORD, "ARCHIVE_PASSWORD": PASSWORD}
    assert runner.invoke(main, ["--home", str(home), "init"], env=env).exit_code == 0
    proof = {**env, "ARCHIVE_TOKEN": token_of(home, "admin")}
    result = runner.invoke(
        main, ["--home", str(home), "--user", "admin", "users", "add", "anna", "--role", "clerk"], env=proof
    )
    assert result.exit_code == 0, result.stderr
    assert runner.invoke(main, ["--home", str(home), "--user", "anna", "search", "factuur"], env=env).exit_code == 0
    conn = sqlite3.connect(home / "archive.sqlite3")
    rows = conn.execute("SELECT actor, action, details FROM audit_log WHERE action IN ('init', 'user_add', 'search')")
    account = pwd.getpwuid(os.geteuid()).pw_name
    found = {(actor, action): json.loads(details).get("os_user") for actor, action, details in rows}
    conn.close()
    assert found == {
        ("system", "init"): account,
        ("system", "user_add"): account,  # the first administrator, made by `archive init`
        ("admin", "user_add"): account,
        ("anna", "search"): account,
    }


@pytest.mark.parametrize("name", ["system", "System", "root", "nobody"])
def test_reserved_names_are_refused(archive, name: str) -> None:
    with pytest.raises(InvalidInput, match="reserved for the archive itself"):
        archive.users.add(name, "admin", PASSWORD, SYSTEM)
