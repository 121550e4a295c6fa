"""Killable reading workers: a job that eats memory, hangs or crashes costs one worker, nothing else."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.documents import worker_start
from archive.documents.worker_start import stdlib_launch_is_the_copied_one, worker_process
from archive.documents.workers import (
    ReadingBug,
    ReadingCrashed,
    ReadingOutOfMemory,
    ReadingTimedOut,
    WorkerLimits,
    Workers,
    beat,
)
from ingest.errors import DamagedDocument


def _nothing() -> None:
    pass


def _answer(value: int) -> int:
    return value * 2


def _eat_memory(megabytes: int) -> int:
    # One allocation: past the cap it fails at once, however busy the machine (no pages to touch first).
    hoard = bytearray(megabytes * 2**20)
    return len(hoard) // 2**20


def _hang(seconds: float) -> None:
    time.sleep(seconds)


def _slow_but_busy(steps: int, seconds: float) -> int:
    for _ in range(steps):
        time.sleep(seconds)
        beat()
    return steps


def _crash() -> None:
    os._exit(11)


def _refuse() -> None:
    raise DamagedDocument("This PDF is damaged.")


def _bug() -> None:
    raise TypeError("unsupported operand")


@pytest.fixture
def workers():
    # Well above what the forkserver may hold already (it is shared, and may have the reading modules loaded)
    pool = Workers(
        1, WorkerLimits(memory_mb=1024, timeout_seconds=1.5), multiprocessing.get_context("forkserver"), _nothing
    )
    yield pool
    pool.close()


def test_a_job_runs_in_a_worker_and_the_worker_is_kept(workers):
    assert workers.run(_answer, 21) == 42
    first = workers.pids()
    assert workers.run(_answer, 1) == 2
    assert workers.pids() == first and first != [os.getpid()]


def test_a_job_beyond_the_memory_cap_is_refused_and_a_fresh_worker_takes_over(workers):
    with pytest.raises(ReadingOutOfMemory, match="more memory than the archive allows"):
        workers.run(_eat_memory, 2048)
    assert workers.run(_eat_memory, 50) == 50  # within the cap, in a new worker


def test_a_job_without_progress_is_stopped_at_the_time_limit(workers):
    started = time.monotonic()
    with pytest.raises(ReadingTimedOut, match="without progress"):
        workers.run(_hang, 60)
    assert time.monotonic() - started < 10
    assert workers.run(_answer, 2) == 4


def test_a_job_that_keeps_reporting_progress_may_take_longer_than_the_limit(workers):
    assert workers.run(_slow_but_busy, 4, 0.6) == 4  # 2.4 s in all, never 1.5 s without a beat


def test_a_crashed_worker_is_reported_and_replaced(workers):
    with pytest.raises(ReadingCrashed, match="stopped unexpectedly"):
        workers.run(_crash)
    assert workers.run(_answer, 3) == 6


def test_a_refusal_is_passed_on_as_it_is_and_a_bug_as_a_sentence(workers):
    with pytest.raises(DamagedDocument, match="damaged"):
        workers.run(_refuse)
    with pytest.raises(ReadingBug, match="unexpected problem"):
        workers.run(_bug)
    assert len(workers.pids()) == 1  # the same worker went on


def _slow_start() -> None:
    time.sleep(1.0)


def _wait_for_end_of_pipe(conn, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not conn.poll(0.05):
        assert time.monotonic() < deadline, "the killed worker's pipe never closed"


def test_a_worker_killed_while_idle_is_replaced_before_the_job_is_given(workers, monkeypatch):
    assert workers.run(_answer, 1) == 2
    [idle] = workers._idle
    os.kill(idle.process.pid, signal.SIGKILL)
    _wait_for_end_of_pipe(idle.conn)
    # The fork server reports a worker's exit late; under load it still looks alive here.
    monkeypatch.setattr(idle.process, "is_alive", lambda: True)
    assert workers.run(_answer, 2) == 4  # a fresh worker, and the document is not blamed
    assert idle.process.pid not in workers.pids()


def test_a_worker_killed_while_starting_is_replaced_before_the_job_is_given():
    pool = Workers(1, WorkerLimits(timeout_seconds=5), multiprocessing.get_context("forkserver"), _slow_start)
    try:
        pool.start(1)
        [starting] = pool.pids()
        os.kill(starting, signal.SIGKILL)
        assert pool.run(_answer, 5) == 10
        assert starting not in pool.pids()
    finally:
        pool.close()


_SCRIPT = """
import multiprocessing, os, sys
from pathlib import Path

if __name__ != "__main__":  # run again in a worker, as multiprocessing does with a parent's main module
    Path(sys.argv[1]).write_text("ran")
else:
    from archive.documents.workers import WorkerLimits, Workers

    pool = Workers(1, WorkerLimits(), multiprocessing.get_context("forkserver"), os.getpid)
    try:
        print(pool.run(os.getpid) != os.getpid())
    finally:
        pool.close()
"""


def _run_script(tmp_path: Path) -> bool:
    """Run a command script that starts a worker; return whether the worker ran the script again."""
    script, marker = tmp_path / "command.py", tmp_path / "ran-again"
    script.write_text(_SCRIPT)
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    done = subprocess.run(
        [sys.executable, str(script), str(marker)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"  # the job ran in a worker
    return marker.exists()


@pytest.mark.skipif(not stdlib_launch_is_the_copied_one(), reason="this Python starts its processes another way")
def test_a_worker_does_not_run_the_parents_main_module_again(tmp_path):
    # Every worker would otherwise import the command's script (and all it imports) once more.
    assert not _run_script(tmp_path)


def test_where_the_stdlib_launches_otherwise_workers_start_its_way():
    context = multiprocessing.get_context("forkserver")
    assert stdlib_launch_is_the_copied_one() == (sys.version_info[:2] in ((3, 11), (3, 12), (3, 13)))
    stdlib_launch_is_the_copied_one.cache_clear()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(worker_start, "COPIED_LAUNCH", "0" * 64)  # as a Python whose routine changed
            assert worker_process(context) is context.Process
        stdlib_launch_is_the_copied_one.cache_clear()
        assert worker_process(multiprocessing.get_context("spawn")) is multiprocessing.get_context("spawn").Process
    finally:
        stdlib_launch_is_the_copied_one.cache_clear()
