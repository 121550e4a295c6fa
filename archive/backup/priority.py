"""A backup runs behind the front desk: lower CPU and disk priority for the thread that takes it."""

from __future__ import annotations

import logging
import os
import threading

import psutil

log = logging.getLogger(__name__)

_NICENESS = 10


def run_in_background() -> None:
    """Lower the calling thread's CPU and I/O priority (threads it starts inherit it).

    Filing and searching share the machine's two cores with a backup; a backup that
    takes a little longer harms no one, a clerk kept waiting does. On Linux the
    priority is per thread, so `archive run` lowers only its backup thread.
    """
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, max(os.getpriority(os.PRIO_PROCESS, thread), _NICENESS))
        psutil.Process(thread).ionice(psutil.IOPRIO_CLASS_BE, 7)
    except (OSError, psutil.Error, AttributeError) as exc:  # not Linux, or not allowed: run as it is
        log.info("The backup runs at normal priority (%s).", exc)
