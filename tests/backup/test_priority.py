"""A backup's thread stands back for the front desk as `[backup] priority` says."""

from __future__ import annotations

import os
import sys
import threading

import psutil
import pytest

from archive.backup.priority import run_in_background

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities are Linux's")


def _priority_in_a_thread(priority: str) -> tuple[int, int, int]:
    """Return (niceness, I/O class, the main thread's niceness) after a thread ran at ``priority``."""
    seen: list[tuple[int, int]] = []

    def backup() -> None:
        run_in_background(priority)
        thread = threading.get_native_id()
        seen.append((os.getpriority(os.PRIO_PROCESS, thread), int(psutil.Process(thread).ionice().ioclass)))

    worker = threading.Thread(target=backup)
    worker.start()
    worker.join()
    return *seen[0], os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_idle_takes_the_disk_only_when_free_and_the_lowest_cpu_priority() -> None:
    niceness, io_class, main = _priority_in_a_thread("idle")
    assert (niceness, io_class) == (19, psutil.IOPRIO_CLASS_IDLE)
    assert main < 19  # the rest of the process (the web app, the watcher) keeps its priority


def test_low_is_the_lowest_best_effort_level() -> None:
    niceness, io_class, _ = _priority_in_a_thread("low")
    assert niceness >= 10 and io_class == psutil.IOPRIO_CLASS_BE


def test_normal_leaves_the_thread_as_it_was() -> None:
    niceness, io_class, main = _priority_in_a_thread("normal")
    assert niceness == main and io_class != psutil.IOPRIO_CLASS_IDLE
