"""Benchmark of the inbox: how soon a dropped file is searchable, and burst throughput.

    .venv/bin/python bench/inbox.py            # 10 latency samples, a burst of 200 scans
    .venv/bin/python bench/inbox.py --quick    # 3 samples, 20 scans

Two figures, each beside its target or baseline measured in the same run:
- time from a 1-page born-digital PDF landing in the inbox (renamed into place) to it
  being found by a search, with a real `archive watch` process at the configured
  settle time — target p50 <= settle time + 1 s;
- throughput of a burst of receipt-sized one-page scans (image-only PDFs: every page
  OCR'd) dropped at once into the watched inbox, against filing the same files into a
  second home the way `archive ingest` does (its own code path, in this process, so no
  program start-up is counted) — target >= 0.9x. The scans go in
  rounds that alternate watcher and baseline, so that a busy spell on a shared machine
  falls on both. Peak memory of the watcher and its OCR workers is shown beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from archive.access.actors import SYSTEM  # noqa: E402
from archive.cli import _ingest_all  # noqa: E402
from archive.config import load_config  # noqa: E402
from archive.documents.filing import FilingHints  # noqa: E402
from archive.documents.indexing import VALUE_READERS  # noqa: E402
from archive.service import Archive  # noqa: E402
from search import SearchIndex, SearchRequest  # noqa: E402
from storage import documents_repo  # noqa: E402
from storage.database import Database  # noqa: E402

ARCHIVE = Path(sys.executable).parent / "archive"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def text_pdf(path: Path, word: str) -> None:
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 700, f"Brief over dossier {word}. Met vriendelijke groet, de administratie.")
    pdf.showPage()
    pdf.save()


def scan_pdf(path: Path, number: int) -> None:
    """A one-page image-only PDF of a receipt-sized scan (4 x 6 inch at 150 dpi)."""
    page = Image.new("L", (600, 900), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 22) if Path(FONT).exists() else ImageFont.load_default(22)
    lines = [
        f"Factuur F2026-{number:04d}",
        "Bakkerij De Gouden Korst B.V.",
        "Dorpsstraat 12, 3511 AB Utrecht",
        f"Factuurdatum: {1 + number % 28} maart 2026",
        f"Totaal te betalen: EUR {100 + number},00",
    ]
    for row, line in enumerate(lines):
        draw.text((40, 80 + row * 40), line, fill=20, font=font)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    path.write_bytes(buffer.getvalue())


def new_home(root: Path, name: str, config_file: Path) -> Path:
    home = root / name
    with Archive.open(load_config(config_file, home=home), create=True):
        pass
    return home


def start_watcher(home: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(ARCHIVE), "--home", str(home), "watch"], env=env, stdout=subprocess.DEVNULL, stderr=open(log, "wb")
    )
    deadline = time.monotonic() + 60
    while b"Watching" not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the watcher did not start: {log.read_text()}")
        time.sleep(0.05)
    return process


def measure_latency(home: Path, config_file: Path, staging: Path, samples: int) -> list[float]:
    config = load_config(config_file, home=home)
    index = SearchIndex.open(config.index_path, config.search, values=VALUE_READERS)
    timings = []
    try:
        for number in range(samples):
            word = f"benchlatency{number}x{os.getpid()}"
            text_pdf(staging / f"{word}.pdf", word)
            os.rename(staging / f"{word}.pdf", config.inbox_path / f"{word}.pdf")
            landed = time.monotonic()
            request = SearchRequest(query=word, with_facets=False, with_highlights=False)
            while index.search(request).total == 0:
                if time.monotonic() - landed > 60:
                    raise SystemExit(f"{word} never became searchable")
                time.sleep(0.02)
            timings.append(time.monotonic() - landed)
            print(f"  sample {number + 1}: {timings[-1]:.2f} s", file=sys.stderr)
            time.sleep(0.2)
    finally:
        index.close()
    return timings


def measure_watch_burst(home: Path, staging: Path, expected: int, pid: int) -> tuple[float, float]:
    """Drop every file at once; return the seconds until all are filed and the peak memory (MB)."""
    db = Database.open(home / "archive.sqlite3")
    inbox = home / "inbox"
    peak = 0
    try:
        started = time.monotonic()
        for path in sorted(staging.iterdir()):
            os.rename(path, inbox / path.name)
        sampled = 0.0
        while documents_repo.count_in_state(db.read(), "filed") < expected:
            if time.monotonic() - started > 3600:
                raise SystemExit("the burst did not finish within an hour")
            if time.monotonic() - sampled >= 2.0:  # walking /proc for children costs CPU: not too often
                peak, sampled = max(peak, resident_memory(pid)), time.monotonic()
            time.sleep(0.25)
        return time.monotonic() - started, peak / 2**20
    finally:
        db.close()


def resident_memory(pid: int) -> int:
    """Return the resident memory of a process and its children (the OCR workers), in bytes."""
    try:
        process = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
    except psutil.Error:
        return 0


def measure_ingest(archive: Archive, files: list[Path]) -> float:
    """File ``files`` as `archive ingest` does (its own ``_ingest_all``: threads, and reading processes for a batch)."""
    workers = max(1, archive.config.ocr.workers or (os.cpu_count() or 1))
    started = time.monotonic()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        failed = _ingest_all(archive, SYSTEM, files, FilingHints(), workers, as_json=True)
    if failed:
        raise SystemExit("the baseline did not file every scan")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 latency samples and a burst of 20 scans")
    parser.add_argument("--files", type=int, help="scans in the burst (default 200, quick 20)")
    parser.add_argument("--samples", type=int, help="latency samples (default 10, quick 3)")
    parser.add_argument("--rounds", type=int, help="bursts the scans are split into (default 2, quick 1)")
    args = parser.parse_args()
    files = args.files or (20 if args.quick else 200)
    samples = args.samples or (3 if args.quick else 10)
    rounds = max(1, min(files, args.rounds or (1 if args.quick else 2)))
    root = Path(tempfile.mkdtemp(prefix="bench-inbox-"))
    try:
        run(root, files, samples, rounds)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(root: Path, files: int, samples: int, rounds: int) -> None:
    config_file = root / "config.toml"
    config_file.write_text("# the defaults of config.toml\n")
    config = load_config(config_file, home=root / "baseline")
    env = {**os.environ, "ARCHIVE_CONFIG": str(config_file)}
    watched = new_home(root, "watched", config_file)
    print(f"making {files} one-page scans ...", file=sys.stderr)
    chunks = [root / f"round-{r}" for r in range(rounds)]
    for number in range(files):
        chunks[number % rounds].mkdir(exist_ok=True)
        scan_pdf(chunks[number % rounds] / f"scan-{number:04d}.pdf", number)
    (root / "staging").mkdir()
    watcher = start_watcher(watched, env, root / "watch.log")
    watch_seconds = ingest_seconds = peak_mb = 0.0
    try:
        print(f"latency: {samples} text PDFs, one at a time ...", file=sys.stderr)
        latency = measure_latency(watched, config_file, root / "staging", samples)
        with Archive.open(config, create=True) as baseline:
            # Rounds alternate watcher and baseline, so a busy spell on a shared machine hits both.
            filed = samples
            for number, chunk in enumerate(chunks):
                copies = sorted(chunk.iterdir())
                burst = root / f"burst-{number}"
                shutil.copytree(chunk, burst)
                filed += len(copies)
                seconds, peak = measure_watch_burst(watched, burst, filed, watcher.pid)
                baseline_seconds = measure_ingest(baseline, copies)
                print(
                    f"  round {number + 1}/{rounds}: {len(copies)} scans, watcher {seconds:.1f} s, "
                    f"ingest {baseline_seconds:.1f} s",
                    file=sys.stderr,
                )
                watch_seconds, ingest_seconds = watch_seconds + seconds, ingest_seconds + baseline_seconds
                peak_mb = max(peak_mb, peak)
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(60)
    report(latency, config.ingest.settle_seconds, files, watch_seconds, ingest_seconds, peak_mb)


def report(
    latency: list[float], settle: float, files: int, watch_seconds: float, ingest_seconds: float, peak_mb: float
) -> None:
    p50 = statistics.median(latency)
    p95 = sorted(latency)[max(0, round(0.95 * len(latency)) - 1)]
    ratio = ingest_seconds / watch_seconds
    rows = [
        (
            "text PDF landing -> searchable, p50",
            f"{p50:.2f} s",
            f"<= {settle + 1:.1f} s (settle {settle:g} s + 1)",
            "ok" if p50 <= settle + 1 else "MISSED",
        ),
        ("text PDF landing -> searchable, p95 / max", f"{p95:.2f} / {max(latency):.2f} s", "", ""),
        (f"burst of {files} scans via the watcher", f"{watch_seconds:.1f} s ({files / watch_seconds:.2f}/s)", "", ""),
        (
            f"same {files} scans via archive ingest's pool",
            f"{ingest_seconds:.1f} s ({files / ingest_seconds:.2f}/s)",
            "baseline (no watcher)",
            "",
        ),
        ("watcher throughput / ingest throughput", f"{ratio:.2f}x", ">= 0.9x", "ok" if ratio >= 0.9 else "MISSED"),
        ("peak memory during the burst (with OCR)", f"{peak_mb:.0f} MB", "bounded: not growing with the burst", ""),
    ]
    print(f"\nInbox benchmark ({os.cpu_count()} cores)\n")
    print(f"{'measure':<44} {'value':<24} {'target / baseline':<36} result")
    for measure, value, target, result in rows:
        print(f"{measure:<44} {value:<24} {target:<36} {result}")


if __name__ == "__main__":
    main()
