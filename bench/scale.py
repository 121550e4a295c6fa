"""When one machine is not enough: reading through the job queue, and the filing path's ceiling.

    .venv/bin/python bench/scale.py            # 300 commits per engine, 60 documents per run
    .venv/bin/python bench/scale.py --quick    # 60 commits, 16 documents

Prints, in one run on this machine:

- documents per second filed in-process (the embedded default: one at a time, and a
  batch as `archive ingest` files it, reading in one process per core) against through
  procrastinate's queue with 1 and 2 `archive worker` processes (each its own process,
  reading one document at a time), born-digital PDFs;
- the filing path's ceiling: audited write transactions per second on SQLite (the home's
  file, WAL, synchronous=FULL) and on PostgreSQL (a local server, fsync on); every
  write takes the archive's one writer lock, so one writer's rate is the ceiling;
- a capacity table for 1, 4 and 16 worker machines computed from those figures, with
  the assumptions it rests on.

A queue run receives every document first (each gets its job), then starts the workers;
the clock runs from the moment every worker has registered with the queue until the
last document is filed, so a worker's Python start-up is not counted.

PostgreSQL is a throw-away server on loopback (Debian's initdb and pg_ctl), stopped at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.access.actors import SYSTEM  # noqa: E402
from archive.cli import _ingest_all  # noqa: E402
from archive.config import load_config  # noqa: E402
from archive.documents.filing import FilingHints  # noqa: E402
from archive.service import Archive  # noqa: E402
from tests.cluster import Processes, QueueTimes, machine  # noqa: E402
from tests.documents import text_pdf  # noqa: E402
from tests.postgres import PostgresServer  # noqa: E402

# Write transactions under the writer lock per document through the queue: received
# (row, audit entry and job), claimed by a worker, filed (facts, audit entry).
WRITES_PER_DOCUMENT = 3


def _config(home: Path, url: str = ""):
    base = load_config(home=home)
    if url:
        base = dataclasses.replace(base, database=dataclasses.replace(base.database, url=url))
    return base


def _pdfs(folder: Path, count: int, tag: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        text_pdf(folder / f"{tag}-{n}.pdf", [f"Factuur {tag} {n}\nBetreft: onderhoud {n} {tag}\nTe betalen: 12,50"])
        for n in range(count)
    ]


def commits_per_second(config, count: int) -> float:
    """Audited write transactions per second: what each write of the filing path costs the database at least."""
    with Archive.open(config, create=True) as archive:
        started = time.perf_counter()
        for n in range(count):
            archive.audit.record(SYSTEM, "file", details={"bench": n})
        return count / (time.perf_counter() - started)


def one_at_a_time(config, files: list[Path]) -> float:
    """Documents per second filed in this process, one after the other."""
    with Archive.open(config, create=True) as archive:
        started = time.perf_counter()
        for path in files:
            assert archive.ingest(path).status == "filed"
        archive.flush_index()
        return len(files) / (time.perf_counter() - started)


def as_a_batch(config, files: list[Path]) -> float:
    """Documents per second filed as `archive ingest FILES…` does (reading in one process per core)."""
    with Archive.open(config, create=True) as archive:
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            saved, sys.stdout = sys.stdout, quiet
            try:
                failed = _ingest_all(archive, SYSTEM, files, FilingHints(), os.cpu_count() or 1, as_json=True)
            finally:
                sys.stdout = saved
        archive.flush_index()
        assert not failed
        return len(files) / (time.perf_counter() - started)


def through_workers(server: PostgresServer, root: Path, files: list[Path], workers: int) -> float:
    """Documents per second filed by ``workers`` `archive worker` processes (one document at a time each)."""
    name = f"bench_queue_{workers}"
    server.execute(f"CREATE DATABASE {name}")
    url = server.url(name)
    home = root / f"queue-{workers}"
    at = machine(
        root / f"machine-{workers}", "worker-machine", url, QueueTimes(sweep=60.0, heartbeat=2.0, stalled=10.0)
    )
    with Archive.open(load_config(at.config, home=home), create=True) as archive:
        assert {archive.ingest(path).status for path in files} == {"queued"}
    processes = Processes(home, root / f"logs-{workers}")
    try:
        for n in range(workers):
            processes.worker(f"worker-{n + 1}", at)
        _wait_for(lambda: _count(url, "SELECT count(*) FROM procrastinate_workers") >= workers, processes, 120)
        started = time.perf_counter()
        _wait_for(lambda: _count(url, _WAITING) == 0, processes, 600)
        elapsed = time.perf_counter() - started
    finally:
        processes.stop()
    filed = _count(url, "SELECT count(*) FROM documents WHERE state = 'filed'")
    if filed != len(files):
        raise SystemExit(f"{workers} worker(s) filed {filed} of {len(files)}:\n{processes.log('worker-1')}")
    return len(files) / elapsed


_WAITING = "SELECT count(*) FROM documents WHERE state = 'received' AND failed_at IS NULL"


def _count(url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _wait_for(condition, processes: Processes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out:\n" + "\n".join(processes.log(name) for name in processes.started))
        time.sleep(0.02)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except OSError:
        return "(uptime not available)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run")
    args = parser.parse_args()
    commits, documents = (60, 16) if args.quick else (300, 60)
    load_before = _uptime()
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    server = PostgresServer(fsync=True).start()
    try:
        sqlite_commits = commits_per_second(_config(root / "c-sqlite"), commits)
        server.execute("CREATE DATABASE bench_commits")
        pg_commits = commits_per_second(_config(root / "c-pg", server.url("bench_commits")), commits)
        single = one_at_a_time(_config(root / "local-1"), _pdfs(root / "in-1", documents, "een"))
        batch = as_a_batch(_config(root / "local-n"), _pdfs(root / "in-n", documents, "stapel"))
        queued = {w: through_workers(server, root, _pdfs(root / f"q{w}", documents, f"q{w}"), w) for w in (1, 2)}
    finally:
        server.stop()
    _print(documents, single, batch, queued, sqlite_commits, pg_commits, load_before)


def _print(documents, single, batch, queued, sqlite_commits, pg_commits, load_before) -> None:
    cores = os.cpu_count() or 1
    print(f"\nScale-out on this machine ({cores} cores, shared with other work), {documents} born-digital PDFs a run")
    print(f"load before: {load_before}\nload after:  {_uptime()}\n")
    print(f"{'what':<58}{'per second':>12}{'vs baseline':>13}")
    print(f"{'in-process, one at a time (embedded default, baseline)':<58}{single:>12.1f}{1.0:>12.2f}x")
    batch_name = f"in-process batch, as archive ingest ({cores} readers)"
    print(f"{batch_name:<58}{batch:>12.1f}{batch / single:>12.2f}x")
    for workers, rate in queued.items():
        print(f"{f'through the queue, {workers} archive worker(s)':<58}{rate:>12.1f}{rate / single:>12.2f}x")
    print(f"{'audited commits, SQLite (WAL, synchronous=FULL)':<58}{sqlite_commits:>12.1f}{1.0:>12.2f}x")
    print(
        f"{'audited commits, PostgreSQL (local, fsync on)':<58}{pg_commits:>12.1f}{pg_commits / sqlite_commits:>12.2f}x"
    )
    per_machine = max(queued.values())
    ceiling = pg_commits / WRITES_PER_DOCUMENT
    print(
        "\nCapacity, assuming: born-digital PDFs like these; a worker machine like this one "
        f"({cores} cores) files at the best\nrate measured above ({per_machine:.1f}/s, one `archive worker` per "
        f"core); {WRITES_PER_DOCUMENT} write transactions per document under the\narchive's one writer lock "
        "(received, claimed, filed), so the database files at most its commit rate / "
        f"{WRITES_PER_DOCUMENT};\nthe database on its own machine committing as fast as the local server here; "
        "machines add up until that ceiling.\nScans are read by Tesseract at about 66 pages/min per 2 cores "
        "(MEASUREMENTS.md), far below the ceiling."
    )
    print(
        f"{'worker machines':<18}{'reading capacity/s':>20}{'database ceiling/s':>20}{'expected/s':>12}{'per hour':>11}"
    )
    for machines in (1, 4, 16):
        reading = per_machine * machines
        expected = min(reading, ceiling)
        print(f"{machines:<18}{reading:>20.1f}{ceiling:>20.1f}{expected:>12.1f}{expected * 3600:>11.0f}")


if __name__ == "__main__":
    main()
