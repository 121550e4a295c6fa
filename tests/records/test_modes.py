"""Least privilege on disk: a home is its owner's only, and `archive verify` names what is not."""

from __future__ import annotations

import os
import stat
from pathlib import Path

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


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_new_home_is_its_owners_only_and_verify_names_what_others_can_read(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask of a shell: files 0644, folders 0755
    try:
        home = tmp_path / "home"
        assert run(home, "init")[0] == 0
        source = text_pdf(tmp_path / "brief.pdf", ["Brief\nBetreft: dossier 7"])
        code, out = run(home, "ingest", str(source), "--type", "letter", "--date", "2026-01-05")
        assert code == 0, out
        assert _mode(home) == 0o700
        for name in ("archive.sqlite3", "logs/archive.log", "keys/checkpoint.key", "keys/audit.key"):
            assert _mode(home / name) == 0o600, name
        originals = [p for p in (home / "store" / "originals").rglob("*") if p.is_file()]
        assert originals and all(_mode(p) == 0o400 for p in originals)
        others = [p for p in home.rglob("*") if not p.is_relative_to(home / "inbox") and _mode(p) & 0o077]
        assert others == []
        assert run(home, "verify")[0] == 0

        # Someone widens them: opening tightens the home itself, verify names the rest.
        home.chmod(0o755)
        (home / "archive.sqlite3").chmod(0o644)
        originals[0].chmod(0o444)
        (home / "index").chmod(0o755)
        code, out = run(home, "verify")
        assert code == ExitCode.INTEGRITY_FAILURE, out
        assert _mode(home) == 0o700 and _mode(home / "archive.sqlite3") == 0o600 and _mode(home / "index") == 0o700
        shown = str(originals[0].relative_to(home))
        assert f"File {shown} can be read by users other than the archive's own (mode 0444)" in out, out
    finally:
        os.umask(old)
