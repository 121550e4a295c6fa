"""A real `archive watch` process on a temporary home, and helpers to look at its work."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ARCHIVE = Path(sys.executable).parent / "archive"
REPO = Path(__file__).resolve().parents[2]

FAST_SETTINGS = """
[ingest]
settle_seconds = 0.5
rescan_seconds = 1.0
incomplete_pdf_seconds = 3.0
empty_file_seconds = 3.0
stop_grace_seconds = 5.0
workers = 2
{extra}
[ocr]
workers = 2
"""


def wait_for(condition: Callable[[], object], timeout: float = 30.0, what: str = "condition") -> object:
    """Poll ``condition`` until it is truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class WatchProcess:
    """`archive --home HOME watch` in a subprocess, with a fast settle time."""

    def __init__(self, home: Path, extra_settings: str = "") -> None:
        self.home = home
        self.inbox = home / "inbox"
        self.failed = self.inbox / "failed"
        self.config_file = home.parent / f"{home.name}-config.toml"
        self.config_file.write_text(FAST_SETTINGS.format(extra=extra_settings))
        self.env = {**os.environ, "ARCHIVE_CONFIG": str(self.config_file), "PYTHONPATH": str(REPO)}
        self.process: subprocess.Popen | None = None
        self.stderr_path = home.parent / f"{home.name}-stderr.log"
        if not (home / "archive.sqlite3").exists():
            with self.open_archive(create=True):  # in this process: saves starting one more program
                pass

    def open_archive(self, create: bool = False):
        """Open the same home in the test process (for checks such as verify)."""
        from archive.config import load_config
        from archive.service import Archive

        return Archive.open(load_config(self.config_file, home=self.home), create=create)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run another `archive` command on the same home."""
        result = subprocess.run(
            [str(ARCHIVE), "--home", str(self.home), *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        assert not check or result.returncode == 0, f"archive {' '.join(args)}: {result.stderr}"
        return result

    def start(self, *command: str) -> "WatchProcess":
        self.stderr = open(self.stderr_path, "ab")
        self.process = subprocess.Popen(
            [str(ARCHIVE), "--home", str(self.home), *(command or ("watch",))],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
        )
        wait_for(lambda: b"Watching" in self.stderr_path.read_bytes(), 90, "the watcher to start")  # a loaded machine
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        code = self.process.wait(timeout)
        self.stderr.close()
        return code

    def query(self, sql: str, *args: object) -> list[tuple]:
        conn = sqlite3.connect(f"file:{self.home / 'archive.sqlite3'}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def documents(self) -> dict[str, tuple]:
        """Filed documents by original file name: (id, sha256, document_type, client_id)."""
        rows = self.query(
            "SELECT original_filename, id, sha256, document_type, client_id FROM documents WHERE state = 'filed'"
        )
        return {row[0]: row[1:] for row in rows}

    def ends(self, event: str) -> list[str]:
        """Inbox paths (relative) that ended with this event."""
        return [row[0] for row in self.query("SELECT path FROM inbox_events WHERE event = ?", event)]

    def note_for(self, name: str) -> str | None:
        note = self.failed / f"{name}.error.txt"
        return note.read_text(errors="replace") if note.exists() else None

    def log_text(self) -> str:
        return (self.home / "logs" / "archive.log").read_text(errors="replace") + self.stderr_path.read_text(
            errors="replace"
        )


@pytest.fixture(scope="module")
def shared_watcher(tmp_path_factory):
    """One watcher process shared by many tests of a module (each starts it once)."""
    watcher = WatchProcess(tmp_path_factory.mktemp("shared") / "home").start()
    yield watcher
    if watcher.alive():
        watcher.stop(signal.SIGKILL)


@pytest.fixture
def watch_process(tmp_path: Path):
    """Make WatchProcess objects on this test's folder; any still running at the end is killed."""
    made: list[WatchProcess] = []

    def make(name: str = "home", extra_settings: str = "") -> WatchProcess:
        made.append(WatchProcess(tmp_path / name, extra_settings))
        return made[-1]

    yield make
    for watcher in made:
        if watcher.alive():
            watcher.stop(signal.SIGKILL)
