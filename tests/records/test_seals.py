"""Seals (pure): which key sealed which entries, forged seals, the head seal, the checkpoint timer."""

from __future__ import annotations

import threading
from pathlib import Path

from archive.audit.schedule import CheckpointSchedule
from archive.audit.seals import SealKey, check_head, check_seals, read_head, write_head


def _rows(key: SealKey | None, seqs: range) -> list[tuple[int, str, str | None]]:
    return [(seq, f"{seq:064x}", key.seal(f"{seq:064x}") if key else None) for seq in seqs]


def test_key_file_is_private_and_made_once(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit.key"
    made = SealKey.load_or_create(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    again = SealKey.load_or_create(path)
    assert again.key_id == made.key_id and again.seal("ab") == made.seal("ab") != SealKey.create(
        tmp_path / "other.key"
    ).seal("ab")


def test_entries_sealed_with_the_home_key_verify_and_forged_ones_are_named(tmp_path: Path) -> None:
    key = SealKey.load_or_create(tmp_path / "audit.key")
    rows = _rows(key, range(1, 11))
    assert check_seals(rows, key, {1: key.key_id}).problems == []
    rows[6] = (7, "f" * 64, rows[6][2])  # a rewritten entry keeps its old seal
    rows[7] = (8, rows[7][1], None)  # a seal removed
    report = check_seals(rows, key, {1: key.key_id})
    assert (
        report.problems
        == ["Audit trail: entries 7-8 have no valid seal: rewritten or added without the archive's seal key."]
        and report.sealed == 8
    )


def test_eras_earlier_release_earlier_key_and_a_wrong_key(tmp_path: Path) -> None:
    old, new = SealKey.create(tmp_path / "old.key"), SealKey.create(tmp_path / "new.key")
    rows = _rows(None, range(1, 4)) + _rows(old, range(4, 7)) + _rows(new, range(7, 10))
    named = {4: old.key_id, 7: new.key_id}
    report = check_seals(rows, new, named)
    assert report.problems == []
    assert report.notes == [
        "Audit trail: entries 1-3 were written by an earlier release, without seals; the hash chain and the "
        "signed checkpoints protect them.",
        f"Audit trail: entries 4-6 were sealed with an earlier key (id {old.key_id}) this home no longer holds; "
        "the hash chain and the signed checkpoints protect them.",
    ]
    # The home's key is not the one the trail names last: nothing after it can be checked.
    assert "is not the key" in check_seals(rows, old, named).problems[0]
    # Unsealed entries after a key was set: someone wrote them without it.
    late = _rows(new, range(1, 4)) + _rows(None, range(4, 6))
    assert check_seals(late, new, {1: new.key_id}).problems == [
        "Audit trail: entries 4-5 have no valid seal: rewritten or added without the archive's seal key."
    ]


def test_head_seal_says_how_far_the_trail_reached(tmp_path: Path) -> None:
    key, path = SealKey.create(tmp_path / "audit.key"), tmp_path / "head.seal"
    hashes = {seq: f"{seq:064x}" for seq in range(1, 11)}
    write_head(path, key, 10, hashes[10], "2026-03-02T09:00:00Z")
    write_head(path, key, 9, hashes[9], "2026-03-02T09:00:01Z")  # another process behind: never moves it back
    head = read_head(path)
    assert head is not None and head.seq == 10
    assert check_head(head, key, hashes.get, 10) == ([], [])
    assert "entries 8-10 were cut off" in check_head(head, key, hashes.get, 7)[0][0]
    assert "rewritten" in check_head(head, key, {**hashes, 10: "e" * 64}.get, 10)[0][0]
    path.write_text(path.read_text().replace('"seq": 10', '"seq": 5'))
    assert "altered" in check_head(read_head(path), key, hashes.get, 10)[0][0]
    assert "no head seal" in check_head(None, key, hashes.get, 10)[1][0]


def test_schedule_writes_after_n_entries_and_at_stop_only_when_the_trail_grew() -> None:
    written, grown = [], {"entries": 0}
    done = threading.Event()

    def checkpoint() -> None:
        written.append(grown["entries"])
        grown["entries"] = 0
        done.set()

    schedule = CheckpointSchedule(checkpoint, lambda: grown["entries"], minutes=60.0, entries=3)
    schedule.start()
    for _ in range(3):
        grown["entries"] += 1
        schedule.appended(grown["entries"])
    assert done.wait(10) and written == [3]
    grown["entries"] = 2  # two more, then a clean stop
    schedule.stop()
    assert written == [3, 2]
    idle = CheckpointSchedule(checkpoint, lambda: 0, minutes=60.0, entries=3)
    idle.start()
    idle.stop()
    assert written == [3, 2]  # nothing new: no checkpoint
