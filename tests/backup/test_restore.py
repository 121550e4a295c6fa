"""Restore: a working, verified home from a snapshot; never over an existing one; no destroyed record back silently."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.backup.destination import Destination
from archive.backup.state import backup_figures
from archive.errors import Conflict, IntegrityFailure, InvalidInput, NotFound
from search import SearchRequest
from tests.backup.conftest import restore_into, take
from tests.records.conftest import AUDITOR, RITA, file_document


def test_restore_refuses_an_existing_home(home, backups, config, tmp_path: Path) -> None:
    take(backups, tmp_path / "dest")
    with pytest.raises(Conflict, match="never writes over an existing home"):
        restore_into(config, tmp_path / "dest", config.home)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    with pytest.raises(Conflict, match="not empty"):
        restore_into(config, tmp_path / "dest", taken)
    assert (taken / "notes.txt").read_text() == "mine" and sorted(p.name for p in taken.iterdir()) == ["notes.txt"]
    with pytest.raises(NotFound, match="no snapshot 7"):
        restore_into(config, tmp_path / "dest", tmp_path / "new", snapshot=7)
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("encrypt", [False, True])
def test_restore_gives_a_verified_working_home(home, backups, config, tmp_path: Path, encrypt: bool) -> None:
    documents = [file_document(home, tmp_path, "invoice", date(2024, 6, day)) for day in (1, 2, 3)]
    take(backups, tmp_path / "dest", encrypt=encrypt, private_keys=True)
    result = restore_into(config, tmp_path / "dest", tmp_path / "new")
    assert result.ok, result.verify["problems"]
    assert result.files > 0 and result.private_keys and result.destroyed_later == []
    from archive.service import Archive

    with Archive.open(config.with_home(tmp_path / "new")) as restored:
        for document in documents:
            original, copy = home.document(document, RITA), restored.document(document, RITA)
            assert (copy.sha256, copy.text, copy.document_type) == (
                original.sha256,
                original.text,
                original.document_type,
            )
        hits = restored.search(SearchRequest(query="Betreft"), RITA)
        assert {hit.id for hit in hits.hits} == set(documents)  # the index was rebuilt from the database
        assert restored.records.key_path.read_bytes() == home.records.key_path.read_bytes()
        assert restored.records.key_path.stat().st_mode & 0o077 == 0
        actions = [entry["action"] for entry in restored.records.audit_log(AUDITOR)]
        assert "restore" in actions
        assert restored.records.checkpoint()  # the restored key signs on


def test_a_restore_says_which_destroyed_documents_came_back_and_replays_them(
    home, backups, config, tmp_path: Path, clock
) -> None:
    doomed = file_document(home, tmp_path, "invoice", date(2015, 6, 1))
    keeper = file_document(home, tmp_path, "invoice", date(2025, 6, 1))
    take(backups, tmp_path / "dest", private_keys=True)  # snapshot 1 holds the doomed document
    clock.advance(days=1)
    assert home.records.dispose(RITA, approve=True).destroyed == [doomed]
    take(backups, tmp_path / "dest", private_keys=True)  # snapshot 2 knows it was destroyed
    older = restore_into(config, tmp_path / "dest", tmp_path / "older", snapshot=1)
    assert older.ok and older.destroyed_later == [doomed] and older.replayed == []
    from archive.service import Archive

    with Archive.open(config.with_home(tmp_path / "older")) as restored:
        figures = backup_figures(restored.db.read(), config.backup, clock.now())
        assert figures["restored"]["destroyed_later"] == [doomed] and figures["restored"]["snapshot"] == 1
        assert figures["backup"]["state"] == "not_configured"  # the old machine's backups are not this home's
    # The old machine's database survived: its disposals are re-applied.
    replayed = restore_into(
        config, tmp_path / "dest", tmp_path / "replayed", snapshot=1, replay_from=config.database_path
    )
    assert replayed.ok, replayed.verify["problems"]
    assert replayed.replayed == [doomed] and replayed.destroyed_later == []
    with Archive.open(config.with_home(tmp_path / "replayed")) as restored:
        stone = restored.document(doomed, RITA)
        assert stone.state == "disposed" and stone.tombstone["approved_by"] == ["rita"]
        assert stone.tombstone["certificate"] is not None
        assert not restored.store.path_for(stone.sha256).exists()
        assert restored.document(keeper, RITA).state == "filed"
        assert {h.id for h in restored.search(SearchRequest(query="Betreft"), RITA).hits} == {keeper}


def test_disposals_are_only_taken_from_a_copy_of_the_same_archive(home, backups, config, tmp_path: Path) -> None:
    file_document(home, tmp_path, "invoice", date(2015, 6, 1))
    take(backups, tmp_path / "dest", private_keys=True)
    from archive.service import Archive

    other_config = config.with_home(tmp_path / "other")
    with Archive.open(other_config, create=True) as other:
        other.initialise()
        file_document(other, tmp_path, "letter", date(2015, 6, 1))
    with pytest.raises(InvalidInput, match="not a later copy of this archive"):
        restore_into(config, tmp_path / "dest", tmp_path / "new", replay_from=other_config.home)


def test_a_tampered_snapshot_is_not_restored(home, backups, config, tmp_path: Path) -> None:
    take(backups, tmp_path / "dest")
    snapshot = Destination.open(tmp_path / "dest").snapshot_path(1)
    snapshot.write_bytes(snapshot.read_bytes().replace(b'"documents":{}', b'"documents":{"filed":1}'))
    with pytest.raises(IntegrityFailure, match="its manifest was altered; it was not restored"):
        restore_into(config, tmp_path / "dest", tmp_path / "new")


def test_sealed_private_keys_need_their_passphrase(home, backups, config, tmp_path: Path) -> None:
    take(backups, tmp_path / "dest", private_keys=True)
    with pytest.raises(InvalidInput, match="sealed with a passphrase"):
        restore_into(config, tmp_path / "dest", tmp_path / "new", passphrase=None)
    with pytest.raises(InvalidInput, match="does not open the private key"):
        restore_into(config, tmp_path / "dest", tmp_path / "new2", passphrase="not the right passphrase")


def test_without_its_private_keys_a_restored_home_signs_on_with_a_new_key(
    home, backups, config, tmp_path: Path
) -> None:
    file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    home.records.checkpoint()
    old_public = home.records.key_path.with_suffix(".pub").read_text().strip()
    take(backups, tmp_path / "dest")  # the default: public keys only
    result = restore_into(config, tmp_path / "dest", tmp_path / "new", passphrase=None)
    assert result.ok, result.verify["problems"]
    assert not result.private_keys and "new signing key" in result.notes[0]
    from archive.service import Archive

    with Archive.open(config.with_home(tmp_path / "new")) as restored:
        new_public = restored.records.key_path.with_suffix(".pub").read_text().strip()
        assert new_public != old_public
        retired = restored.records.key_path.parent / "retired" / f"{old_public[:16]}.pub"
        assert retired.read_text().strip() == old_public
        report = restored.records.verify_audit()  # old checkpoints by the retired key, new by the new
        assert report["ok"], report
        assert restored.records.key_path.read_bytes() != home.records.key_path.read_bytes()


def test_a_restored_home_goes_on_backing_up_to_the_same_destination(
    home, backups, config, tmp_path: Path, clock
) -> None:
    from archive.backup.service import home_keys, verify
    from archive.service import Archive
    from tests.backup.conftest import service_for

    file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    take(backups, tmp_path / "dest")
    restore_into(config, tmp_path / "dest", tmp_path / "new", passphrase=None)  # a new signing key
    new_config = config.with_home(tmp_path / "new")
    with Archive.open(new_config, clock=clock) as moved:
        clock.advance(days=1)
        file_document(moved, tmp_path, "letter", date(2025, 6, 1))
        assert take(service_for(moved, clock, keep_daily=7), tmp_path / "dest").ok
    # Both keys' snapshots verify, by the new home's keys and by those the destination learned.
    assert verify(tmp_path / "dest", trusted=home_keys(new_config)).ok
    assert verify(tmp_path / "dest").ok
    assert len(Destination.open(tmp_path / "dest").public_keys) == 2


def test_another_archive_cannot_add_to_a_destination(home, backups, config, tmp_path: Path, clock) -> None:
    from archive.service import Archive
    from tests.backup.conftest import service_for

    take(backups, tmp_path / "dest")
    with Archive.open(config.with_home(tmp_path / "other"), clock=clock, create=True) as other:
        other.initialise()
        with pytest.raises(Conflict, match="holds the backups of another archive"):
            take(service_for(other, clock), tmp_path / "dest")
    assert Destination.open(tmp_path / "dest").snapshot_numbers() == [1]


def test_a_snapshot_of_a_newer_release_is_refused_before_anything_is_written(
    home, backups, config, tmp_path: Path, monkeypatch
) -> None:
    import archive.backup.restore as restoring
    from storage.migrations import latest_number

    take(backups, tmp_path / "dest")
    # This release as an older one would be: it knows one schema version less than the snapshot's.
    monkeypatch.setattr(restoring, "latest_number", lambda: latest_number() - 1)
    with pytest.raises(InvalidInput, match="made by a newer release") as refused:
        restore_into(config, tmp_path / "dest", tmp_path / "new")
    assert refused.value.code == "restore.newer_release"
    assert not (tmp_path / "new").exists()


def test_a_restore_under_a_loose_umask_still_makes_a_private_home(home, backups, config, tmp_path: Path) -> None:
    import os

    file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    take(backups, tmp_path / "dest")
    before = os.umask(0o022)  # a shell's usual umask: the restore runs before any archive is opened
    try:
        result = restore_into(config, tmp_path / "dest", tmp_path / "new")
    finally:
        os.umask(before)
    assert result.ok, result.verify["problems"]
    assert all(path.stat().st_mode & 0o077 == 0 for path in (tmp_path / "new" / "store").rglob("*"))
