"""A backup runs behind the front desk: lower CPU and disk priority for the thread that takes it.

``[backup] priority`` says how far behind:

    idle    (default) disk only when no one else wants it, CPU at niceness 19: a backup
            taken during opening hours — by hand, or the daily one catching up after
            the machine was off at night — leaves filing and searching their speed
    low     best-effort disk at its lowest level, niceness 10: the backup gets a share
            of a disk that is never idle (a busy share), taking the desk's speed a bit
    normal  as any other program: the quickest backup, for a quiet machine
"""

from __future__ import annotations

import logging
import os
import threading

import psutil

log = logging.getLogger(__name__)

# Niceness and I/O class (psutil's name: Linux only) with its level; normal changes nothing.
_LEVELS: dict[str, tuple[int, str, int]] = {
    "idle": (19, "IOPRIO_CLASS_IDLE", 0),
    "low": (10, "IOPRIO_CLASS_BE", 7),
}


def run_in_background(priority: str = "idle") -> None:
    """Lower the calling thread's CPU and I/O priority as ``priority`` says (threads it starts inherit it).

    Filing and searching share the machine's two cores and its disk with a backup; a
    backup that takes a little longer harms no one, a clerk kept waiting does. On
    Linux the priority is per thread, so `archive run` lowers only its backup thread.
    The idle disk class cannot starve a backup for long: Linux's schedulers let waiting
    idle requests through after a few seconds.
    """
    if priority not in _LEVELS:
        return
    niceness, io_class, io_level = _LEVELS[priority]
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, max(os.getpriority(os.PRIO_PROCESS, thread), niceness))
        psutil.Process(thread).ionice(getattr(psutil, io_class), io_level)
    except (OSError, psutil.Error, AttributeError, ValueError) as exc:  # not Linux, or not allowed: run as it is
        log.info("The backup runs at normal priority (%s).", exc)
