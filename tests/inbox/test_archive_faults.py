"""The archive's own faults are not the document's: the inbox pauses, keeps the files, resumes by itself."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from archive.access.actors import SYSTEM
from archive.config import Config
from archive.documents.faults import fault_of_archive
from archive.inbox import pause as pause_module
from archive.inbox.service import InboxService
from archive.service import Archive
from tests.documents import INVOICE_NL, text_pdf
from tests.inbox.conftest import wait_for


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 64 MB tmpfs to hold the archive home (root only); unmounted after the test."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"this machine cannot mount a tmpfs: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def quick_pause(monkeypatch):
    monkeypatch.setattr(pause_module, "CHECK_SECONDS", 0.3)


def _open(config: Config, home: Path, settle: float = 0.1) -> Archive:
    settings = dataclasses.replace(config.ingest, settle_seconds=settle, rescan_seconds=0.5, workers=2)
    return Archive.open(dataclasses.replace(config, home=home, ingest=settings), create=True)


def _fill(disk: Path) -> Path:
    ballast = disk / "ballast"
    with open(ballast, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 2**20)
                out.flush()
        except OSError:
            pass
    return ballast


def test_a_full_disk_pauses_the_inbox_keeps_the_files_and_resumes_when_space_is_back(
    config, small_disk, quick_pause
) -> None:
    archive = _open(config, small_disk / "home", settle=1.5)
    service = InboxService(archive, SYSTEM)
    try:
        service.start()
        inbox = archive.config.inbox_path
        for number in range(3):
            text_pdf(inbox / f"good-{number}.pdf", [INVOICE_NL.replace("0012", f"99{number}")])
        ballast = _fill(small_disk)  # while the files settle: filing them finds the disk full
        wait_for(lambda: service.pause.active, 30, "the pause")
        assert "full" in str(service.pause.reason)
        assert sorted(p.name for p in inbox.glob("*.pdf")) == [f"good-{n}.pdf" for n in range(3)]
        # nothing set aside, no half notes (the pause's own probe may be there for a moment)
        assert not [p for p in (inbox / "failed").iterdir() if not p.name.startswith(".probe-")]
        assert archive.inbox_status()["paused"]["reason"] == str(service.pause.reason)
        ballast.unlink()
        wait_for(lambda: not list(inbox.glob("*.pdf")), 60, "filing to resume by itself")
        filed = archive.db.read().execute("SELECT COUNT(*) FROM documents WHERE state = 'filed'").fetchone()[0]
        assert filed == 3 and not service.pause.active
    finally:
        service.stop()
        archive.close()


def test_a_failed_folder_replaced_by_a_file_pauses_instead_of_stopping_the_watcher(
    config, tmp_path, quick_pause
) -> None:
    archive = _open(config, tmp_path / "home2")
    failed = archive.config.inbox_path / "failed"
    shutil.rmtree(failed)
    failed.write_text("not a folder")
    text_pdf(archive.config.inbox_path / "letter.pdf", [INVOICE_NL])
    service = InboxService(archive, SYSTEM)
    try:
        service.start()  # starts: no FileExistsError
        assert service.pause.active and "not a folder" in str(service.pause.reason)
        assert (archive.config.inbox_path / "letter.pdf").exists()
        failed.unlink()
        # The paused watcher's next look may make the missing folder itself first.
        failed.mkdir(exist_ok=True)
        wait_for(lambda: not (archive.config.inbox_path / "letter.pdf").exists(), 60, "filing after the fix")
    finally:
        service.stop()
        archive.close()


@pytest.fixture
def read_only_failed(config, tmp_path: Path):
    """An archive whose inbox/failed is a read-only file system (root only); unmounted after the test."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a file system needs root")
    archive = _open(config, tmp_path / "home3")
    failed = archive.config.inbox_path / "failed"
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(failed)], capture_output=True)
    if done.returncode != 0:
        archive.close()
        pytest.skip(f"this machine cannot mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield archive, failed
    finally:
        subprocess.run(["umount", "-l", str(failed)], check=False)
        archive.close()


def test_an_unwritable_failed_folder_pauses_once_instead_of_retrying_each_rescan(read_only_failed, quick_pause):
    archive, failed = read_only_failed
    broken = archive.config.inbox_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 300 + b"\n%%EOF\n")
    service = InboxService(archive, SYSTEM)
    try:
        service.start()
        wait_for(lambda: service.pause.active, 30, "the pause")
        assert "read-only" in str(service.pause.reason)
        time.sleep(2.0)  # several rescans and checks while paused: none may set the file aside or record it
        assert broken.exists()  # left in the inbox, not lost and not half moved
        failures = (
            archive.db.read().execute("SELECT COUNT(*) FROM audit_log WHERE action = 'ingest_failed'").fetchone()[0]
        )
        assert failures <= 1  # one outcome, not one per rescan
        subprocess.run(["umount", "-l", str(failed)], check=True)
        # The file moves first and its note follows: wait for the note, then both are there.
        wait_for(lambda: (failed / "broken.pdf.error.txt").exists(), 60, "the file to be set aside after the fix")
        assert not broken.exists() and (failed / "broken.pdf").read_bytes().startswith(b"%PDF-1.4")
    finally:
        service.stop()


def test_a_read_only_database_is_a_fault_of_the_archive(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    path.chmod(0o444)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as raised:
        connection.execute("INSERT INTO t VALUES (1)")
    assert "cannot be written" in str(fault_of_archive(raised.value))
    full = fault_of_archive(OSError(28, "No space left on device"))
    assert full is not None and full.code == "fault.disk_full" and str(full).startswith("The archive's disk is full")
    assert fault_of_archive(ValueError("a bad file")) is None


def test_every_fault_of_the_archive_is_a_coded_sentence_with_its_dutch() -> None:
    """Each fault the archive can have is worded from the catalogue, in Dutch too (the inbox page)."""
    import errno as codes
    import sqlite3

    from archive.wording import office_wording

    found = [fault_of_archive(OSError(number, "x")) for number in (codes.ENOSPC, codes.EROFS, codes.ENOTCONN)]
    for name in ("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_READONLY", "SQLITE_IOERR"):
        error = sqlite3.OperationalError("x")
        error.sqlite_errorname = name
        found.append(fault_of_archive(error))
    dutch = office_wording("nl")
    for fault in found:
        assert fault is not None and fault.code.startswith("fault.")
        assert dutch(fault) != str(fault), fault.code
