"""When one machine is not enough: reading through the job queue, and the filing path's ceiling.

    .venv/bin/python bench/scale.py            # 200 commits per engine, 40 documents per queue run
    .venv/bin/python bench/scale.py --quick    # 50 commits, 12 documents

Prints, in one run on this machine:

- documents per second read in-process (the embedded default) against through
  procrastinate's queue with 1 and 2 `archive worker`s (born-digital PDFs, each filed);
- the filing path's ceiling: audited write transactions per second on SQLite (the
  home's file, WAL, synchronous=FULL) and on PostgreSQL (a local server, fsync on);
- a capacity table for 1, 4 and 16 worker machines computed from those figures, with
  the assumptions it rests on.

PostgreSQL is a throw-away server on loopback (Debian's initdb and pg_ctl), stopped at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.access.actors import SYSTEM  # noqa: E402
from archive.config import load_config  # noqa: E402
from archive.service import Archive  # noqa: E402
from storage import documents_repo  # noqa: E402
from tests.documents import text_pdf  # noqa: E402
from tests.postgres import PostgresServer  # noqa: E402


def _config(home: Path, url: str = "", queue: bool = False):
    base = load_config(home=home)
    base = dataclasses.replace(base, ocr=dataclasses.replace(base.ocr, workers=1))
    if url:
        base = dataclasses.replace(base, database=dataclasses.replace(base.database, url=url))
    if queue:
        base = dataclasses.replace(
            base,
            queue=dataclasses.replace(
                base.queue, backend="procrastinate", heartbeat_seconds=1.0, stalled_seconds=5.0, sweep_seconds=30.0
            ),
        )
    return base


def _pdfs(folder: Path, count: int, tag: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        text_pdf(folder / f"{tag}-{n}.pdf", [f"Factuur {tag} {n}\nBetreft: onderhoud {n} {tag}"]) for n in range(count)
    ]


def commits_per_second(config, count: int) -> float:
    """Audited write transactions per second: what each filed document costs the database at least."""
    with Archive.open(config, create=True) as archive:
        started = time.perf_counter()
        for n in range(count):
            archive.audit.record(SYSTEM, "file", details={"bench": n})
        return count / (time.perf_counter() - started)


def in_process(config, files: list[Path]) -> float:
    with Archive.open(config, create=True) as archive:
        started = time.perf_counter()
        for path in files:
            assert archive.ingest(path).status == "filed"
        return len(files) / (time.perf_counter() - started)


def through_queue(config, files: list[Path], workers: int) -> float:
    """Receive every file (jobs enqueued), then time ``workers`` reading workers filing them all."""
    with Archive.open(config, create=True) as archive:
        ids = [archive.ingest(path).id for path in files]
        running = [archive.reading_worker() for _ in range(workers)]
        started = time.perf_counter()
        threads = [threading.Thread(target=worker.run, args=(1,)) for worker in running]
        for thread in threads:
            thread.start()
        conn = archive.db.read()
        while any(documents_repo.is_waiting(conn, i) for i in ids):
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        for worker in running:
            worker.stop()
        for thread in threads:
            thread.join()
        return len(files) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run")
    args = parser.parse_args()
    commits, documents = (50, 12) if args.quick else (200, 40)
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    server = PostgresServer(fsync=True).start()
    try:
        sqlite_commits = commits_per_second(_config(root / "c-sqlite"), commits)
        server.execute("CREATE DATABASE bench_commits")
        pg_commits = commits_per_second(_config(root / "c-pg", server.url("bench_commits")), commits)
        local = in_process(_config(root / "local"), _pdfs(root / "in", documents, "local"))
        queued = {}
        for workers in (1, 2):
            server.execute(f"CREATE DATABASE bench_queue_{workers}")
            queued[workers] = through_queue(
                _config(root / f"q{workers}", server.url(f"bench_queue_{workers}"), True),
                _pdfs(root / f"q{workers}-in", documents, f"q{workers}"),
                workers,
            )
    finally:
        server.stop()
    cores = os.cpu_count() or 1
    print(f"\nScale-out on this machine ({cores} cores, shared with other work), {documents} born-digital PDFs")
    print(f"{'what':<52}{'per second':>12}{'vs baseline':>13}")
    print(f"{'in-process reading (embedded default, baseline)':<52}{local:>12.1f}{1.0:>12.2f}x")
    for workers, rate in queued.items():
        print(f"{f'through the queue, {workers} worker(s)':<52}{rate:>12.1f}{rate / local:>12.2f}x")
    print(f"{'audited commits, SQLite (WAL, synchronous=FULL)':<52}{sqlite_commits:>12.1f}{1.0:>12.2f}x")
    print(
        f"{'audited commits, PostgreSQL (local, fsync on)':<52}{pg_commits:>12.1f}{pg_commits / sqlite_commits:>12.2f}x"
    )
    # A filed document costs about 3 audited write transactions (receive, file, and the
    # job's own bookkeeping): the database's ceiling in documents per second is a third of
    # the commit rate. A worker machine reads at the 1-worker rate per process, one process
    # per core; machines add up until the database's ceiling is reached.
    ceiling = pg_commits / 3
    per_machine = queued[1] * cores
    print(
        "\nCapacity (assumptions: born-digital PDFs as above; one worker process per core of a "
        f"{cores}-core machine;\n~3 audited commits per document; the database on its own machine at the "
        "commit rate measured here)"
    )
    print(f"{'worker machines':<18}{'reading capacity/s':>20}{'database ceiling/s':>20}{'expected/s':>12}")
    for machines in (1, 4, 16):
        reading = per_machine * machines
        print(f"{machines:<18}{reading:>20.1f}{ceiling:>20.1f}{min(reading, ceiling):>12.1f}")


if __name__ == "__main__":
    main()
