"""Signed snapshot files: the manifest's bytes and an Ed25519 signature over them.

The archive's checkpoint key signs them (keys/checkpoint.key): whoever checks a
backup against that key's public half — kept in the home, in the destination's
descriptor and written down by the administrator — knows the manifest is the one the
archive wrote, so a file list cannot be edited to hide a missing or altered file.

    front-office-archive snapshot 1
    {"public_key": "…", "signature": "…"}
    {manifest JSON…}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from archive.audit.checkpoints import RETIRED_FOLDER, CheckpointKey, read_public_key
from archive.errors import IntegrityFailure

_HEADER = b"front-office-archive snapshot 1\n"
# The same key signs audit checkpoints: a distinct prefix keeps one kind of signed
# bytes from ever being taken for the other.
_DOMAIN = b"front-office-archive backup manifest\n"


@dataclass(frozen=True)
class SignedSnapshot:
    manifest: bytes
    signature: str
    public_key: str

    def valid_for(self, public_key: str) -> bool:
        """Return whether the manifest was signed by the holder of this public key."""
        if not self.signature:
            return False
        try:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
            key.verify(bytes.fromhex(self.signature), _DOMAIN + self.manifest)
            return True
        except (InvalidSignature, ValueError):
            return False


def load_signing_key(path: Path) -> CheckpointKey | None:
    """Return the archive's checkpoint key, or None when the file is missing or not a valid key."""
    try:
        return CheckpointKey.load(path)
    except IntegrityFailure:
        return None


def home_public_keys(key_path: Path) -> frozenset[str]:
    """Return the public keys (hex) of this home's signatures: its current key's and the retired ones'.

    A home restored without its private key signs on with a new key; snapshots signed
    before by the old one are still its own. Raises IntegrityFailure when the current
    key file is missing or unreadable.
    """
    keys = {CheckpointKey.load(key_path).public_key_hex()}
    for path in sorted((key_path.parent / RETIRED_FOLDER).glob("*.pub")):
        keys.add(read_public_key(path))
    return frozenset(keys)


def sign(manifest: bytes, key: CheckpointKey | None) -> bytes:
    """Return the snapshot file's content: header, signature (empty without a key), manifest."""
    seal = (
        {"signature": key.sign_bytes(_DOMAIN + manifest), "public_key": key.public_key_hex()}
        if key
        else {"signature": "", "public_key": ""}
    )
    return _HEADER + json.dumps(seal, sort_keys=True).encode() + b"\n" + manifest


def read_signed(content: bytes, where: str) -> SignedSnapshot:
    """Split a snapshot file into manifest and signature; raise IntegrityFailure when it is not one."""
    if not content.startswith(_HEADER):
        raise IntegrityFailure("backup.not_a_snapshot", "{where} is not a snapshot file.", where=where)
    seal_line, _, manifest = content[len(_HEADER) :].partition(b"\n")
    try:
        seal = json.loads(seal_line)
        return SignedSnapshot(manifest, str(seal["signature"]), str(seal["public_key"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise IntegrityFailure(
            "backup.signature_unreadable", "{where}: its signature line cannot be read.", where=where
        ) from exc
