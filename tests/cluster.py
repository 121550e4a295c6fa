"""Archive processes on loopback as separate machines run them: web nodes and reading workers.

Each "machine" has its own configuration file (``ARCHIVE_CONFIG``): the shared database
and job queue, and its own search index folder; all share one home (the store). Every
process runs in a session of its own, so a machine's loss is one ``killpg``: the
process and the reading processes it started go together. Their output goes to a log
file each, read back when a test fails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.documents import REPO
from tests.postgres import free_port


@dataclass(frozen=True)
class QueueTimes:
    """How quickly the queue notices a lost worker (seconds); short in tests, as config.toml says in production."""

    sweep: float = 4.0
    heartbeat: float = 0.5
    stalled: float = 2.0
    follow: float = 0.2


@dataclass(frozen=True)
class Machine:
    """One machine's configuration: its ARCHIVE_CONFIG file and its own index folder."""

    name: str
    config: Path
    index_dir: Path


def machine(folder: Path, name: str, url: str, times: QueueTimes = QueueTimes()) -> Machine:
    """Write the configuration of one machine sharing database ``url``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    index_dir = folder / f"index-{name}"
    config = folder / f"{name}.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n'
        f'[queue]\nbackend = "procrastinate"\nsweep_seconds = {times.sweep}\n'
        f"heartbeat_seconds = {times.heartbeat}\nstalled_seconds = {times.stalled}\n"
        f'[node]\nindex_dir = "{index_dir}"\nfollow_seconds = {times.follow}\n'
        "[ocr]\nworkers = 1\n"
        "[web]\npassword_hash_time_cost = 1\npassword_hash_memory_kib = 1024\n"
    )
    return Machine(name, config, index_dir)


def archive_program() -> str:
    return str(Path(sys.executable).parent / "archive")


def machine_environment(at: Machine) -> dict[str, str]:
    """The environment of an archive process on machine ``at``: its configuration, and this checkout's code
    first (the `archive` script of a shared environment may have been installed from another checkout)."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "ARCHIVE_CONFIG": str(at.config), "PYTHONPATH": path}


class Processes:
    """The archive processes a test started; ``stop()`` ends every one still running."""

    def __init__(self, home: Path, logs: Path) -> None:
        self.home = home
        self.logs = logs
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, at: Machine, *args: str) -> subprocess.Popen:
        """Start ``archive --home HOME ARGS`` on machine ``at``, in its own session."""
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.logs / f"{name}.log", "wb") as log:
            process = subprocess.Popen(
                [archive_program(), "--home", str(self.home), *args],
                env=machine_environment(at),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started[name] = process
        return process

    def worker(self, name: str, at: Machine, concurrency: int = 1) -> subprocess.Popen:
        return self.start(name, at, "worker", "--concurrency", str(concurrency))

    def serve(self, name: str, at: Machine) -> str:
        """Start `archive serve` on a free loopback port; return its base address (not waited for)."""
        port = free_port()
        self.start(name, at, "serve", "--host", "127.0.0.1", "--port", str(port))
        return f"http://127.0.0.1:{port}"

    def wait_until_up(self, name: str, base: str, timeout: float = 60.0) -> None:
        """Wait until the web node answers; raise with its log when it stopped or never answered."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=2).close()
                return
            except OSError:
                if self.started[name].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start:\n{self.log(name)}") from None
                time.sleep(0.1)

    def kill(self, name: str) -> None:
        """SIGKILL a process and everything it started, as when its machine is lost."""
        process = self.started[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM every process still running, then SIGKILL what did not stop in time."""
        running = [(n, p) for n, p in self.started.items() if p.poll() is None]
        for _, process in running:
            os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _, process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for process in self.started.values():  # reading processes left by a SIGTERMed parent
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
