"""Which process is reading a received document, and whether that process still lives.

The claim is written in the document's row, so it holds across processes (the command
line and the watcher on one home) and across restarts. A claim names the host, the
process id and the process's start time: after a crash or a reboot the id may be
reused by another program, and the start time tells them apart.
"""

from __future__ import annotations

import os
import socket

import psutil

_SEPARATOR = "|"


def this_process() -> str:
    """The claim this process writes: host, pid and start time."""
    return _SEPARATOR.join((socket.gethostname(), str(os.getpid()), _started(os.getpid())))


def is_live(claim: str | None) -> bool:
    """True when the process named by `claim` still runs (a claim from another host is taken as live)."""
    if not claim:
        return False
    parts = claim.split(_SEPARATOR)
    if len(parts) != 3:
        return False
    host, pid, started = parts
    if host != socket.gethostname():
        return True
    try:
        return _started(int(pid)) == started
    except ValueError:
        return False


def _started(pid: int) -> str:
    try:
        return f"{psutil.Process(pid).create_time():.2f}"
    except psutil.Error:
        return "gone"
