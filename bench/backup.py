"""Benchmark of backups, restores and filing during a backup, at 10,000 documents.

    .venv/bin/python bench/backup.py            # 10,000 documents (about 1.8 GB of files)
    .venv/bin/python bench/backup.py --quick    # 200 documents, one run each: that it works

Seeds a real archive home through the archive's own service: documents with page
texts and facts, the audit trail with its seals, and per document an original (seven
in ten born-digital PDFs of 20-100 kB, three in ten scans of 100-300 kB: valid PDFs
around incompressible bytes, as compressed PDFs and JPEG scans are), a JPEG
thumbnail, and for scans a searchable PDF of about the scan's size; then its search
index, and `archive verify` must pass. The page texts are given rather than read,
which would take an hour of CPU. The seeded home is kept in $BENCH_CACHE (default
~/.cache/front-office-archive-bench) and reused while the schema and the seeding stay
the same; each run works on a copy. Then, on the same disk and in the same run, with
the real `archive` command:

1. the first backup against `cp -a` of the home, both made durable (cp -a followed
   by `sync -f` of the destination's file system; the backup flushes its own files)
   — MB/s of the bytes each copies (the backup leaves out the index and the log,
   which cp -a copies), median of alternating runs; target >= 0.8x;
2. an incremental snapshot after 100 new documents are filed with `archive ingest`
   (wall time of the command, and the snapshot's own time); target < 5 s;
3. a restore of the newest snapshot into a new home: the files' MB/s, then the
   whole command (opening the restored archive rebuilds its index; then verify);
4. the filing rate of `archive ingest` (born-digital PDFs) without a backup and while
   backups run back to back (each a first backup to a fresh destination, the
   heaviest kind); target >= 0.8x.

The first backup to an encrypted destination is listed too, for comparison. The
machine's load averages are printed with the figures: other work on the machine
moves them, the ratios measured in the same run much less.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# The `archive` commands run this checkout's code, whichever one the environment installed.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))

from storage import documents_repo  # noqa: E402
from tests.documents import text_pdf  # noqa: E402

ARCHIVE = Path(sys.executable).parent / "archive"
SEED = 20261201
WORDS = (
    "factuur huur kantoor betreft overeenkomst cliënt dossier bedrag termijn jansen utrecht "
    "verzekering polis loonstrook netto bruto periode brief geachte groet afspraak"
).split()
PASSPHRASE = "Bench-Zeven-Zeeuwse-Zeilboten"
ROUNDS = 3
FILING_ROUNDS = 3
NEW_DOCUMENTS = 100  # the incremental snapshot follows this many new documents
# Where the seeded homes are kept between runs (outside the repository: gigabytes).
CACHE = Path(os.environ.get("BENCH_CACHE", Path.home() / ".cache" / "front-office-archive-bench"))
SEEDING = 2  # the version of seed_home: a change builds the cached homes again


def seed_home(home: Path, documents: int) -> int:
    """File ``documents`` documents with their files into a new home; return the bytes of files.

    Through the archive's own service (its database, store layout and audit trail, with
    seals and the head file), but without reading each PDF, which would take an hour of
    CPU at 10,000: the page texts and facts are given. Originals are valid PDFs (a text
    page with an incompressible image, as scans and compressed PDFs are), thumbnails
    real JPEGs. `archive verify` passes on the result (checked when it is built).
    """
    from archive.access.actors import SYSTEM
    from archive.config import load_config
    from archive.service import Archive
    from ingest.thumbnail import THUMBNAIL_KIND

    env = {**os.environ, "ARCHIVE_ADMIN_PASSWORD": "Bench-Beheer-2026!x"}
    subprocess.run([str(ARCHIVE), "--home", str(home), "init"], check=True, env=env, capture_output=True)
    rng = random.Random(SEED)
    total = 0
    with Archive.open(load_config(home=home)) as archive:
        store = archive.store
        for start in range(1, documents + 1, SEED_BATCH):
            with archive.db.atomic() as conn:
                for number in range(start, min(start + SEED_BATCH, documents + 1)):
                    total += _seed_document(archive, conn, store, rng, number, SYSTEM, THUMBNAIL_KIND)
    subprocess.run(["sync", "-f", str(home)], check=True)
    return total


SEED_BATCH = 500  # documents per transaction while seeding


def _seed_document(archive, conn, store, rng: random.Random, number: int, actor, thumbnail_kind: str) -> int:
    scan = rng.random() < 0.3
    pages = [" ".join(rng.choices(WORDS, k=220)) for _ in range(rng.randint(1, 3))]
    data = pdf_bytes(pages, rng, rng.randint(100_000, 300_000) if scan else rng.randint(20_000, 100_000))
    sha256 = hashlib.sha256(data).hexdigest()
    total = _put(store.path_for(sha256), data, 0o400)
    total += _put(store.derivative_path(sha256, thumbnail_kind), jpeg_bytes(rng), 0o600)
    if scan:
        total += _put(store.derivative_path(sha256, "pdf"), pdf_bytes(pages, rng, len(data)), 0o600)
    at = f"2026-{1 + number % 11:02d}-{1 + number % 27:02d}T09:00:00.000000Z"
    name = f"scan-{number}.pdf"
    document_id = documents_repo.insert_received(
        conn,
        {
            "sha256": sha256,
            "size": len(data),
            "mime_type": "application/pdf",
            "original_filename": name,
            "source": None,
            "channel": "inbox",
            "hinted": "{}",
            "created_by": actor.name,
            "created_at": at,
        },
    )
    archive.audit.record(
        actor, "receive", document_id, details={"sha256": sha256, "filename": name, "channel": "inbox"}
    )
    documents_repo.replace_pages(
        conn,
        document_id,
        [
            {"number": n, "text": text, "ocr": int(scan), "confidence": 91.0 if scan else None, "rotated": 0}
            for n, text in enumerate(pages, start=1)
        ],
    )
    documents_repo.update_document(
        conn,
        document_id,
        state="filed",
        pages=len(pages),
        ocr=int(scan),
        document_type="invoice",
        document_date="2025-06-01",
        amount=f"{number}.00",
        currency="EUR",
        filed_at=at,
        has_rendition=int(scan),
        title=f"Factuur {number}",
    )
    retention_until = archive.records.retention.refresh(conn, documents_repo.get_document(conn, document_id))
    archive.audit.record(
        actor,
        "file",
        document_id,
        details={
            "document_type": "invoice",
            "pages": len(pages),
            "ocr": scan,
            "channel": "inbox",
            "retention_until": retention_until,
        },
    )
    return total


def pdf_bytes(pages: list[str], rng: random.Random, size: int) -> bytes:
    """Return a valid PDF of about ``size`` bytes: text pages, the first with an image of noise."""
    side = max(16, int((max(size - 2_000, 256)) ** 0.5))
    image = rng.randbytes(side * side)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]  # the page tree is filled in below
    kids = []
    for text in pages:
        lines = [text[i : i + 90] for i in range(0, len(text), 90)]
        body = "BT /F1 10 Tf 50 800 Td 12 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
        if not kids:
            body = f"q 200 0 0 200 300 50 cm /Im1 Do Q {body}"
        content = body.encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        content_ref = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
            b" /XObject << /Im1 IMAGE 0 R >> >> >>" % content_ref
        )
        kids.append(len(objects))
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, len(image)) + image + b"\nendstream"
    )
    image_ref = str(len(objects)).encode()
    objects = [o.replace(b"IMAGE", image_ref) for o in objects]
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def jpeg_bytes(rng: random.Random) -> bytes:
    """Return a real JPEG thumbnail (of noise: 8-16 kB, as a page's thumbnail is)."""
    from PIL import Image

    side = rng.randint(90, 120)
    buffer = io.BytesIO()
    Image.frombytes("L", (side, side), rng.randbytes(side * side)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _put(path: Path, data: bytes, mode: int) -> int:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode | 0o200)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)
    return len(data)


def cached_home(documents: int) -> Path:
    """Return a home of ``documents`` documents with its index, built once and kept in $BENCH_CACHE.

    Built again when this release's schema or the seeding changed. The bench works on
    a copy of it (filing changes a home).
    """
    from storage.migrations import latest_number

    folder = CACHE / f"backup-{documents}"
    key = {"documents": documents, "seed": SEED, "seeding": SEEDING, "schema": latest_number()}
    try:
        if json.loads((folder / "built.json").read_text()) == key:
            return folder / "home"
    except (OSError, ValueError):
        pass
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    files = seed_home(folder / "home", documents)
    archive_cli(folder / "home", "reindex")
    report = json.loads(archive_cli(folder / "home", "verify", "--json", check=False).stdout)
    if not report.get("ok"):
        raise SystemExit(f"the seeded home does not verify: {report.get('problems')}")
    (folder / "built.json").write_text(json.dumps(key))
    print(
        f"built a home of {documents:,} documents ({files / 1e9:.2f} GB of files, index, verified) "
        f"in {time.perf_counter() - started:.0f} s, kept in {folder}",
        flush=True,
    )
    return folder / "home"


def load() -> str:
    """Return the machine's load averages (1, 5, 15 min): what else ran beside the bench."""
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def archive_cli(home: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(ARCHIVE), "--home", str(home), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ARCHIVE_BACKUP_PASSPHRASE": PASSPHRASE, **(env or {})},
    )
    if check and result.returncode != 0:
        raise SystemExit(f"archive {' '.join(args)} failed: {result.stderr or result.stdout}")
    return result


def copy_with_cp(home: Path, target: Path) -> float:
    """Return the seconds `cp -a` (made durable with `sync -f`) takes to copy the home."""
    started = time.perf_counter()
    subprocess.run(["cp", "-a", str(home), str(target)], check=True)
    subprocess.run(["sync", "-f", str(target)], check=True)
    return time.perf_counter() - started


def first_backup(home: Path, dest: Path, *options: str, env: dict | None = None) -> tuple[float, dict]:
    started = time.perf_counter()
    result = json.loads(archive_cli(home, "backup", str(dest), "--json", *options, env=env).stdout)
    return time.perf_counter() - started, result


def at_normal_priority(work: Path) -> dict:
    """The environment for a backup at `cp -a`'s own priority: the copying itself is compared, not who goes first.

    By default a backup stands back for every other program ([backup] priority = "idle"),
    which on a busy machine says more about the other programs than about the backup.
    """
    config = work / "normal-priority.toml"
    config.write_text('[backup]\npriority = "normal"\n')
    return {"ARCHIVE_CONFIG": str(config)}


def compare_first_backup(home: Path, work: Path) -> dict:
    home_bytes = tree_bytes(home)
    cp_rates, backup_rates, backup_seconds, cp_seconds, backed_up = [], [], [], [], 0
    normal = at_normal_priority(work)
    for round_ in range(ROUNDS):
        target = work / f"cp-{round_}"
        cp_seconds.append(copy_with_cp(home, target))
        cp_rates.append(home_bytes / cp_seconds[-1] / 1e6)
        shutil.rmtree(target)
        dest = work / f"first-{round_}"
        seconds, result = first_backup(home, dest, env=normal)
        backed_up = result["bytes"]
        backup_seconds.append(seconds)
        backup_rates.append(backed_up / seconds / 1e6)
        if round_ < ROUNDS - 1:
            shutil.rmtree(dest)
    return {
        "home_bytes": home_bytes,
        "backup_bytes": backed_up,
        "cp": statistics.median(cp_rates),
        "backup": statistics.median(backup_rates),
        "cp_s": statistics.median(cp_seconds),
        "backup_s": statistics.median(backup_seconds),
        "dest": work / f"first-{ROUNDS - 1}",
    }


def incremental(home: Path, dest: Path, work: Path) -> tuple[float, float, float]:
    """File NEW_DOCUMENTS new documents, then time the next snapshot; return (command s, snapshot s, CPU s) medians.

    The command's CPU seconds (user + system) hardly move with what else runs on the
    machine, its wall time does: at its low priority a backup waits for every other program.
    """
    walls, own, cpu = [], [], []
    for round_ in range(ROUNDS):
        folder = work / f"new-{round_}"
        folder.mkdir()
        sources = [
            text_pdf(folder / f"brief-{round_}-{n}.pdf", [f"Brief {round_}-{n}\nBetreft: nieuw {n}"])
            for n in range(NEW_DOCUMENTS)
        ]
        archive_cli(home, "ingest", *map(str, sources))
        before, started = _children_cpu(), time.perf_counter()
        result = json.loads(archive_cli(home, "backup", str(dest), "--json").stdout)
        walls.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - before)
        own.append(result["seconds"])
    return statistics.median(walls), statistics.median(own), statistics.median(cpu)


def _children_cpu() -> float:
    """Return the CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def restore(dest: Path, work: Path) -> dict:
    started = time.perf_counter()
    result = archive_cli(work, "restore", str(dest), "--home", str(work / "restored"), "--json", check=False)
    wall = time.perf_counter() - started
    report = json.loads(result.stdout)
    if not report.get("ok"):
        raise SystemExit(f"the restored home did not verify: {report.get('verify', {}).get('problems')}")
    return {"bytes": report["bytes"], "files_s": report["seconds_files"], "total_s": wall}


def filing_rate(home: Path, work: Path, count: int, with_backup: bool, round_: int) -> float:
    folder = work / f"filing-{round_}-{int(with_backup)}"
    folder.mkdir()
    sources = [
        text_pdf(
            folder / f"factuur-{n}.pdf",
            [f"Factuur {round_}-{n}-{int(with_backup)}\nTotaal EUR {n},00\n" + " ".join(WORDS)],
        )
        for n in range(count)
    ]
    stop = threading.Event()
    loop = threading.Thread(target=_backups_until, args=(home, work / f"busy-{round_}", stop))
    if with_backup:
        loop.start()
        time.sleep(1.0)  # the first backup is under way before filing starts
    started = time.perf_counter()
    archive_cli(home, "ingest", *map(str, sources))
    seconds = time.perf_counter() - started
    stop.set()
    if with_backup:
        loop.join()
    return count / seconds


def _backups_until(home: Path, base: Path, stop: threading.Event) -> None:
    number = 0
    while not stop.is_set():
        dest = base / str(number)
        archive_cli(home, "backup", str(dest), check=False)
        shutil.rmtree(dest, ignore_errors=True)
        number += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="200 documents, one run of each step: does it work (its figures say little)",
    )
    args = parser.parse_args()
    documents = 200 if args.quick else 10_000
    if args.quick:
        global ROUNDS, FILING_ROUNDS, NEW_DOCUMENTS
        ROUNDS, FILING_ROUNDS, NEW_DOCUMENTS = 1, 1, 20
    work = Path(tempfile.mkdtemp(prefix="bench-backup-", dir=os.environ.get("BENCH_DIR")))
    try:
        _run(work, documents)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, documents: int) -> None:
    home = work / "home"
    cached = cached_home(documents)
    started = time.perf_counter()
    subprocess.run(["cp", "-a", str(cached), str(home)], check=True)
    subprocess.run(["sync", "-f", str(home)], check=True)
    print(
        f"{documents:,} documents (store {tree_bytes(home / 'store') / 1e9:.2f} GB, "
        f"home {tree_bytes(home) / 1e9:.2f} GB, "
        f"database {(home / 'archive.sqlite3').stat().st_size / 1e6:.0f} MB), copied from {cached} "
        f"in {time.perf_counter() - started:.0f} s; load {load()}",
        flush=True,
    )
    first = compare_first_backup(home, work)
    idle_s, idle = first_backup(home, work / "idle")
    first["idle"] = idle["bytes"] / idle_s / 1e6
    shutil.rmtree(work / "idle")
    encrypted_s, encrypted = first_backup(home, work / "encrypted", "--encrypt", env=at_normal_priority(work))
    shutil.rmtree(work / "encrypted")
    dest = first["dest"]
    increment_wall, increment_own, increment_cpu = incremental(home, dest, work)
    restored = restore(dest, work)
    shutil.rmtree(work / "restored")
    rates = {False: [], True: []}
    count = 10 if documents < 1_000 else 80
    for round_ in range(FILING_ROUNDS):
        for with_backup in (False, True):
            rates[with_backup].append(filing_rate(home, work, count, with_backup, round_))
    alone, during = statistics.median(rates[False]), statistics.median(rates[True])
    _print_table(
        first,
        encrypted["bytes"] / encrypted_s / 1e6,
        (increment_wall, increment_own, increment_cpu),
        restored,
        alone,
        during,
        documents,
    )


def _print_table(
    first: dict,
    encrypted: float,
    increment: tuple[float, float, float],
    restored: dict,
    alone: float,
    during: float,
    documents: int,
) -> None:
    restore_rate = restored["bytes"] / restored["files_s"] / 1e6
    increment_wall, increment_own, increment_cpu = increment
    rows = [
        (
            "cp -a of the home + sync (raw baseline)",
            f"{first['cp']:.0f} MB/s",
            f"{first['home_bytes'] / 1e9:.2f} GB in {first['cp_s']:.1f} s",
            "",
        ),
        (
            "first backup (plain destination, priority normal as cp -a)",
            f"{first['backup']:.0f} MB/s",
            f"{first['backup_bytes'] / 1e9:.2f} GB in {first['backup_s']:.1f} s",
            _verdict(first["backup"] / first["cp"], 0.8, "x cp -a", higher=True),
        ),
        (
            "first backup (default priority idle: behind all else)",
            f"{first['idle']:.0f} MB/s",
            "",
            f"{first['idle'] / first['cp']:.2f}x cp -a",
        ),
        (
            "first backup (encrypted destination, priority normal)",
            f"{encrypted:.0f} MB/s",
            "",
            f"{encrypted / first['cp']:.2f}x cp -a",
        ),
        (
            f"incremental snapshot after {NEW_DOCUMENTS} new documents",
            f"{increment_wall:.1f} s",
            f"snapshot {increment_own:.1f} s, CPU {increment_cpu:.1f} s",
            _verdict(increment_wall, 5.0, "s", higher=False),
        ),
        (
            "restore: the snapshot's files",
            f"{restore_rate:.0f} MB/s",
            f"{restored['bytes'] / 1e9:.2f} GB in {restored['files_s']:.1f} s",
            f"{restore_rate / first['cp']:.2f}x cp -a",
        ),
        ("restore: whole command (+ index rebuild, verify)", f"{restored['total_s']:.0f} s", "", ""),
        ("filing rate without a backup (archive ingest)", f"{alone:.1f} docs/s", "", ""),
        ("filing rate during backups", f"{during:.1f} docs/s", "", _verdict(during / alone, 0.8, "x", higher=True)),
    ]
    print(
        f"\nBackups at {documents:,} documents (medians; {ROUNDS} runs of each copy, {FILING_ROUNDS} of each "
        f"filing; load at the end {load()})"
    )
    width = max(len(row[0]) for row in rows)
    for name, value, detail, verdict in rows:
        print(f"  {name:<{width}}  {value:>12}  {detail:<26}  {verdict}")


def _verdict(value: float, target: float, unit: str, higher: bool) -> str:
    met = value >= target if higher else value < target
    shown = f"{value:.2f}{unit}" if unit.startswith("x") else f"{value:.1f} {unit}"
    return (
        f"{shown} (target {'>=' if higher else '<'} {target}{'' if unit.startswith('x') else ' ' + unit}: "
        f"{'met' if met else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
