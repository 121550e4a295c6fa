"""Signed checkpoints of the audit chain's head, kept outside the database (pure parts).

The hash chain shows any edited, deleted, inserted or moved entry, but not a tail cut
off the end: the chain up to the cut is still whole. A checkpoint — how many entries,
the head's seq and hash, when — signed with an Ed25519 key that lives in a key file,
not in the database, and written as a small JSON file in its own folder, exposes that:
an entry the checkpoint saw must still be there with the same hash.

Checkpoints are numbered 1, 2, 3… and each names the digest of the one before, so a
checkpoint deleted or replaced (even one re-signed) breaks the series where it was. An
earlier release wrote unnumbered checkpoints (``number`` 0); they are still checked
for their signature and head. Signatures are checked against the public key pinned
in the audit trail when the archive was created (or an auditor's own copy), never one
derived from the private key beside it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from archive.errors import IntegrityFailure

RETIRED_FOLDER = "retired"

# Signed bytes of a numbered checkpoint start with this: the same key signs backup
# manifests, and one kind of signed bytes must never pass for the other.
_DOMAIN = b"front-office-archive audit checkpoint 2\n"
FIRST_PREVIOUS = "0" * 64


@dataclass(frozen=True)
class Checkpoint:
    at: str
    entries: int
    head_seq: int
    head_hash: str
    signature: str = ""
    public_key: str = ""
    number: int = 0  # 0: written by an earlier release (not numbered, not chained)
    previous: str = ""  # digest of checkpoint number - 1 (FIRST_PREVIOUS for number 1)
    seal_key: str = ""  # id of the key that sealed the entries it covers

    def payload(self) -> bytes:
        """Return the exact bytes that are signed."""
        if not self.number:
            return json.dumps([self.at, self.entries, self.head_seq, self.head_hash], separators=(",", ":")).encode()
        body = [self.number, self.at, self.entries, self.head_seq, self.head_hash, self.previous, self.seal_key]
        return _DOMAIN + json.dumps(body, separators=(",", ":")).encode()

    def digest(self) -> str:
        """Return the digest the next checkpoint names as its ``previous``."""
        return hashlib.sha256(self.payload()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.number:  # the shape an earlier release wrote and reads
            for name in ("number", "previous", "seal_key"):
                data.pop(name)
        return data


@dataclass(frozen=True)
class CheckpointProblem:
    file: str
    reason: str
    what: str = "Audit checkpoint"

    def sentence(self) -> str:
        return f"{self.what} {self.file}: {self.reason}."


def fingerprint(public_key_hex: str) -> str:
    """Return the short form of a public key an auditor writes down (8 groups of 4 hex digits)."""
    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:32]
    return "-".join(digest[i : i + 4] for i in range(0, 32, 4))


def read_public_key(path: Path) -> str:
    """Return the public key in a file (hex as the archive writes it, or PEM); raise IntegrityFailure."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IntegrityFailure(
            "checkpoint.public_key_unreadable", "The public key file {path} cannot be read.", path=path
        ) from exc
    text = raw.decode("ascii", errors="replace").strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(raw)
        except ValueError as exc:
            raise IntegrityFailure(
                "checkpoint.public_key_invalid", "The public key file {path} is not a valid key.", path=path
            ) from exc
        if not isinstance(key, Ed25519PublicKey):
            raise IntegrityFailure(
                "checkpoint.public_key_not_ed25519", "The public key file {path} is not an Ed25519 key.", path=path
            )
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    try:
        if len(bytes.fromhex(text)) == 32:
            return text.lower()
    except ValueError:
        pass
    raise IntegrityFailure(
        "checkpoint.public_key_form", "The public key file {path} is not a valid key (64 hex digits or PEM).", path=path
    )


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
                raise IntegrityFailure(
                    "checkpoint.key_missing",
                    "The checkpoint key {path} is missing; no new checkpoint can be signed.",
                    path=path,
                )
            return cls._create(path)
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise IntegrityFailure(
                "checkpoint.key_unreadable", "The checkpoint key {path} is not a valid key file.", path=path
            ) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise IntegrityFailure(
                "checkpoint.key_not_ed25519", "The checkpoint key {path} is not an Ed25519 key.", path=path
            )
        return cls(key)

    @classmethod
    def _create(cls, path: Path) -> "CheckpointKey":
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
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

    def sign_bytes(self, data: bytes) -> str:
        """Return the hex Ed25519 signature of ``data`` (backup manifests are signed with this key too)."""
        return self._private.sign(data).hex()

    def sign(self, checkpoint: Checkpoint) -> Checkpoint:
        """Return the checkpoint with its signature and public key filled in."""
        signature = self._private.sign(checkpoint.payload()).hex()
        return dataclasses.replace(checkpoint, signature=signature, public_key=self.public_key_hex())


def renew_key(key_path: Path) -> "CheckpointKey":
    """Retire the current public key (into ``keys/retired/``) and make a new key pair; return it.

    Only for the archive itself, right before it names the new key in the trail
    (``Checkpointer.renew_key``): a key changed any other way is reported as replaced.
    """
    public = key_path.with_suffix(".pub")
    if public.exists():
        retired = key_path.parent / RETIRED_FOLDER
        retired.mkdir(exist_ok=True)
        os.replace(public, retired / f"{public.read_text(encoding='ascii').strip()[:16]}.pub")
    key_path.unlink(missing_ok=True)
    return CheckpointKey.load(key_path, create=True)


def signature_valid(checkpoint: Checkpoint, public_key_hex: str) -> bool:
    """Return whether the checkpoint was signed by the holder of this public key."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(checkpoint.signature), checkpoint.payload())
        return True
    except (InvalidSignature, ValueError):
        return False


def file_name(checkpoint: Checkpoint) -> str:
    """Return the checkpoint's file name: by number (an earlier release's: by time and head)."""
    if checkpoint.number:
        return f"checkpoint-{checkpoint.number:06d}.json"
    stamp = checkpoint.at.replace(":", "").replace("-", "").replace(".", "")
    return f"checkpoint-{stamp}-{checkpoint.head_seq:09d}.json"


def checkpoint_bytes(checkpoint: Checkpoint) -> bytes:
    """Return the file content of a checkpoint (the same bytes in the home and at the witness)."""
    return json.dumps(checkpoint.to_json(), indent=2).encode("utf-8")


def write_file(folder: Path, checkpoint: Checkpoint, final: bool = True) -> Path:
    """Write the checkpoint as a read-only JSON file, fsynced; return its path.

    With ``final`` false it is left under a ``.part`` name, for ``finish_file`` once the
    database transaction that records it has committed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name(checkpoint)
    temp = target.with_suffix(".part")
    with open(temp, "wb") as handle:
        handle.write(checkpoint_bytes(checkpoint))
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp, stat.S_IRUSR)
    if final:
        os.replace(temp, target)
    return target


def finish_file(target: Path) -> None:
    """Move a checkpoint written with ``final=False`` into place."""
    os.replace(target.with_suffix(".part"), target)


def parse(content: bytes) -> Checkpoint:
    """Return the checkpoint in a file's content; raise ValueError when it is not one."""
    try:
        return Checkpoint(**json.loads(content.decode("utf-8")))
    except (UnicodeDecodeError, TypeError) as exc:
        raise ValueError("not a checkpoint") from exc


def read_files(folder: Path) -> list[tuple[str, Checkpoint | None]]:
    """Return every checkpoint file in the folder (None for one that cannot be read), by name."""
    found: list[tuple[str, Checkpoint | None]] = []
    for path in sorted(folder.glob("checkpoint-*.json")) if folder.is_dir() else []:
        try:
            found.append((path.name, parse(path.read_bytes())))
        except (OSError, ValueError):
            found.append((path.name, None))
    return found


# -- checking ---------------------------------------------------------------------------


@dataclass
class Findings:
    """What is wrong (problems) and what could not be checked (notes)."""

    problems: list[CheckpointProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, file: str, reason: str) -> None:
        self.problems.append(CheckpointProblem(file, reason))


@dataclass(frozen=True)
class KeyPin:
    """A checkpoint public key the trail names, from the entry at ``seq`` on."""

    seq: int
    public_key: str
    reason: str = ""


def key_for(pins: list[KeyPin], head_seq: int) -> str:
    """Return the key a checkpoint of this head must be signed with: the pin in force at its head."""
    chosen = pins[0].public_key
    for pin in pins:
        if pin.seq <= head_seq:
            chosen = pin.public_key
    return chosen


def check_checkpoints(
    files: list[tuple[str, Checkpoint | None]],
    public_keys: str | list[KeyPin],
    entry_at: Callable[[int], Mapping[str, Any] | sqlite3.Row | None],
    head_seq: int,
) -> list[CheckpointProblem]:
    """Return what is wrong between each checkpoint and the chain as it is now (signature and head).

    ``public_keys`` is the one key, or the keys pinned in the trail (each checkpoint is
    checked against the pin in force at its head).
    """
    pins = [KeyPin(0, public_keys)] if isinstance(public_keys, str) else public_keys
    findings = Findings()
    for name, checkpoint in files:
        expected = key_for(pins, checkpoint.head_seq) if checkpoint is not None else ""
        if checkpoint is None:
            findings.add(name, "cannot be read")
        elif not signature_valid(checkpoint, expected):
            findings.add(name, f"its signature is not valid for the archive's pinned key ({fingerprint(expected)})")
        else:
            _check_head(findings, name, checkpoint, entry_at, head_seq)
    return findings.problems


def _check_head(
    findings: Findings,
    name: str,
    checkpoint: Checkpoint,
    entry_at: Callable[[int], Mapping[str, Any] | sqlite3.Row | None],
    head_seq: int,
) -> None:
    if checkpoint.head_seq > head_seq:
        cut = (
            f"entry {checkpoint.head_seq}"
            if checkpoint.head_seq == head_seq + 1
            else f"entries {head_seq + 1}-{checkpoint.head_seq}"
        )
        findings.add(
            name,
            f"it saw {checkpoint.head_seq} entries but the trail now ends at entry {head_seq}: "
            f"{cut} {'was' if checkpoint.head_seq == head_seq + 1 else 'were'} cut off",
        )
        return
    entry = entry_at(checkpoint.head_seq) if checkpoint.head_seq else None
    if checkpoint.head_seq and (entry is None or entry["hash"] != checkpoint.head_hash):
        findings.add(name, f"entry {checkpoint.head_seq} is not the one it signed: the trail was rewritten")


def check_series(
    files: list[tuple[str, Checkpoint | None]],
    recorded: Mapping[int, str],
    announced: Mapping[int, int],
) -> Findings:
    """Check that the numbered checkpoints form one unbroken series.

    ``recorded`` maps each number the database lists to the digest it recorded;
    ``announced`` maps each number an audit entry announced to that entry's seq.
    Signatures and heads are checked by ``check_checkpoints``.
    """
    findings = Findings()
    by_number: dict[int, tuple[str, Checkpoint]] = {}
    for name, checkpoint in files:
        if checkpoint is None or not checkpoint.number:
            continue
        if checkpoint.number in by_number:
            findings.add(name, f"it has the same number ({checkpoint.number}) as {by_number[checkpoint.number][0]}")
            continue
        by_number[checkpoint.number] = (name, checkpoint)
    highest = max([*by_number, *recorded, *announced], default=0)
    for number in range(1, highest + 1):
        if number not in by_number:
            where = f" (announced by audit entry {announced[number]})" if number in announced else ""
            findings.add(f"number {number}", f"it is missing{where}: it was deleted or never written")
            continue
        name, checkpoint = by_number[number]
        if number in recorded and recorded[number] and recorded[number] != checkpoint.digest():
            findings.add(name, "it is not the checkpoint the database recorded: it was replaced")
        if number in announced and announced[number] != checkpoint.head_seq:
            findings.add(
                name, f"it does not cover audit entry {announced[number]}, which announced it: it was replaced"
            )
        before = by_number.get(number - 1)
        expected = FIRST_PREVIOUS if number == 1 else (before[1].digest() if before else None)
        if expected is not None and checkpoint.previous != expected:
            findings.add(name, f"it does not follow checkpoint {number - 1}: one of them was replaced")
    return findings


def legacy_count(files: Iterable[tuple[str, Checkpoint | None]]) -> int:
    """Return how many readable checkpoints an earlier release wrote (unnumbered)."""
    return sum(1 for _, checkpoint in files if checkpoint is not None and not checkpoint.number)
