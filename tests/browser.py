"""Shared plumbing of the browser tests: Debian's Chromium and a real `archive serve`."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.documents import REPO

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps dialling out, which this machine refuses.
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "Tulpen-in-de-Wind-42"
# PYTHONPATH: the checkout under test wins over whatever the environment has installed.
ENV = {
    **os.environ,
    "ARCHIVE_ADMIN_PASSWORD": "Beheer-Sleutel-2024!",
    "ARCHIVE_PASSWORD": PASSWORD,
    "PYTHONPATH": str(REPO),
}

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's /usr/bin/chromium is not installed"),
]


def archive_command(home: Path) -> list[str]:
    """Return the `archive` command of this environment for a home."""
    return [str(Path(sys.executable).parent / "archive"), "--home", str(home)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(home: Path, env: dict[str, str] | None = None, log: Path | None = None) -> Iterator[str]:
    """Run `archive serve` on a free loopback port over ``home``; yield its base address.

    With ``log``, what the server writes to stderr goes to that file (to be read afterwards).
    """
    port = free_port()
    with open(log, "wb") if log else contextlib.nullcontext(subprocess.PIPE) as stderr:
        process = subprocess.Popen(
            [*archive_command(home), "serve", "--port", str(port)],
            env=env or ENV,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_until_up(base: str, process: subprocess.Popen, log: Path | None) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            return
        except OSError:
            if process.poll() is not None:
                said = log.read_bytes() if log else process.stderr.read()
                pytest.fail(f"archive serve stopped: {said.decode()}")
            time.sleep(0.2)
    pytest.fail("archive serve did not answer within 30 seconds")
