"""Taking a snapshot: what it holds, what it reuses, and what it says about a damaged store."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from archive.backup import chunks
from archive.backup.destination import Destination
from archive.backup.manifest import DATABASE_PATH
from archive.backup.reading import read_manifest
from archive.backup.service import BackupRequest, snapshots, verify
from archive.errors import Conflict, InvalidInput
from tests.backup.conftest import take
from tests.records.conftest import AUDITOR, RITA, file_document


def _original_path(sha256: str) -> str:
    return f"store/originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def test_a_snapshot_holds_database_originals_derivatives_evidence_and_public_key(home, backups, tmp_path: Path) -> None:
    document = file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    sha256 = home.document(document, RITA).sha256
    assert home.thumbnail_path(document, RITA) is not None  # a born-digital PDF's: drawn when first shown
    (home.config.inbox_path / "failed" / "kapot.pdf").write_bytes(b"not a pdf")
    result = take(backups, tmp_path / "dest")
    assert result.ok and result.number == 1 and result.files_reused == 0
    manifest = read_manifest(Destination.open(tmp_path / "dest"), 1)
    kinds = {entry.path: entry.kind for entry in manifest.files}
    assert kinds[DATABASE_PATH] == "database" and kinds[_original_path(sha256)] == "original"
    assert any(kind == "derivative" and sha256 in path for path, kind in kinds.items())
    assert any(kind == "checkpoint" for kind in kinds.values())
    assert kinds["keys/checkpoint.pub"] == "public_key" and kinds["inbox/failed/kapot.pdf"] == "set_aside"
    assert not any(path.endswith(".key") for path in kinds) and manifest.sealed == ()
    assert not any(path.startswith(("index/", "logs/")) for path in kinds)
    entry = manifest.entry(_original_path(sha256))
    assert entry.sha256 == sha256 and entry.size == home.store.path_for(sha256).stat().st_size
    assert manifest.audit_head["seq"] > 0 and manifest.documents == {"filed": 1}
    # A plain destination keeps a small original under its own name, byte for byte.
    assert (
        Destination.open(tmp_path / "dest").object_path(sha256).read_bytes() == home.store.path_for(sha256).read_bytes()
    )


def test_the_next_snapshot_reads_only_what_changed(home, backups, tmp_path: Path, clock) -> None:
    for _ in range(3):
        file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    first = take(backups, tmp_path / "dest")
    clock.advance(days=1)
    file_document(home, tmp_path, "letter", date(2025, 1, 1))
    second = take(backups, tmp_path / "dest")
    # The new document's original (its thumbnail is drawn when first shown), the day's new
    # checkpoint (signed before every backup when due) and the database copy: nothing else is read.
    assert second.files == first.files + 2 and second.files_reused == first.files - 1
    assert second.files_read == 3
    assert second.bytes_written < first.bytes_written


def test_private_keys_only_when_asked_and_then_sealed(home, backups, tmp_path: Path) -> None:
    secret = home.records.key_path.read_bytes()
    result = take(backups, tmp_path / "dest", private_keys=True)
    manifest = read_manifest(Destination.open(tmp_path / "dest"), result.number)
    assert [entry.path for entry in manifest.sealed] == ["keys/checkpoint.key", "keys/audit.key"]
    pem_body = secret.splitlines()[1]
    for path in (tmp_path / "dest").rglob("*"):
        if path.is_file():
            assert pem_body not in path.read_bytes()
    with pytest.raises(InvalidInput, match="passphrase"):
        backups.backup(BackupRequest(tmp_path / "other", private_keys=True))


def test_a_damaged_original_is_reported_and_the_good_copy_kept(home, backups, tmp_path: Path, clock) -> None:
    document = file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    sha256 = home.document(document, RITA).sha256
    take(backups, tmp_path / "dest")
    stored = home.store.path_for(sha256)
    stored.chmod(stat.S_IRUSR | stat.S_IWUSR)
    stored.write_bytes(b"bit rot")
    clock.advance(days=1)
    second = take(backups, tmp_path / "dest")
    assert not second.ok and any(f"Document {document}" in p and "altered" in p for p in second.problems)
    entry = read_manifest(Destination.open(tmp_path / "dest"), second.number).entry(_original_path(sha256))
    assert entry is not None and entry.sha256 == sha256  # the earlier, correct bytes
    assert verify(tmp_path / "dest", deep=True).ok
    stored.unlink()
    third = take(backups, tmp_path / "dest")
    assert any(f"Document {document}: its original is missing" in p for p in third.problems)


def test_a_failed_or_flawed_backup_is_remembered_and_audited(home, backups, tmp_path: Path) -> None:
    taken = take(backups, tmp_path / "dest")
    assert backups.status().state == "ok" and backups.status().snapshot == taken.number
    (tmp_path / "occupied").mkdir()
    (tmp_path / "occupied" / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(Conflict, match="not empty"):
        take(backups, tmp_path / "occupied")
    status = backups.status()
    assert status.state == "failed" and "not empty" in status.error and status.alarming
    actions = [entry["action"] for entry in home.records.audit_log(AUDITOR)]
    assert "backup" in actions and "backup_failed" in actions


def test_encryption_is_chosen_when_a_destination_is_made(home, backups, tmp_path: Path) -> None:
    take(backups, tmp_path / "plain")
    with pytest.raises(InvalidInput, match="unencrypted"):
        take(backups, tmp_path / "plain", encrypt=True)
    take(backups, tmp_path / "secret", encrypt=True)
    second = take(backups, tmp_path / "secret")  # stays encrypted without asking again
    assert second.encrypted
    listed = snapshots(tmp_path / "secret", lambda: "correct horse battery staple")
    assert [item["number"] for item in listed] == [2]  # pruned to the newest of the day
    descriptor = json.loads((tmp_path / "secret" / "backup.json").read_text())
    assert descriptor["encryption"]["kdf"]["name"] == "argon2id"


def test_a_scheduled_backup_does_not_start_over_where_the_backups_vanished(home, backups, tmp_path: Path) -> None:
    dest = tmp_path / "usb"
    take(backups, dest, scheduled=True)
    for path in sorted(dest.rglob("*"), reverse=True):  # the disk is unplugged: an empty mount point
        path.unlink() if path.is_file() else path.rmdir()
    with pytest.raises(Exception, match="is the disk or share connected"):
        take(backups, dest, scheduled=True)
    assert not os.listdir(dest)
    assert take(backups, dest).number == 1  # by hand: a new series


def test_stacks_and_mail_messages_kept_whole_are_backed_up_too(home, backups, config, tmp_path: Path) -> None:
    import hashlib

    from tests.backup.conftest import restore_into
    from tests.mail.messages import build_message, pdf_bytes

    message = tmp_path / "factuur.eml"
    message.write_bytes(
        bytes(build_message(attachments=[("factuur.pdf", pdf_bytes(tmp_path, "Factuur 7"), "application/pdf")]))
    )
    assert home.ingest(message).status == "filed"
    raw = hashlib.sha256(message.read_bytes()).hexdigest()
    stack = b"%PDF-1.4 a scanned stack kept whole\n%%EOF\n"
    sha256 = hashlib.sha256(stack).hexdigest()
    stored = home.store.path_for(sha256)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(stack)
    with home.db.atomic() as conn:
        conn.execute(
            "INSERT INTO stacks (sha256, size, mime_type, original_filename, channel, state, created_by,"
            " created_at) VALUES (?, ?, 'application/pdf', 'stapel.pdf', 'inbox', 'split', 'system',"
            " '2026-03-02T09:00:00Z')",
            (sha256, len(stack)),
        )
    result = take(backups, tmp_path / "dest")
    paths = {entry.path for entry in read_manifest(Destination.open(tmp_path / "dest"), result.number).files}
    assert _original_path(raw) in paths and _original_path(sha256) in paths
    restored = restore_into(config, tmp_path / "dest", tmp_path / "new")
    assert restored.ok, restored.verify["problems"]  # verify checks stacks' and messages' originals as well


def test_a_home_whose_database_is_on_a_server_is_refused_not_copied_empty(home, tmp_path: Path) -> None:
    import dataclasses

    from archive.backup.service import BackupService
    from archive.config import DatabaseSettings

    server = DatabaseSettings(url="postgresql://archive@127.0.0.1:1/archief")
    core = dataclasses.replace(home.core, config=dataclasses.replace(home.config, database=server))
    with pytest.raises(InvalidInput, match="PostgreSQL server"):
        take(BackupService(core), tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_a_database_changed_here_and_there_writes_only_the_changed_stretches(tmp_path: Path) -> None:
    destination = Destination.open_or_create(tmp_path / "dest", "", "2026-03-02T09:00:00Z", encrypt=False)
    database = tmp_path / "copy.sqlite3"
    data = bytearray(os.urandom(2 * 1024 * 1024))
    database.write_bytes(data)
    first = chunks.put_file(destination, database, chunks.DATABASE_CHUNK)
    for page in (3, 200, 411):  # a filing's index pages lie all over the file
        data[page * 4096] ^= 0xFF
    database.write_bytes(data)
    second = chunks.put_file(destination, database, chunks.DATABASE_CHUNK)
    assert first.written == len(data) and second.sha256 != first.sha256
    assert second.written <= 3 * chunks.DATABASE_CHUNK < len(data) // 4
    assert len(set(first.chunks) & set(second.chunks)) == len(second.chunks) - 3
