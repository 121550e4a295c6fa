"""`archive worker` on the embedded default: a clear sentence, not a worker waiting for nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from archive.cli import main
from archive.errors import ExitCode


def test_a_worker_on_an_in_process_home_says_there_is_no_queue(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert CliRunner().invoke(main, ["--home", str(home), "init"]).exit_code == 0
    result = CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), "worker"])
    assert result.exit_code == ExitCode.CONFIG
    assert "in-process" in result.stderr and "Traceback" not in result.stderr
