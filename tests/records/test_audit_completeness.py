"""An audit trail that proves its own completeness: cut tails, consistent rewrites, deleted or
replaced checkpoints, swapped keys, dropped guards and the witness — each found and named."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from archive.access.actors import Actor
from archive.audit.checkpoints import CheckpointKey, fingerprint, parse, write_file
from archive.audit.trail import entry_hash
from tests.records.conftest import AUDITOR

ANNA = Actor("anna", "staff", address="10.0.0.7")
pytestmark = pytest.mark.sqlite_file


def _searches(archive, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        archive.audit.record(ANNA, "search", details={"query": f"factuur {number}"})


@pytest.fixture
def trail(records_archive):
    """20 entries, a checkpoint, then 12 entries after it."""
    _searches(records_archive, 20)
    records_archive.records.checkpoint(AUDITOR)
    _searches(records_archive, 12, start=20)
    return records_archive


def _database(archive) -> sqlite3.Connection:
    """A raw connection of someone who can write the database file, but holds no key."""
    conn = sqlite3.connect(archive.config.database_path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for trigger in ("audit_log_no_update", "audit_log_no_delete", "checkpoints_no_delete"):
        conn.execute(f"DROP TRIGGER {trigger}")
    return conn


def _restore_guards(conn: sqlite3.Connection) -> None:
    """Put the dropped triggers back as the migrations made them (a careful intruder would)."""
    conn.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    )
    conn.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    )
    conn.execute(
        "CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints\n"
        "BEGIN SELECT RAISE(ABORT, 'checkpoints are kept for good'); END"
    )


def _report(archive, **options) -> dict:
    return archive.records.verify_audit(AUDITOR, **options)


def _last(archive) -> int:
    return _report(archive)["head_seq"]


@pytest.mark.parametrize("cut", [1, 10, "all"])
def test_entries_cut_after_the_last_checkpoint_are_named(trail, cut) -> None:
    conn = _database(trail)
    head = trail.audit.verify().head_seq
    checkpoint_head = conn.execute("SELECT max(head_seq) FROM checkpoints").fetchone()[0]
    keep = checkpoint_head if cut == "all" else head - cut
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (keep,))
    _restore_guards(conn)
    report = _report(trail)
    assert not report["ok"] and report["breaks"] == []
    cut_text = f"entry {keep + 1}" if keep + 1 == head else f"entries {keep + 1}-{head}"
    assert any(f"now ends at entry {keep}: {cut_text} " in p and "cut off" in p for p in report["problems"]), report[
        "problems"
    ]


def test_every_entry_cut_is_named_by_the_checkpoints(trail) -> None:
    conn = _database(trail)
    conn.execute("DELETE FROM audit_log")
    report = _report(trail)
    assert any("were cut off" in p and "checkpoint-000003.json" in p for p in report["problems"])


def test_a_consistent_rewrite_without_the_key_is_found_by_its_seals(trail) -> None:
    conn = _database(trail)
    head = trail.audit.verify().head_seq
    rows = [dict(r) for r in conn.execute("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq", (head - 5,))]
    prev = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (head - 5,)).fetchone()[0]
    for row in rows:  # the newest five, rewritten as if nobody searched for 'factuur'
        row["details"] = row["details"].replace("factuur", "offerte")
        row["prev_hash"], row["hash"] = prev, entry_hash(prev, row)
        prev = row["hash"]
        conn.execute(
            "UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            (row["details"], row["prev_hash"], row["hash"], row["seq"]),
        )
    _restore_guards(conn)
    report = _report(trail)
    assert report["breaks"] == [] and not report["ok"]  # the public chain is whole again...
    # ...but the seals are not, and the head seal saw another newest entry.
    assert (
        f"Audit trail: entries {head - 4}-{head} have no valid seal: rewritten or added without the archive's "
        "seal key." in report["problems"]
    )
    assert f"Audit trail: entry {head} is not the one the head seal saw: the trail was rewritten." in report["problems"]


def test_a_deleted_checkpoint_is_missing_from_the_series(trail) -> None:
    trail.records.checkpoint(AUDITOR)
    conn = _database(trail)
    row = conn.execute("SELECT * FROM checkpoints WHERE number = 3").fetchone()
    conn.execute("DELETE FROM checkpoints WHERE number = 3")
    _restore_guards(conn)
    path = trail.records.checkpoint_folder / row["file"]
    path.chmod(0o600)
    path.unlink()
    report = _report(trail)
    assert (
        f"Audit checkpoint number 3: it is missing (announced by audit entry {row['head_seq']}): it was deleted "
        "or never written." in report["problems"]
    )


def test_the_newest_checkpoint_deleted_with_its_row_is_named_by_its_announcement(trail) -> None:
    conn = _database(trail)
    row = conn.execute("SELECT * FROM checkpoints ORDER BY number DESC LIMIT 1").fetchone()
    conn.execute("DELETE FROM checkpoints WHERE number = ?", (row["number"],))
    _restore_guards(conn)
    (trail.records.checkpoint_folder / row["file"]).unlink()
    report = _report(trail)
    assert any(
        f"number {row['number']}: it is missing (announced by audit entry {row['head_seq']})" in p
        for p in report["problems"]
    ), report["problems"]


def test_a_replaced_checkpoint_breaks_the_series(trail) -> None:
    folder = trail.records.checkpoint_folder
    second, third = folder / "checkpoint-000002.json", folder / "checkpoint-000003.json"
    key = CheckpointKey.load(trail.records.key_path)
    # Someone with the private key signs another checkpoint 3, for an earlier head.
    original = parse(third.read_bytes())
    earlier = original.head_seq - 3
    forged = key.sign(
        dataclasses.replace(original, head_seq=earlier, entries=earlier, head_hash=_hash_at(trail, earlier))
    )
    third.chmod(0o600)
    third.unlink()
    write_file(folder, forged)
    report = _report(trail)
    assert (
        "Audit checkpoint checkpoint-000003.json: it is not the checkpoint the database recorded: it was "
        "replaced." in report["problems"]
    )
    assert any("does not cover audit entry" in p for p in report["problems"])
    assert second.exists()


def _hash_at(archive, seq: int) -> str:
    from storage import records_repo

    return records_repo.audit_hash(archive.db.read(), seq)


def test_a_swapped_key_pair_is_not_trusted(trail, tmp_path: Path) -> None:
    records = trail.records
    own_copy = tmp_path / "auditor-copy.pub"
    shutil.copy(records.checkpointer.public_key_path, own_copy)
    pinned = fingerprint(own_copy.read_text().strip())
    # Someone with the home makes a new key pair and re-signs every checkpoint with it.
    records.key_path.unlink()
    records.checkpointer.public_key_path.unlink()
    new_key = CheckpointKey.load(records.key_path, create=True)
    for path in records.checkpoint_folder.glob("checkpoint-*.json"):
        signed = new_key.sign(parse(path.read_bytes()))
        path.chmod(0o600)
        path.unlink()
        write_file(records.checkpoint_folder, signed)
    report = _report(trail)
    assert report["public_key_fingerprint"] == pinned  # the key pinned in the trail, not the one in the home
    assert (
        f"Audit checkpoint checkpoint.pub: it is the key {fingerprint(new_key.public_key_hex())}, not the pinned "
        f"{pinned}: the key pair was replaced." in report["problems"]
    )
    assert any(
        "checkpoint-000003.json: its signature is not valid for the archive's pinned key" in p
        for p in report["problems"]
    )
    # The auditor's own copy says the same.
    assert not _report(trail, public_key=own_copy)["ok"]


def test_a_key_renewed_by_the_archive_is_noted_and_the_new_one_checked(trail) -> None:
    records = trail.records
    first = fingerprint(records.checkpointer.pinned_key())
    records.checkpointer.renew_key("restored without private keys")
    report = _report(trail)
    assert report["ok"], report["problems"]
    assert report["public_key_fingerprint"] == first  # the key written down at init stays the reference
    assert any(
        "The checkpoint key was renewed at audit entry" in n and "restored without private keys" in n
        for n in report["notes"]
    )
    assert (records.key_path.parent / "retired").is_dir()
    # Signing with a key the trail does not name is refused, not papered over.
    records.key_path.unlink()
    CheckpointKey.load(records.key_path, create=True)
    from archive.errors import IntegrityFailure

    with pytest.raises(IntegrityFailure, match="not the one the audit trail names"):
        records.checkpoint(AUDITOR)


def test_an_auditors_own_key_that_differs_from_the_pin_is_reported(trail, tmp_path: Path) -> None:
    other = CheckpointKey.load(tmp_path / "other.key", create=True)
    copy = tmp_path / "other.pub"
    copy.write_text(other.public_key_hex() + "\n")
    report = _report(trail, public_key=copy)
    assert any("the audit trail pins the key" in p and "not the auditor's" in p for p in report["problems"])


def test_dropped_guards_and_schema_changes_are_reported(trail) -> None:
    conn = sqlite3.connect(trail.config.database_path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("CREATE TRIGGER quietly AFTER INSERT ON holds BEGIN SELECT 1; END")
    conn.execute("ALTER TABLE clients ADD COLUMN note TEXT")
    conn.close()
    problems = _report(trail)["problems"]
    assert (
        "Database: the trigger audit_log_no_delete, which keeps the audit trail append-only, is missing: it was "
        "removed by hand." in problems
    )
    assert "Database: the trigger quietly was not made by the archive: it was added by hand." in problems
    assert (
        "Database: the table clients differs from what this release's schema makes: it was changed by hand." in problems
    )
    assert not trail.verify_all()["ok"]


def test_the_witness_receives_every_checkpoint_and_exposes_a_rewritten_home(
    open_archive, config, tmp_path: Path, clock
) -> None:
    witness = tmp_path / "share"
    witness.mkdir()
    archive = open_archive(
        dataclasses.replace(config, audit=dataclasses.replace(config.audit, witness_dir=str(witness)))
    )
    archive.initialise()
    _searches(archive, 5)
    archive.records.checkpoint(AUDITOR)
    copies = sorted(p.name for p in witness.glob("checkpoint-*.json"))
    assert copies == ["checkpoint-000001.json", "checkpoint-000002.json", "checkpoint-000003.json"]
    [given] = witness.glob("checkpoint-key-*.pub")
    assert given.read_text() == archive.records.checkpointer.public_key_path.read_text()
    assert _report(archive)["ok"] and _report(archive)["witnessed"] == 3
    # Root on the server, with every key, rewrites the trail from entry 3 on, consistently:
    # seals, head seal and checkpoints all re-made. Only the witness still knows better.
    _rewrite_everything_from(archive, 3)
    report = _report(archive)
    assert report["breaks"] == [] and report["seal_problems"] == []
    assert (
        "Audit checkpoint checkpoint-000003.json: the home's copy differs from the witness's: it was replaced."
        in report["problems"]
    )
    assert any("(witness copy): entry" in p and "the trail was rewritten" in p for p in report["problems"])


def _rewrite_everything_from(archive, first: int) -> None:
    from archive.audit.seals import write_head

    conn = _database(archive)
    key, seal_key = CheckpointKey.load(archive.records.key_path), archive.audit.seal_key
    prev = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (first - 1,)).fetchone()[0]
    new_hashes = {}
    for row in [dict(r) for r in conn.execute("SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq", (first,))]:
        row["at"] = row["at"].replace("2026", "2027")
        row["prev_hash"], row["hash"] = prev, entry_hash(prev, row)
        prev = new_hashes[row["seq"]] = row["hash"]
        conn.execute(
            "UPDATE audit_log SET at = ?, prev_hash = ?, hash = ?, seal = ? WHERE seq = ?",
            (row["at"], row["prev_hash"], row["hash"], seal_key.seal(row["hash"]), row["seq"]),
        )
    folder, digests, previous = archive.records.checkpoint_folder, {}, "0" * 64
    conn.execute("DROP TRIGGER checkpoints_no_update")
    for path in sorted(folder.glob("checkpoint-*.json")):
        old = parse(path.read_bytes())
        made = key.sign(
            dataclasses.replace(old, previous=previous, head_hash=new_hashes.get(old.head_seq, old.head_hash))
        )
        previous = digests[made.number] = made.digest()
        path.chmod(0o600)
        path.unlink()
        write_file(folder, made)
        conn.execute(
            "UPDATE checkpoints SET digest = ?, head_hash = ? WHERE number = ?",
            (made.digest(), made.head_hash, made.number),
        )
    head = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    head_file = archive.config.home / archive.config.audit.head_file
    head_file.unlink()
    write_head(head_file, seal_key, head["seq"], head["hash"], "2027-01-01T00:00:00Z")
    _restore_guards(conn)
    conn.execute(
        "CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints\n"
        "BEGIN SELECT RAISE(ABORT, 'checkpoints are kept for good'); END"
    )
    conn.close()


def test_an_unreachable_witness_gets_the_checkpoints_later(open_archive, config, tmp_path: Path) -> None:
    share = tmp_path / "share"
    archive = open_archive(dataclasses.replace(config, audit=dataclasses.replace(config.audit, witness_dir=str(share))))
    archive.initialise()  # the share is not mounted: checkpoints are written at home all the same
    assert (archive.records.checkpoint_folder / "checkpoint-000002.json").exists()
    report = _report(archive)
    assert f"Witness folder {share}: it cannot be read (is the share mounted?)." in report["problems"]
    share.mkdir()
    archive.records.checkpoint(AUDITOR)
    assert sorted(p.name for p in share.glob("checkpoint-*.json"))[-1] == "checkpoint-000003.json"
    assert len(list(share.glob("checkpoint-*.json"))) == 3 and _report(archive)["ok"]


def test_a_witness_command_gets_each_checkpoint_on_stdin(open_archive, config, tmp_path: Path) -> None:
    mailbox = tmp_path / "mailbox"
    mailbox.mkdir()
    script = tmp_path / "mail.py"
    script.write_text(
        "import os, sys\nname = os.environ['ARCHIVE_CHECKPOINT']\n"
        f"open(os.path.join({str(mailbox)!r}, name), 'wb').write(sys.stdin.buffer.read())\n"
    )
    command = f"{sys.executable} {script}"
    archive = open_archive(
        dataclasses.replace(config, audit=dataclasses.replace(config.audit, witness_command=command))
    )
    archive.initialise()
    mailed = json.loads((mailbox / "checkpoint-000002.json").read_text())
    assert mailed["number"] == 2 and mailed["signature"]
    # The mailed copies, kept by the auditor, are a witness folder of their own.
    report = _report(archive, witness_dir=mailbox)
    assert report["ok"] and report["witnessed"] == 2


def test_a_home_of_an_earlier_release_keeps_verifying(config, clock) -> None:
    from archive.audit.checkpoints import Checkpoint
    from archive.service import Archive
    from storage.migrations import apply_migrations

    home = config.home
    (home / "keys").mkdir(parents=True)
    conn = sqlite3.connect(config.database_path, isolation_level=None)
    apply_migrations(conn, upto=8)  # the schema an earlier release left
    prev = "0" * 64
    for seq in range(1, 8):  # its entries: plain hash chain, no seals
        row = {
            "seq": seq,
            "at": f"2025-01-0{seq}T10:00:00Z",
            "actor": "system",
            "action": "search",
            "document_id": None,
            "client_id": None,
            "address": None,
            "details": '{"query":"oud"}',
        }
        row["prev_hash"], row["hash"] = prev, entry_hash(prev, row)
        prev = row["hash"]
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, action, document_id, client_id, address, details,"
            " prev_hash, hash) VALUES (:seq, :at, :actor, :action, :document_id, :client_id, :address,"
            " :details, :prev_hash, :hash)",
            row,
        )
    key = CheckpointKey.load(home / "keys" / "checkpoint.key", create=True)
    old = key.sign(Checkpoint("2025-01-07T12:00:00.000000Z", 7, 7, prev))  # unnumbered, as it signed them
    path = write_file(home / "checkpoints", old)
    conn.execute(
        "INSERT INTO checkpoints (at, entries, head_seq, head_hash, signature, file) VALUES (?, ?, ?, ?, ?, ?)",
        (old.at, 7, 7, prev, old.signature, path.name),
    )
    conn.close()
    with Archive.open(config, clock=clock) as archive:
        report = archive.records.verify_audit(AUDITOR)
        assert report["ok"], report["problems"]
        assert report["notes"] == [
            "Audit trail: entries 1-7 were written by an earlier release, without seals; the hash chain and the "
            "signed checkpoints protect them.",
            "1 checkpoint(s) were written by an earlier release: they are not numbered, so only their signatures "
            "and heads were checked.",
        ]
        [pinned] = archive.records.audit_log(AUDITOR, actions=["audit_keys"])
        assert pinned["seq"] == 8 and pinned["details"]["reason"] == "upgrade"
        assert pinned["details"]["checkpoint_key"] == key.public_key_hex()
        assert (home / "checkpoints" / "checkpoint-000001.json").exists()  # the series starts at the upgrade
        # What was there before the upgrade is still protected: a cut is caught by the old checkpoint.
    conn = sqlite3.connect(config.database_path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute('UPDATE audit_log SET details = \'{"query":"nieuw"}\' WHERE seq = 3')
    conn.close()
    with Archive.open(config, clock=clock) as archive:
        [found] = archive.records.verify_audit(AUDITOR)["breaks"]
        assert found["seq"] == 3 and "changed" in found["reason"]
