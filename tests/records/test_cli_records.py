"""The records commands end to end: hold, dispose, audit, export (JSON shapes, exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.errors import ExitCode
from tests.documents import text_pdf
from tests.identities import PASSWORD, add_identity

# Who proves whom: each named user's token, given as a person's shell would.
TOKENS: dict[Path, dict[str, str]] = {}


def run(home: Path, *args: str, user: str = "system") -> tuple[int, str, str]:
    proof = {"ARCHIVE_TOKEN": TOKENS[home][user]} if user in TOKENS.get(home, {}) else {}
    result = CliRunner(mix_stderr=False).invoke(
        main,
        ["--home", str(home), "--user", user, *args],
        env={"ARCHIVE_ADMIN_PASSWORD": PASSWORD, **proof},
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert run(home, "init")[0] == 0
    TOKENS[home] = {
        name: add_identity(home, name, role).token
        for name, role in (("rita", "records_manager"), ("aad", "auditor"), ("carla", "clerk"))
    }
    for number, (kind, when) in enumerate(
        (("invoice", "2010-05-01"), ("invoice", "2010-06-01"), ("letter", "2026-01-05"))
    ):
        source = text_pdf(tmp_path / f"doc{number}.pdf", [f"Brief {number}\nBetreft: dossier {number}"])
        code, out, err = run(home, "ingest", str(source), "--type", kind, "--date", when, "--json")
        assert code == 0, out + err
    return home


def test_hold_dispose_and_tombstone(home: Path) -> None:
    code, out, _ = run(
        home, "hold", "add", "--document", "2", "--reason", "Geschil", "--case", "Z-1", "--json", user="rita"
    )
    assert code == 0 and json.loads(out)["case_reference"] == "Z-1"
    assert "document 2" in run(home, "hold", "list")[1]
    code, out, _ = run(home, "dispose", "--json")
    assert json.loads(out)["due"] == [{"id": 1, "retention_until": "2017-12-31", "rule": "invoice"}]
    code, _, err = run(home, "dispose", "--approve")
    assert code == 4 and "may not approve" in err  # the built-in system user never approves
    code, out, _ = run(home, "dispose", "--approve", "--json", user="rita")
    result = json.loads(out)
    assert code == 0 and result["destroyed"] == [1] and result["awaiting_second_approval"] == []
    shown = json.loads(run(home, "show", "1", "--json")[1])
    assert shown["state"] == "disposed" and shown["tombstone"]["approved_by"] == ["rita"]
    held = json.loads(run(home, "show", "2", "--json")[1])
    assert held["legal_hold"] is True and held["state"] == "filed"  # due, but held: never destroyed
    code, out, err = run(home, "hold", "remove", "--document", "2", "--reason", "Geschikt", "--json", user="rita")
    assert code == 0 and json.loads(out)[0]["released_by"] == "rita", err
    assert run(home, "verify")[0] == 0


def test_clerk_cannot_hold(home: Path) -> None:
    code, _, err = run(home, "hold", "add", "--client", "C1", "--reason", "x", user="carla")
    assert code == 4 and "may not place" in err


def test_audit_commands(home: Path, tmp_path: Path) -> None:
    run(home, "show", "3", "--json")
    code, out, _ = run(home, "audit", "verify", "--json", user="aad")
    assert code == 0 and json.loads(out)["ok"]
    code, out, _ = run(home, "audit", "log", "--json", "--document", "3", user="aad")
    assert {"file", "view"} <= {e["action"] for e in json.loads(out)}
    code, out, _ = run(home, "audit", "log", "--csv", "--user", "system", "--since", "2000-01-01", user="aad")
    assert code == 0 and out.splitlines()[0].startswith("seq,at,actor,action")
    code, out, _ = run(home, "audit", "checkpoint", "--json", user="aad")
    assert code == 0 and json.loads(out)["signature"]
    code, out, _ = run(home, "audit", "report", "--client", "C1", "--json", user="aad")
    assert code == 0 and json.loads(out)["client_id"] == "C1"
    assert run(home, "audit", "log", user="rita")[0] == 4


def test_audit_log_periods_are_typed_like_every_date_and_include_the_last_day(home: Path) -> None:
    entries = json.loads(run(home, "audit", "log", "--json", user="aad")[1])
    day = next(e["at"] for e in entries if e["action"] == "file")[:10]
    dutch, month, year = f"{day[8:10]}-{day[5:7]}-{day[:4]}", f"{day[5:7]}-{day[:4]}", day[:4]
    for since, until in ((day, day), (dutch, dutch), (year, month)):
        code, out, err = run(home, "audit", "log", "--json", "--since", since, "--until", until, user="aad")
        assert code == 0, err
        assert any(e["action"] == "file" for e in json.loads(out)), (since, until)
    code, _, err = run(home, "audit", "log", "--since", "31-02-2024", user="aad")
    assert code == 5 and "is not a date" in err


def test_init_prints_the_key_fingerprint_and_verify_takes_the_auditors_copy(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    code, out, _ = run(home, "init")
    fingerprint = out.split("checks the archive with it): ")[1].split()[0]
    assert code == 0 and len(fingerprint) == 39
    copy = tmp_path / "usb-stick.pub"
    copy.write_text((home / "keys" / "checkpoint.pub").read_text())
    code, out, _ = run(home, "audit", "verify", "--pubkey", str(copy))
    assert code == 0 and f"key {fingerprint}: all correct." in out
    code, out, _ = run(home, "audit", "checkpoint", "--json")
    assert code == 0 and json.loads(out)["number"] == 3
    (home / "keys" / "checkpoint.pub").write_text("ab" * 32 + "\n")  # someone put another key beside it
    code, out, _ = run(home, "audit", "verify", "--pubkey", str(copy))
    assert code == ExitCode.INTEGRITY_FAILURE
    assert "checkpoint.pub: it is the key" in out and "the key pair was replaced" in out


def test_export_command(home: Path, tmp_path: Path) -> None:
    code, out, err = run(home, "export", "--query", "dossier", "--out", str(tmp_path / "bag"), "--json", user="aad")
    assert code == 0, err
    assert sorted(json.loads(out)["documents"]) == [1, 2, 3]
    bagit.Bag(str(tmp_path / "bag")).validate()


def test_every_records_command_has_help() -> None:
    for path in (
        ["hold", "add"],
        ["hold", "remove"],
        ["hold", "list"],
        ["dispose"],
        ["audit", "verify"],
        ["audit", "log"],
        ["audit", "checkpoint"],
        ["audit", "report"],
        ["export"],
        ["retention", "event"],
    ):
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output, path
