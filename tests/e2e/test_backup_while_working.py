"""Backups of a working archive: taken while the watcher files, and killed half-way.

Both run the real programs: `archive watch` filing from the inbox and `archive backup`
in their own processes, as on a front-office machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from storage import documents_repo
from storage.database import Database
from tests.documents import text_pdf
from tests.inbox.conftest import ARCHIVE, WatchProcess, wait_for

FILES = 100


def _cli(watcher: WatchProcess, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `archive` on the watcher's home; a loaded machine may take minutes, not the usual seconds."""
    result = subprocess.run(
        [str(ARCHIVE), "--home", str(watcher.home), *args], env=watcher.env, capture_output=True, text=True, timeout=600
    )
    assert not check or result.returncode == 0, f"archive {' '.join(args)}: {result.stderr}"
    return result


def test_a_backup_taken_while_100_files_are_filed_restores_every_committed_document(tmp_path: Path) -> None:
    watcher = WatchProcess(tmp_path / "home")
    staging = tmp_path / "scans"
    staging.mkdir()
    scans = [
        text_pdf(staging / f"scan-{n:03d}.pdf", [f"Factuur {n}\nBetreft: drukke ochtend {n}"]) for n in range(FILES)
    ]
    backed_up = threading.Event()

    def feed() -> None:
        """Scans keep arriving while the backup runs, as the morning post does; the rest once it ends."""
        for scan in scans:
            os.rename(scan, watcher.inbox / scan.name)
            if not backed_up.is_set():
                time.sleep(0.3)

    feeder = threading.Thread(target=feed)
    watcher.start()
    try:
        feeder.start()
        wait_for(lambda: len(watcher.documents()) >= 1, 120, "the first filing")
        # Everything committed before the backup begins must be in it, with its bytes.
        committed = dict(watcher.query("SELECT id, sha256 FROM documents"))
        try:
            taken = json.loads(_cli(watcher, "backup", str(tmp_path / "dest"), "--json").stdout)
        finally:
            backed_up.set()
            feeder.join()
        wait_for(lambda: len(watcher.documents()) == FILES, 180, "all files to be filed")
    finally:
        watcher.stop()
    assert taken["ok"], taken["problems"]
    # Its database copy was made while filing went on: not every file was filed yet.
    listed = json.loads(_cli(watcher, "backup", "list", str(tmp_path / "dest"), "--json").stdout)
    assert listed[0]["documents"].get("filed", 0) < FILES, "the backup did not overlap the filing"
    restored = _cli(watcher, "restore", str(tmp_path / "dest"), "--home", str(tmp_path / "new"), "--json", check=False)
    result = json.loads(restored.stdout)
    assert restored.returncode == 0 and result["verify"]["ok"], restored.stdout + restored.stderr
    db = Database.open(tmp_path / "new" / "archive.sqlite3")
    try:
        for document_id, sha256 in committed.items():
            row = documents_repo.get_document(db.read(), document_id)
            assert row is not None and row["sha256"] == sha256, document_id
            stored = tmp_path / "new" / "store" / "originals" / sha256[:2] / sha256[2:4] / sha256
            assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha256
    finally:
        db.close()


def _fill_store(home: Path, count: int, seed: int) -> int:
    """Put ``count`` originals of 256 kB of noise straight into the store; return their bytes."""
    db = Database.open(home / "archive.sqlite3")
    total = 0
    try:
        with db.atomic() as conn:
            for n in range(count):
                data = hashlib.sha256(f"{seed}-{n}".encode()).digest() * 8192
                sha256 = hashlib.sha256(data).hexdigest()
                path = home / "store" / "originals" / sha256[:2] / sha256[2:4] / sha256
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                path.chmod(0o440)
                document_id = documents_repo.insert_received(
                    conn,
                    {
                        "sha256": sha256,
                        "size": len(data),
                        "mime_type": "application/octet-stream",
                        "original_filename": f"noise-{seed}-{n}.bin",
                        "source": None,
                        "channel": "cli",
                        "hinted": "{}",
                        "created_by": "system",
                        "created_at": "2026-03-02T09:00:00.000000Z",
                    },
                )
                documents_repo.update_document(conn, document_id, state="filed")
                total += len(data)
    finally:
        db.close()
    return total


def _objects(dest: Path) -> int:
    return sum(1 for _ in (dest / "objects").glob("*/*"))


def test_kill_9_during_a_backup_leaves_the_previous_snapshot_intact_and_the_next_run_completes(tmp_path: Path) -> None:
    watcher = WatchProcess(tmp_path / "home")  # a home and the command line on it; no watcher needed
    dest = tmp_path / "dest"
    _fill_store(watcher.home, 100, seed=1)
    first = json.loads(_cli(watcher, "backup", str(dest), "--json").stdout)
    assert first["number"] == 1
    before = _objects(dest)
    new_bytes = _fill_store(watcher.home, 600, seed=2)
    backup = subprocess.Popen(
        [str(ARCHIVE), "--home", str(watcher.home), "backup", str(dest)],
        env=watcher.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300  # the command takes seconds to start on a loaded machine
    while _objects(dest) < before + 20 and backup.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    backup.send_signal(signal.SIGKILL)
    assert backup.wait(10) == -signal.SIGKILL
    assert sorted(p.name for p in (dest / "snapshots").iterdir()) == ["00000001.snapshot"], (
        "the backup finished before it could be killed: give it more to copy"
    )
    assert _objects(dest) >= before + 20
    assert _cli(watcher, "backup", "verify", str(dest), "--deep").returncode == 0  # snapshot 1 is whole
    second = json.loads(_cli(watcher, "backup", str(dest), "--json").stdout)
    assert second["ok"] and second["number"] == 2
    assert second["bytes_written"] < new_bytes  # what the killed run wrote is used, not written again
    assert not list((watcher.home / "store" / "tmp").glob("backup-*")), "the killed run's database copy is left"
    assert _cli(watcher, "backup", "verify", str(dest), "--deep").returncode == 0
    listed = json.loads(_cli(watcher, "backup", "list", str(dest), "--json").stdout)
    assert listed[-1]["documents"] == {"filed": 700}
