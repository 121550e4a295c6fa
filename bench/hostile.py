"""Hostile files against the archive: outcome, time and peak memory of the reading worker per file.

    .venv/bin/python bench/hostile.py            # crafted files + the corpus's robustness PDFs
    .venv/bin/python bench/hostile.py --quick    # without the corpus and without the raw baseline

Each file is filed as `archive ingest` files it (the command's own path, in this
process), one at a time, while a thread samples the memory of the reading worker and
of the Tesseract it starts. Beside it, the raw baseline: the same file read the
naive way (pypdf for all text, PDFium drawing the first page 300 px wide as the old
thumbnail did, or Pillow decoding the image), in a process killed at 2 GB or 120 s.

Then every file is dropped into the inbox of a real `archive watch`: it must file or
set aside all of them and still be running, then stop on SIGTERM and start again.
Targets: no file above 1 GB peak or 120 s; the watcher alive throughout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.access.actors import SYSTEM  # noqa: E402
from archive.config import load_config  # noqa: E402
from archive.service import Archive  # noqa: E402
from tests import hostile_files  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "robustness"
TARGET_MB = 1024
TARGET_SECONDS = 120
RAW_LIMIT_MB = 2048
RAW_LIMIT_SECONDS = 120

_RAW_READER = """
import sys
from pathlib import Path
path = Path(sys.argv[1])
head = path.read_bytes()[:2048]
if b"%PDF-" in head[:1024]:
    from pypdf import PdfReader
    import pypdfium2
    reader = PdfReader(path)
    text = "".join(page.extract_text() or "" for page in reader.pages)
    page = pypdfium2.PdfDocument(path)[0]
    width, _ = page.get_size()
    page.render(scale=300 / max(width, 1)).to_pil().save("/dev/null", format="PNG")
else:
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = None
    with Image.open(path) as image:
        image.load()
        image.thumbnail((300, 1200))
"""


class Sampler:
    """Samples the summed RSS of some processes and their children until stopped."""

    def __init__(self, pids) -> None:
        self._pids = pids
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            total = 0
            for pid in self._pids():
                try:
                    process = psutil.Process(pid)
                    total += process.memory_info().rss
                    total += sum(child.memory_info().rss for child in process.children(recursive=True))
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)


def make_files(folder: Path, with_corpus: bool) -> list[tuple[str, Path]]:
    """The crafted files (and the corpus's robustness PDFs, read in place)."""
    files = []
    for label, (make, _expected) in hostile_files.MAKERS.items():
        files.append((label, make(folder)))
    if with_corpus and CORPUS.is_dir():
        files += [(f"corpus {path.name}", path) for path in sorted(CORPUS.glob("*.pdf"))]
    return files


def raw_baseline(path: Path) -> tuple[str, float, float]:
    """Read `path` the naive way in a capped process: (what happened, seconds, peak MB)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", _RAW_READER, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    watched = psutil.Process(process.pid)
    peak = 0
    verdict = "read"
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.Error:
            pass
        if peak > RAW_LIMIT_MB * 2**20:
            verdict = f"killed >{RAW_LIMIT_MB} MB"
        elif time.monotonic() - started > RAW_LIMIT_SECONDS:
            verdict = f"killed >{RAW_LIMIT_SECONDS} s"
        if verdict != "read":
            process.kill()
            break
        time.sleep(0.02)
    _out, err = process.communicate()
    if verdict == "read" and process.returncode != 0:
        verdict = "error: " + (err.decode(errors="replace").strip().splitlines() or ["?"])[-1][:40]
    return verdict, time.monotonic() - started, peak / 2**20


def ingest_each(home: Path, files: list[tuple[str, Path]], raw: bool) -> list[dict]:
    config = load_config(home=home)
    rows = []
    with Archive.open(config, create=True) as archive:
        pool = archive.reader.workers()
        pool.start(1)
        for label, path in files:
            with Sampler(pool.pids) as sampler:
                started = time.monotonic()
                outcomes = archive.ingest_all(path, SYSTEM)
                seconds = time.monotonic() - started
            outcome = outcomes[0]
            row = {
                "file": label,
                "status": outcome.status,
                "error": outcome.error or "",
                "seconds": seconds,
                "peak_mb": sampler.peak / 2**20,
            }
            if raw:
                row["raw"], row["raw_seconds"], row["raw_mb"] = raw_baseline(path)
            rows.append(row)
            print(_line(row), flush=True)
    return rows


def watch_throughout(home: Path, files: list[tuple[str, Path]]) -> dict:
    """Drop every file into a running watcher's inbox; it must handle all and stay up, then restart."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    archive_cmd = [str(Path(sys.executable).parent / "archive"), "--home", str(home)]
    subprocess.run(
        archive_cmd + ["init"],
        env={**env, "ARCHIVE_ADMIN_PASSWORD": "Bench-Hostile-2026!"},
        capture_output=True,
        check=True,
    )
    log = home / "watch-stderr.log"
    watcher = _start_watch(archive_cmd, env, log)
    inbox = home / "inbox"
    for number, (_label, path) in enumerate(files):
        shutil.copyfile(path, inbox / f"{number:02d}-{path.name}"[:200])
    started = time.monotonic()
    alive_throughout = True
    while time.monotonic() - started < 1800:
        alive_throughout &= watcher.poll() is None
        waiting = [p for p in inbox.iterdir() if p.is_file()]
        if not waiting or not alive_throughout:
            break
        time.sleep(1)
    seconds = time.monotonic() - started
    # Beside each file set aside: its note for a person (.error.txt) and its record (.error.json).
    failed = len([p for p in (inbox / "failed").iterdir() if not p.name.endswith((".error.txt", ".error.json"))])
    notes = len(list((inbox / "failed").glob("*.error.txt")))
    left = len([p for p in inbox.iterdir() if p.is_file()])
    watcher.send_signal(signal.SIGTERM)
    stopped = watcher.wait(60) == 0
    again = _start_watch(archive_cmd, env, log)
    restarted = again.poll() is None
    again.send_signal(signal.SIGTERM)
    restarted &= again.wait(60) == 0
    return {
        "alive": alive_throughout,
        "seconds": seconds,
        "left_in_inbox": left,
        "failed": failed,
        "notes": notes,
        "stopped": stopped,
        "restarted": restarted,
    }


def _start_watch(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    before = log.read_bytes().count(b"Watching") if log.exists() else 0
    with open(log, "ab") as stderr:
        process = subprocess.Popen(command + ["watch"], env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 120
    while log.read_bytes().count(b"Watching") <= before and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return process


def _line(row: dict) -> str:
    over = row["peak_mb"] > TARGET_MB or row["seconds"] > TARGET_SECONDS
    raw = f"  | raw: {row['raw']:<18} {row['raw_seconds']:6.1f} s {row['raw_mb']:6.0f} MB" if "raw" in row else ""
    error = f" ({row['error'][:48]})" if row["error"] else ""
    return (
        f"{row['file'][:34]:<34} {row['status']:<9} {row['seconds']:6.1f} s {row['peak_mb']:6.0f} MB"
        f" {'OVER' if over else 'ok  '}{raw}{error}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="no corpus files, no raw baseline")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as scratch:
        folder = Path(scratch) / "files"
        folder.mkdir()
        print("making the hostile files…", flush=True)
        files = make_files(folder, with_corpus=not options.quick)
        print(
            f"\n{'file':<34} {'outcome':<9} {'time':>8} {'worker peak':>10}"
            f"  target ≤{TARGET_MB} MB, ≤{TARGET_SECONDS} s"
        )
        rows = ingest_each(Path(scratch) / "home", files, raw=not options.quick)
        worst_mb = max(row["peak_mb"] for row in rows)
        worst_s = max(row["seconds"] for row in rows)
        met = worst_mb <= TARGET_MB and worst_s <= TARGET_SECONDS
        print(f"\nworst: {worst_mb:.0f} MB, {worst_s:.1f} s -> {'met' if met else 'MISSED'}")
        print("\nthe same files dropped into the inbox of a running `archive watch`…", flush=True)
        watch = watch_throughout(Path(scratch) / "watch-home", files)
        print(
            f"watcher alive throughout: {watch['alive']}; all handled in {watch['seconds']:.0f} s; "
            f"left in inbox: {watch['left_in_inbox']}; set aside: {watch['failed']} (notes: {watch['notes']}); "
            f"stopped cleanly: {watch['stopped']}; started again cleanly: {watch['restarted']}"
        )
        if options.json:
            print(json.dumps({"rows": rows, "watch": watch}, indent=1))


if __name__ == "__main__":
    main()
