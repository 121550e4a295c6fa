"""Child processes of the test run: what may live on, what must not outlive a test.

multiprocessing keeps two helpers per process for as long as it lives — the fork
server the reading workers are forked from, and the resource tracker. Both are
stopped once, when the test session ends, through their private ``_stop`` (the
only such use, checked against the Python versions it was written for).
"""

from __future__ import annotations

import sys
import time

import psutil

_HELPERS = ("multiprocessing.forkserver import main", "multiprocessing.resource_tracker import main")
_WRITTEN_FOR = ((3, 11), (3, 12), (3, 13))


def _is_helper(process: psutil.Process) -> bool:
    try:
        command = " ".join(process.cmdline())
        parent = process.parent()
    except psutil.Error:
        return False
    # The fork server itself, not the workers forked from it.
    is_fork_child = parent is not None and any(h in " ".join(parent.cmdline()) for h in _HELPERS[:1])
    return any(helper in command for helper in _HELPERS) and not is_fork_child


def children() -> set[int]:
    """Return the process ids of this process's children, the multiprocessing helpers left out."""
    return {p.pid for p in psutil.Process().children(recursive=True) if not _is_helper(p)}


def _under_older(process: psutil.Process, before: set[int]) -> bool:
    # A process started by a longer-lived fixture's process (a shared watcher) is its business.
    me = psutil.Process().pid
    try:
        for ancestor in process.parents():
            if ancestor.pid == me:
                return False
            if ancestor.pid in before:
                return True
    except psutil.Error:
        return False
    return False


def outliving(before: set[int], grace_seconds: float = 10.0) -> list[str]:
    """Return the command lines of children started since ``before`` that are still running after the grace time."""
    deadline = time.monotonic() + grace_seconds
    while True:
        alive = []
        for pid in children() - before:
            try:
                process = psutil.Process(pid)
                if process.status() != psutil.STATUS_ZOMBIE and not _under_older(process, before):
                    alive.append(" ".join(process.cmdline())[:200])
            except psutil.Error:
                continue
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def stop_multiprocessing_helpers() -> None:
    """Stop this process's fork server and resource tracker, so nothing outlives the session."""
    if sys.version_info[:2] not in _WRITTEN_FOR:
        raise RuntimeError(f"tests/processes.py was not written for Python {sys.version_info[:2]}; check _stop.")
    from multiprocessing import forkserver, resource_tracker

    forkserver._forkserver._stop()  # noqa: SLF001 (see the module docstring)
    resource_tracker._resource_tracker._stop()  # noqa: SLF001
