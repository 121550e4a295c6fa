"""Long-running processes checkpoint the trail: every N entries, on a timer, and when they stop."""

from __future__ import annotations

import signal
import socket
import subprocess

from tests.documents import text_pdf
from tests.inbox.conftest import ARCHIVE, WatchProcess, wait_for

AUDIT = "\n[audit]\ncheckpoint_entries = 3\ncheckpoint_minutes = {minutes}\n"


def _newest_checkpoint(watcher: WatchProcess) -> int:
    return watcher.query("SELECT coalesce(max(head_seq), 0) FROM checkpoints")[0][0]


def _head(watcher: WatchProcess) -> int:
    return watcher.query("SELECT max(seq) FROM audit_log")[0][0]


def test_watch_checkpoints_every_n_entries_and_at_a_clean_stop(tmp_path) -> None:
    watcher = WatchProcess(tmp_path / "home", AUDIT.format(minutes=60.0)).start()
    try:
        before = _newest_checkpoint(watcher)
        for number in range(2):
            text_pdf(watcher.inbox / f"brief-{number}.pdf", [f"Brief {number}\nBetreft: controle {number}"])
        wait_for(lambda: len(watcher.documents()) == 2, 60, "both letters to be filed")
        wait_for(lambda: _newest_checkpoint(watcher) > before, 30, "a checkpoint after three entries")
        assert watcher.stop(signal.SIGTERM) == 0
        # The clean stop signed the head as it was: nothing after the newest checkpoint.
        assert _newest_checkpoint(watcher) == _head(watcher)
    finally:
        if watcher.alive():
            watcher.stop(signal.SIGKILL)
    with watcher.open_archive() as archive:
        report = archive.records.audit_findings()
        assert report["ok"], report["problems"]


def test_serve_checkpoints_what_other_processes_wrote_on_its_timer(tmp_path) -> None:
    watcher = WatchProcess(tmp_path / "home", AUDIT.format(minutes=0.02))  # makes the home, no watcher
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stderr = open(tmp_path / "serve.log", "wb")
    server = subprocess.Popen(
        [str(ARCHIVE), "--home", str(watcher.home), "serve", "--port", str(port)],
        env=watcher.env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        wait_for(lambda: b"Serving on" in (tmp_path / "serve.log").read_bytes(), 30, "the server to start")
        watcher.cli("search", "controle")  # another process adds an entry
        searched = _head(watcher)
        wait_for(lambda: _newest_checkpoint(watcher) >= searched, 30, "the server's timer to sign it")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        stderr.close()
