"""Backups through the command line: back up, list, verify (a flipped byte), restore, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.errors import ExitCode
from tests.documents import text_pdf

PASSPHRASE = "Zeven-Zeeuwse-Zeilboten"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    result = CliRunner().invoke(
        main, ["--home", str(home), "init"], env={"ARCHIVE_ADMIN_PASSWORD": "Kw1k-Zeer-Geheim!"}
    )
    assert result.exit_code == 0, result.output
    sources = [text_pdf(tmp_path / f"factuur-{n}.pdf", [f"Factuur {n}\nBetreft: backup proef {n}"]) for n in (1, 2)]
    assert run(home, "ingest", *map(str, sources))[0] == 0
    return home


def run(home: Path, *args: str, env: dict | None = None) -> tuple[int, str, str]:
    result = CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_backup_list_verify_restore_and_status(home: Path, tmp_path: Path) -> None:
    dest = tmp_path / "usb"
    code, out, err = run(home, "backup", str(dest), "--json")
    taken = json.loads(out)
    assert code == 0 and taken["ok"] and taken["number"] == 1 and taken["files"] >= 6, err
    code, out, _ = run(home, "backup", str(dest))
    assert code == 0 and out.startswith("Snapshot 2 in ") and "Pruned snapshots 1." in out
    listed = json.loads(run(home, "backup", "list", str(dest), "--json")[1])
    assert [item["number"] for item in listed] == [2] and listed[0]["documents"] == {"filed": 2}
    code, out, _ = run(home, "backup", "verify", str(dest), "--deep")
    assert code == 0 and "all correct" in out
    status = run(home, "status")[1]
    assert "Backup           ok: snapshot 2" in status
    code, out, err = run(home, "restore", str(dest), "--home", str(tmp_path / "new"))
    assert code == 0, out + err
    assert "Restored snapshot 2" in out and "a new signing key" in out and "all correct." in out
    for number in ("1", "2"):
        assert (
            json.loads(run(tmp_path / "new", "show", number, "--json")[1])["text"]
            == json.loads(run(home, "show", number, "--json")[1])["text"]
        )
    code, _, err = run(home, "restore", str(dest), "--home", str(tmp_path / "new"))
    assert code == 6 and "never writes over an existing home" in err
    # A flipped byte in a stored original is found by the deep check, not the quick one.
    original = next(p for p in (dest / "objects").rglob("*") if p.is_file() and p.read_bytes().startswith(b"%PDF"))
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x40
    original.write_bytes(bytes(data))
    assert run(home, "backup", "verify", str(dest))[0] == 0
    code, out, _ = run(home, "backup", "verify", str(dest), "--deep", "--json")
    report = json.loads(out)
    assert code == ExitCode.INTEGRITY_FAILURE and not report["ok"]
    assert "no longer matches its SHA-256" in report["problems"][0]


def test_an_encrypted_backup_needs_its_passphrase(home: Path, tmp_path: Path) -> None:
    dest = tmp_path / "share"
    env = {"ARCHIVE_BACKUP_PASSPHRASE": PASSPHRASE}
    code, out, err = run(home, "backup", str(dest), "--encrypt", "--json", env=env)
    assert code == 0 and json.loads(out)["encrypted"], err
    code, _, err = run(home, "backup", "list", str(dest), env={"ARCHIVE_BACKUP_PASSPHRASE": ""})
    assert code == 5 and "A passphrase is needed" in err
    code, _, err = run(home, "backup", "verify", str(dest), env={"ARCHIVE_BACKUP_PASSPHRASE": "Verkeerde-Zin-Van-Mij"})
    assert code == 5 and "does not open this backup" in err
    code, out, err = run(home, "restore", str(dest), "--home", str(tmp_path / "new"), env=env)
    assert code == 0 and "all correct." in out, out + err


def test_a_failed_backup_is_said_loudly_by_status(home: Path, tmp_path: Path) -> None:
    occupied = tmp_path / "photos"
    occupied.mkdir()
    (occupied / "holiday.jpg").write_bytes(b"\xff\xd8")
    code, _, err = run(home, "backup", str(occupied))
    assert code == 6 and "not empty and holds no backups" in err
    out = run(home, "status")[1]
    assert "Backup           FAILED" in out and "not empty" in out
    assert json.loads(run(home, "status", "--json")[1])["backup"]["state"] == "failed"


def test_backup_commands_have_help_with_an_example() -> None:
    for args in (["backup"], ["backup", "verify"], ["backup", "list"], ["restore"], ["backup", "DEST"]):
        result = CliRunner().invoke(main, [*args, "--help"])
        assert result.exit_code == 0 and "Example: archive" in result.output, args
