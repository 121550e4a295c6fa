"""Checkpoints (pure parts): signing, files, and what a cut-off or rewritten chain looks like."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from archive.audit.checkpoints import (
    Checkpoint,
    CheckpointKey,
    check_checkpoints,
    read_files,
    signature_valid,
    write_file,
)
from archive.errors import IntegrityFailure


def test_key_is_created_private_and_signatures_verify(tmp_path: Path) -> None:
    key = CheckpointKey.load(tmp_path / "keys" / "checkpoint.key", create=True)
    assert stat.S_IMODE(os.stat(tmp_path / "keys" / "checkpoint.key").st_mode) == 0o600
    assert (tmp_path / "keys" / "checkpoint.pub").read_text().strip() == key.public_key_hex()
    signed = key.sign(Checkpoint("2026-03-02T09:00:00Z", 10, 10, "f" * 64))
    assert signature_valid(signed, key.public_key_hex())
    forged = Checkpoint(signed.at, 9, 9, signed.head_hash, signed.signature, signed.public_key)
    assert not signature_valid(forged, key.public_key_hex())
    other = CheckpointKey.load(tmp_path / "other.key", create=True)
    assert not signature_valid(signed, other.public_key_hex())


def test_missing_key_is_an_integrity_failure(tmp_path: Path) -> None:
    with pytest.raises(IntegrityFailure):
        CheckpointKey.load(tmp_path / "absent.key")


def test_files_round_trip_and_expose_a_cut_off_tail(tmp_path: Path) -> None:
    key = CheckpointKey.load(tmp_path / "k.key", create=True)
    write_file(tmp_path / "cp", key.sign(Checkpoint("2026-03-02T09:00:00.000000Z", 5, 5, "a" * 64)))
    files = read_files(tmp_path / "cp")
    assert len(files) == 1 and files[0][1].head_seq == 5
    chain = {seq: {"hash": "a" * 64 if seq == 5 else "b" * 64} for seq in range(1, 6)}
    assert check_checkpoints(files, key.public_key_hex(), chain.get, head_seq=5) == []
    [cut] = check_checkpoints(files, key.public_key_hex(), chain.get, head_seq=3)
    assert "entries 4-5 were cut off" in cut.sentence()
    chain[5] = {"hash": "c" * 64}
    [rewritten] = check_checkpoints(files, key.public_key_hex(), chain.get, head_seq=5)
    assert "rewritten" in rewritten.reason
