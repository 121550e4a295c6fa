"""Signed checkpoints of the audit chain's head, kept outside the database.

The hash chain shows any edited, deleted, inserted or moved entry, but not a tail cut
off the end: the chain up to the cut is still whole. A checkpoint (how many entries,
the head's seq and hash, when) signed with an Ed25519 key that lives in a key file —
not in the database — and written as a small JSON file in its own folder, exposes
that: an entry the checkpoint saw must still be there with the same hash.
"""

from __future__ import annotations

import sqlite3
import json
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from archive.errors import IntegrityFailure


@dataclass(frozen=True)
class Checkpoint:
    at: str
    entries: int
    head_seq: int
    head_hash: str
    signature: str = ""
    public_key: str = ""

    def payload(self) -> bytes:
        """Return the exact bytes that are signed."""
        return json.dumps([self.at, self.entries, self.head_seq, self.head_hash], separators=(",", ":")).encode()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CheckpointProblem:
    file: str
    reason: str
    what: str = "Audit checkpoint"

    def sentence(self) -> str:
        return f"{self.what} {self.file}: {self.reason}."


class CheckpointKey:
    """The Ed25519 key pair that signs checkpoints, read from (or created in) a key file."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key

    @classmethod
    def load(cls, path: Path, create: bool = False) -> "CheckpointKey":
        """Return the key in ``path``; with ``create``, make one when absent.

        Raises IntegrityFailure when the key file is missing (and not to be created) or unreadable.
        """
        if not path.exists():
            if not create:
                raise IntegrityFailure(f"The checkpoint key {path} is missing; audit checkpoints cannot be checked.")
            return cls._create(path)
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise IntegrityFailure(f"The checkpoint key {path} is not a valid key file.") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise IntegrityFailure(f"The checkpoint key {path} is not an Ed25519 key.")
        return cls(key)

    @classmethod
    def _create(cls, path: Path) -> "CheckpointKey":
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        path.parent.mkdir(parents=True, exist_ok=True)
        # Only the archive's own user may read the private key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        made = cls(key)
        path.with_suffix(".pub").write_text(made.public_key_hex() + "\n", encoding="ascii")
        return made

    def public_key_hex(self) -> str:
        raw = self._private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return raw.hex()

    def sign(self, checkpoint: Checkpoint) -> Checkpoint:
        """Return the checkpoint with its signature and public key filled in."""
        signature = self._private.sign(checkpoint.payload()).hex()
        return Checkpoint(checkpoint.at, checkpoint.entries, checkpoint.head_seq, checkpoint.head_hash,
                          signature, self.public_key_hex())


def signature_valid(checkpoint: Checkpoint, public_key_hex: str) -> bool:
    """Return whether the checkpoint was signed by the holder of this public key."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(checkpoint.signature), checkpoint.payload())
        return True
    except (InvalidSignature, ValueError):
        return False


def file_name(checkpoint: Checkpoint) -> str:
    """Return the checkpoint's file name: sortable by time, unique by head."""
    stamp = checkpoint.at.replace(":", "").replace("-", "").replace(".", "")
    return f"checkpoint-{stamp}-{checkpoint.head_seq:09d}.json"


def write_file(folder: Path, checkpoint: Checkpoint) -> Path:
    """Write the checkpoint as a read-only JSON file (atomically); return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name(checkpoint)
    temp = target.with_suffix(".part")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(checkpoint.to_json(), handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp, stat.S_IRUSR | stat.S_IRGRP)
    os.replace(temp, target)
    return target


def read_files(folder: Path) -> list[tuple[str, Checkpoint | None]]:
    """Return every checkpoint file in the folder (None for one that cannot be read), oldest first."""
    found: list[tuple[str, Checkpoint | None]] = []
    for path in sorted(folder.glob("checkpoint-*.json")) if folder.is_dir() else []:
        try:
            found.append((path.name, Checkpoint(**json.loads(path.read_text(encoding="utf-8")))))
        except (OSError, ValueError, TypeError):
            found.append((path.name, None))
    return found


def check_checkpoints(
    files: list[tuple[str, Checkpoint | None]],
    public_key_hex: str,
    entry_at: Callable[[int], Mapping[str, Any] | sqlite3.Row | None],
    head_seq: int,
) -> list[CheckpointProblem]:
    """Return what is wrong between the checkpoints and the chain as it is now."""
    problems = []
    for name, checkpoint in files:
        if checkpoint is None:
            problems.append(CheckpointProblem(name, "cannot be read"))
        elif not signature_valid(checkpoint, public_key_hex):
            problems.append(CheckpointProblem(name, "its signature is not valid for this archive's key"))
        elif checkpoint.head_seq > head_seq:
            problems.append(CheckpointProblem(name, (
                f"it saw {checkpoint.head_seq} entries but the trail now ends at entry {head_seq}: "
                f"entries {head_seq + 1}-{checkpoint.head_seq} were cut off")))
        else:
            entry = entry_at(checkpoint.head_seq) if checkpoint.head_seq else None
            if checkpoint.head_seq and (entry is None or entry["hash"] != checkpoint.head_hash):
                problems.append(CheckpointProblem(name, (
                    f"entry {checkpoint.head_seq} is not the one it signed: the trail was rewritten")))
    return problems
