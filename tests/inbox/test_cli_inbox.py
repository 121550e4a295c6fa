"""The inbox commands: help texts, `status`, and `archive run` (watcher + web server together)."""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from tests.documents import text_pdf
from tests.inbox.conftest import wait_for


@pytest.mark.parametrize("command", ["watch", "run", "status"])
def test_every_inbox_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_status_json_on_a_fresh_home_and_a_sentence_for_a_missing_one(archive, tmp_path: Path) -> None:
    (archive.config.inbox_path / "waiting.pdf").write_bytes(b"%PDF-1.4 not yet")
    result = CliRunner().invoke(main, ["--home", str(archive.config.home), "status", "--json"])
    figures = json.loads(result.output)
    assert figures["waiting"] == 1 and figures["filed_today"] == 0 and figures["oldest_waiting_seconds"] >= 0
    assert figures["watcher_running"] is False and figures["watcher_state"] == "stopped"
    text = CliRunner().invoke(main, ["--home", str(archive.config.home), "status"]).output
    assert "Watcher          not running" in text
    missing = CliRunner().invoke(main, ["--home", str(tmp_path / "nothing"), "status"])
    assert missing.exit_code == 3 and "There is no archive" in missing.output


def test_status_tells_a_hung_watcher_from_a_live_one_by_its_heartbeat(archive) -> None:
    """The lock says a watcher holds the inbox; only the heartbeat's age says whether it still turns."""
    from archive.inbox.service import heartbeat_path, watch_lock_path

    home = archive.config.home
    heartbeat_path(home).touch()
    with open(watch_lock_path(home), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running watcher holds it
        alive = json.loads(CliRunner().invoke(main, ["--home", str(home), "status", "--json"]).output)
        old = time.time() - 600
        os.utime(heartbeat_path(home), (old, old))
        stale = json.loads(CliRunner().invoke(main, ["--home", str(home), "status", "--json"]).output)
        text = CliRunner().invoke(main, ["--home", str(home), "status"]).output
    assert alive["watcher_running"] is True and alive["watcher_state"] == "alive"
    assert alive["heartbeat_age_seconds"] < 60
    assert stale["watcher_running"] is True and stale["watcher_state"] == "stale"
    assert stale["heartbeat_age_seconds"] >= 600
    assert "Watcher          STALE (last heartbeat 10 min ago)" in text


def test_run_serves_the_web_app_and_files_the_inbox_and_a_second_watcher_is_refused(watch_process) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    running = watch_process().start("run", "--port", str(free_port))
    try:
        port = re.search(rb"http://[^:]+:(\d+)/", running.stderr_path.read_bytes()).group(1).decode()
        assert port == str(free_port)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
        text_pdf(running.inbox / "via-run.pdf", ["Filed while the web server runs"])
        wait_for(lambda: "via-run.pdf" in running.documents(), 30, "via-run.pdf")
        second = running.cli("watch", check=False)
        assert second.returncode == 6 and "already watching" in second.stderr
        assert json.loads(running.cli("status", "--json").stdout)["watcher_running"] is True
        # `archive run` does the daily fixity round (and checkpoint) as soon as it starts.
        wait_for(
            lambda: running.query("SELECT count(*) FROM audit_log WHERE action = 'verify'")[0][0] >= 1,
            30,
            "the first daily fixity round",
        )
    finally:
        started = time.monotonic()
        assert running.stop(signal.SIGTERM) == 0
    assert time.monotonic() - started < 30  # seconds, not the minutes of a hung stop; generous for a loaded CI machine
