"""Encryption of a backup destination and of private keys, with a key from a passphrase.

A passphrase becomes a key with Argon2id (RFC 9106's second recommendation: 3 passes,
64 MiB, 4 lanes; the salt is random per destination). That key only wraps a random
master key, so the passphrase is asked once per run and the bulk data never depends
on it directly. From the master key HKDF derives two keys: one for AES-256-GCM
(every object and snapshot file, each with a fresh 96-bit nonce and what it is bound
to as associated data — an object cannot be swapped for another, nor a snapshot for
an older one), and one for HMAC-SHA256 names, so the destination does not show the
SHA-256 of any original (which would let anyone holding a copy of a document confirm
that the archive has it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from archive.errors import IntegrityFailure, InvalidInput

CIPHER = "AES-256-GCM"
_NONCE = 12
_MAGIC = b"FOA1"
MIN_PASSPHRASE = 12


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, kept beside what they protect so it can be opened later."""

    salt: bytes
    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "salt": _b64(self.salt),
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "KdfParams":
        if data.get("name") != "argon2id":
            raise InvalidInput("backup.unknown_kdf", "Unknown key derivation '{name}'.", name=str(data.get("name")))
        return cls(_unb64(data["salt"]), int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"]))

    @classmethod
    def fresh(cls) -> "KdfParams":
        return cls(os.urandom(16))


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """Return the 256-bit key Argon2id makes of a passphrase with these parameters."""
    return hash_secret_raw(
        passphrase.encode("utf-8"), params.salt, params.time_cost, params.memory_kib, params.parallelism, 32, Type.ID
    )


def check_new_passphrase(passphrase: str) -> None:
    """Raise InvalidInput when a passphrase is too short to protect a backup."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(
            "backup.passphrase_short",
            "A backup passphrase must be at least {count} characters long.",
            count=MIN_PASSPHRASE,
        )


def seal(key: bytes, data: bytes, bound_to: str) -> bytes:
    """Return ``data`` encrypted and authenticated with ``key``, bound to a label."""
    nonce = os.urandom(_NONCE)
    return _MAGIC + nonce + AESGCM(key).encrypt(nonce, data, bound_to.encode())


def unseal(key: bytes, blob: bytes, bound_to: str) -> bytes:
    """Return the data sealed in ``blob``; raise IntegrityFailure when it was altered (or the key is wrong)."""
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _NONCE + 16:
        raise IntegrityFailure("backup.not_encrypted", "{what} is not an encrypted backup file.", what=bound_to)
    nonce = blob[len(_MAGIC) : len(_MAGIC) + _NONCE]
    try:
        return AESGCM(key).decrypt(nonce, blob[len(_MAGIC) + _NONCE :], bound_to.encode())
    except InvalidTag as exc:
        raise IntegrityFailure(
            "backup.authentication_failed", "{what} was altered or damaged (its authentication fails).", what=bound_to
        ) from exc


SEAL_OVERHEAD = len(_MAGIC) + _NONCE + 16


class DestinationKeys:
    """The two keys of an encrypted destination, derived from its master key."""

    def __init__(self, master: bytes) -> None:
        self.data = _hkdf(master, b"front-office-archive backup data")
        self._names = _hkdf(master, b"front-office-archive backup names")

    def object_name(self, chunk_id: str) -> str:
        """Return the file name of a chunk on the destination: a keyed hash of its SHA-256."""
        return hmac.new(self._names, chunk_id.encode(), hashlib.sha256).hexdigest()


def new_encryption(passphrase: str) -> tuple[dict[str, Any], DestinationKeys]:
    """Return the descriptor section of a new encrypted destination and its keys."""
    check_new_passphrase(passphrase)
    params = KdfParams.fresh()
    master = os.urandom(32)
    wrapped = seal(derive_key(passphrase, params), master, "backup master key")
    return {"cipher": CIPHER, "kdf": params.to_json(), "wrapped_key": _b64(wrapped)}, DestinationKeys(master)


def unlock(section: dict[str, Any], passphrase: str) -> DestinationKeys:
    """Return the keys of an encrypted destination; raise InvalidInput for a wrong passphrase."""
    if section.get("cipher") != CIPHER:
        raise InvalidInput(
            "backup.unknown_cipher",
            "This backup is encrypted with '{cipher}', which this release cannot read.",
            cipher=str(section.get("cipher")),
        )
    key = derive_key(passphrase, KdfParams.from_json(section["kdf"]))
    try:
        master = unseal(key, _unb64(section["wrapped_key"]), "backup master key")
    except IntegrityFailure as exc:
        raise InvalidInput("backup.wrong_passphrase", "The passphrase does not open this backup.") from exc
    return DestinationKeys(master)


def seal_secret(data: bytes, passphrase: str, bound_to: str) -> dict[str, Any]:
    """Return a private key file sealed with its own passphrase-derived key (fresh salt)."""
    params = KdfParams.fresh()
    return {"kdf": params.to_json(), "sealed": _b64(seal(derive_key(passphrase, params), data, bound_to))}


def unseal_secret(sealed: dict[str, Any], passphrase: str, bound_to: str) -> bytes:
    """Return a sealed private key file; raise InvalidInput for a wrong passphrase."""
    key = derive_key(passphrase, KdfParams.from_json(sealed["kdf"]))
    try:
        return unseal(key, _unb64(sealed["sealed"]), bound_to)
    except IntegrityFailure as exc:
        raise InvalidInput(
            "backup.wrong_key_passphrase",
            "The passphrase does not open the private key {path} in this backup.",
            path=bound_to,
        ) from exc


def _hkdf(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
