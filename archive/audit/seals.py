"""Seals: a keyed MAC over every audit entry's hash, and over the newest head, kept apart.

The hash chain is public — anyone holding the database can recompute it, so someone
who can write the database (a stolen copy put back, a database administrator, a
script with SQL access) could rewrite the newest entries and recompute their hashes
consistently. Each entry therefore also carries a seal: HMAC-SHA256 under a key that
lives in the home's key folder, never in the database. Without that key no rewritten
entry gets a valid seal.

A tail cut off the end leaves a whole chain and whole seals. The *head seal* — a small
file beside the checkpoints, rewritten after every committed entry and sealed with
the same key — says how far the trail reached, so entries deleted after the newest
checkpoint are noticed too.

Which key sealed an entry is said by the trail itself: an ``audit_keys`` entry names
the seal key (by its id, a hash of the key) from that entry on. Entries before the
first such entry were written by an earlier release, without seals.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import IntegrityFailure

KEYS_ACTION = "audit_keys"
_HEAD_DOMAIN = b"front-office-archive audit head\n"


class SealKey:
    """The secret key that seals audit entries (32 random bytes in a 0600 file)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self.key_id = hashlib.sha256(b"front-office-archive seal key id\n" + secret).hexdigest()[:16]

    @classmethod
    def load(cls, path: Path) -> "SealKey | None":
        """Return the key in ``path``, or None when there is none; raise IntegrityFailure when unreadable."""
        try:
            text = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise IntegrityFailure(
                "seal.key_unreadable", "The audit seal key {path} cannot be read.", path=path
            ) from exc
        try:
            secret = bytes.fromhex(text)
        except ValueError as exc:
            raise IntegrityFailure(
                "seal.key_invalid", "The audit seal key {path} is not a valid key file.", path=path
            ) from exc
        if len(secret) < 32:
            raise IntegrityFailure(
                "seal.key_short", "The audit seal key {path} is too short to be one this archive made.", path=path
            )
        return cls(secret)

    @classmethod
    def create(cls, path: Path) -> "SealKey":
        """Make a new key file (only the archive's own user may read it); return the key."""
        secret = secrets.token_bytes(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secret.hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return cls(secret)

    @classmethod
    def load_or_create(cls, path: Path) -> "SealKey":
        """Return the key in ``path``, making it first when there is none (two processes may race)."""
        found = cls.load(path)
        if found is not None:
            return found
        try:
            return cls.create(path)
        except FileExistsError:
            made = cls.load(path)
            assert made is not None
            return made

    def seal(self, entry_hash: str) -> str:
        """Return the seal of an entry with this chain hash."""
        return hmac.new(self._secret, entry_hash.encode("ascii"), hashlib.sha256).hexdigest()

    def head_seal(self, seq: int, entry_hash: str, at: str) -> str:
        """Return the seal of a head statement (how far the trail reached, when)."""
        body = _HEAD_DOMAIN + json.dumps([seq, entry_hash, at], separators=(",", ":")).encode()
        return hmac.new(self._secret, body, hashlib.sha256).hexdigest()


# -- the head seal file --------------------------------------------------------------


@dataclass(frozen=True)
class HeadSeal:
    seq: int
    hash: str
    at: str
    seal: str


# Two fixed-size slots, written in place by turns: no rename and no truncation (which
# make ext4 flush the file at every entry), and a write torn by a crash spoils only the
# slot being written, never the other, older one.
_SLOT = 256


def read_head(path: Path) -> HeadSeal | None:
    """Return the furthest head in ``path``; None when absent; raise IntegrityFailure when unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IntegrityFailure(
            "seal.head_unreadable", "The audit head seal {name} cannot be read.", name=path.name
        ) from exc
    heads = [
        head
        for head in (_parse_slot(data[start : start + _SLOT]) for start in range(0, len(data), _SLOT))
        if head is not None
    ]
    if not heads:
        raise IntegrityFailure("seal.head_unreadable", "The audit head seal {name} cannot be read.", name=path.name)
    return max(heads, key=lambda head: head.seq)


def _parse_slot(raw: bytes) -> HeadSeal | None:
    try:
        data = json.loads(raw.decode("ascii").strip())
        return HeadSeal(int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["seal"]))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


def write_head(path: Path, key: SealKey, seq: int, entry_hash: str, at: str) -> None:
    """Record the head when ``seq`` is further than the one written (another process may be ahead)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    record = json.dumps({"seq": seq, "hash": entry_hash, "at": at, "seal": key.head_seal(seq, entry_hash, at)})
    slot = record.encode("ascii").ljust(_SLOT - 1) + b"\n"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, stat.S_IRUSR | stat.S_IWUSR)
    try:
        current = [head for head in (_parse_slot(os.pread(fd, _SLOT, start)) for start in (0, _SLOT)) if head]
        if current and max(head.seq for head in current) >= seq:
            return
        os.pwrite(fd, slot, (seq % 2) * _SLOT)
    finally:
        os.close(fd)


# -- checking ---------------------------------------------------------------------------


@dataclass
class SealReport:
    """What checking the seals found: problems (tampering) and notes (what could not be checked)."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sealed: int = 0


def check_seals(
    rows: Iterable[tuple[int, str, str | None]], key: SealKey | None, keys_named: dict[int, str]
) -> SealReport:
    """Check every entry's seal; ``rows`` are (seq, hash, seal) by seq.

    ``keys_named`` maps the seq of each ``audit_keys`` entry to the seal key id it names.
    An entry is checked against the home's key when the ``audit_keys`` entry in force
    names that key; entries of an earlier key, or from before any, are counted in notes.
    """
    report = SealReport()
    era: str | None = None
    unsealed: list[int] = []
    foreign: dict[str, list[int]] = {}
    forged: list[int] = []
    for seq, entry_hash, seal in rows:
        era = keys_named.get(seq, era)
        if era is None:
            unsealed.append(seq)
        elif key is None or era != key.key_id:
            foreign.setdefault(era, []).append(seq)
        elif not seal or not hmac.compare_digest(seal, key.seal(entry_hash)):
            forged.append(seq)
        else:
            report.sealed += 1
    for run in _runs(forged):
        report.problems.append(
            f"Audit trail: {_entries(run)} {'has' if len(run) == 1 else 'have'} no valid seal: "
            "rewritten or added without the archive's seal key."
        )
    # Unsealed entries are those before the first audit_keys entry (an entry after it with
    # no seal is in a key's era, and counted as forged above).
    if unsealed and keys_named:
        report.notes.append(
            f"Audit trail: {_entries(unsealed)} were written by an earlier release, without "
            "seals; the hash chain and the signed checkpoints protect them."
        )
    elif unsealed:
        report.notes.append(f"Audit trail: {_entries(unsealed)} are unsealed (no seal key was ever set).")
    last_era = keys_named[max(keys_named)] if keys_named else None
    for key_id, seqs in foreign.items():
        if key is not None and key_id == last_era:
            report.problems.append(
                f"Audit trail: the seal key in the home (id {key.key_id}) is not the key "
                f"{key_id} the trail names for {_entries(seqs)}; they cannot be checked."
            )
        elif key is None:
            report.problems.append(
                f"Audit trail: there is no seal key in the home; {_entries(seqs)} cannot be checked."
            )
        else:
            report.notes.append(
                f"Audit trail: {_entries(seqs)} were sealed with an earlier key (id {key_id}) "
                "this home no longer holds; the hash chain and the signed checkpoints protect them."
            )
    return report


def check_head(head: HeadSeal | None, key: SealKey | None, entry_hash_at, last_seq: int) -> tuple[list[str], list[str]]:
    """Return (problems, notes) from comparing the head seal with the trail as it is now."""
    if head is None:
        return [], [
            "Audit trail: there is no head seal yet; entries cut off after the newest checkpoint "
            "could not be noticed until one is written."
        ]
    if key is None:
        return [], ["Audit trail: the head seal cannot be checked without the seal key."]
    if not hmac.compare_digest(head.seal, key.head_seal(head.seq, head.hash, head.at)):
        return ["Audit trail: the head seal was altered (its seal does not match)."], []
    if head.seq > last_seq:
        cut = f"entry {last_seq + 1}" if head.seq == last_seq + 1 else f"entries {last_seq + 1}-{head.seq}"
        return [
            f"Audit trail: the head seal saw entry {head.seq} (at {head.at}) but the trail now ends at "
            f"entry {last_seq}: {cut} {'was' if head.seq == last_seq + 1 else 'were'} cut off."
        ], []
    found = entry_hash_at(head.seq)
    if found != head.hash:
        return [f"Audit trail: entry {head.seq} is not the one the head seal saw: the trail was rewritten."], []
    return [], []


def _runs(seqs: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for seq in seqs:
        if runs and seq == runs[-1][-1] + 1:
            runs[-1].append(seq)
        else:
            runs.append([seq])
    return runs


def _entries(seqs: list[int]) -> str:
    """Return 'entry 5' or 'entries 5-9' or 'entries 5-9, 12' for a sorted list of seqs."""
    if len(seqs) == 1:
        return f"entry {seqs[0]}"
    parts = [f"{run[0]}" if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in _runs(sorted(seqs))]
    shown = ", ".join(parts[:8]) + (f" and {len(parts) - 8} more runs" if len(parts) > 8 else "")
    return f"entries {shown}"
