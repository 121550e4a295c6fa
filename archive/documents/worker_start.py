"""Starting a reading worker without running the command's script in it again.

multiprocessing runs the parent's ``__main__`` (the command's script, the web server's,
a test runner's) once more in every process the fork server starts, in case the job
lives there. A reading worker's jobs live in modules the fork server has imported
already, so that run is pure cost: 0.1 s of CPU per worker for ``archive``, more for
a larger script, paid again for every worker that replaces one. The stdlib's own way
out, "__main__" among the fork server's preloads, never takes effect (Python 3.11-3.13
hand the fork server the main module's path under a key it does not read).

This is the one place that leans on multiprocessing's internals: the fork server's
launch routine, copied with the main module left out of what the child prepares. The
copy is used only where the stdlib's routine is still, to the character, the one it
was copied from (3.11 to 3.13); anywhere else a worker starts the stdlib's way.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import logging
import multiprocessing
import os
from functools import cache
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import set_spawning_popen
from typing import Any

log = logging.getLogger(__name__)

# sha256 of the source of popen_forkserver.Popen._launch in CPython 3.11, 3.12 and 3.13.
COPIED_LAUNCH = "214844899bd3407f72082111e993b40f7c271620be27195b878ea1e44a5f3837"
_MAIN_MODULE_KEYS = ("init_main_from_name", "init_main_from_path")


def worker_process(context: multiprocessing.context.BaseContext) -> type[multiprocessing.process.BaseProcess]:
    """The process class to start workers with: one that skips the main module where that is known to be safe."""
    if context.get_start_method() == "forkserver" and stdlib_launch_is_the_copied_one():
        return _WorkerProcess
    return context.Process  # type: ignore[attr-defined]  # a class attribute of every context


@cache
def stdlib_launch_is_the_copied_one() -> bool:
    """Whether this Python's fork server launch routine is exactly the one ``_PopenWithoutMain`` copies."""
    try:
        source = inspect.getsource(popen_forkserver.Popen._launch)  # type: ignore[attr-defined]  # not in the stubs
    except (OSError, TypeError):  # no source (a frozen or stripped install): nothing to compare with
        return False
    same = hashlib.sha256(source.encode()).hexdigest() == COPIED_LAUNCH
    if not same:
        log.info("This Python starts processes its own way; reading workers run the main module again")
    return same


def without_main_module(prep_data: dict[str, Any]) -> dict[str, Any]:
    """A child's preparation data without the instruction to run the parent's main module (pure)."""
    return {key: value for key, value in prep_data.items() if key not in _MAIN_MODULE_KEYS}


class _PopenWithoutMain(popen_forkserver.Popen):
    """``popen_forkserver.Popen._launch`` as in CPython 3.11-3.13, without the main module."""

    def _launch(self, process_obj: Any) -> None:
        prep_data = without_main_module(spawn.get_preparation_data(process_obj._name))
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]  # not in the stubs
        _parent_w = os.dup(w)  # the child watches this end to know the parent is alive
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))  # type: ignore[attr-defined]
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _WorkerProcess(multiprocessing.context.ForkServerProcess):
    """A process started by the fork server without the parent's main module."""

    @staticmethod
    def _Popen(process_obj: Any) -> _PopenWithoutMain:
        return _PopenWithoutMain(process_obj)
