"""The audit trail: append-only entries, each holding the hash of the one before.

Any edit, deletion, insertion or reordering of an entry breaks the chain at that
point; ``verify_chain`` says where. Each entry is also sealed with a key kept outside
the database, and the newest head is sealed into a file beside the checkpoints after
every commit (``archive.audit.seals``): someone who can write the database but not
read the key can neither rewrite the newest entries consistently nor cut them off.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.access.actors import Actor
from archive.audit.seals import KEYS_ACTION, SealKey, SealReport, check_head, check_seals, read_head, write_head
from archive.clock import Clock, iso
from archive.errors import IntegrityFailure
from ingest.values import mask_bsns
from storage import audit_repo, records_repo
from storage.database import Database

GENESIS = audit_repo.GENESIS


# The fields an entry's hash covers, in order; also the first columns of audit_log.
HASHED_FIELDS = ("seq", "at", "actor", "action", "document_id", "client_id", "address", "details")
# One encoder, built once: json.dumps with options builds a new one per call (~3x slower).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def entry_hash(prev_hash: str, entry: Mapping[str, Any] | sqlite3.Row) -> str:
    """Return the chain hash of an entry: sha256 over the previous hash and its fields."""
    return _hash_values(prev_hash, [entry[name] for name in HASHED_FIELDS])


def _hash_values(prev_hash: str, values: list[Any]) -> str:
    try:
        body = _ENCODER.encode(values)
    except (TypeError, ValueError):  # bytes or the like put in by hand: no genuine entry hashes so
        return ""
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    position: int  # 1-based position in chain order
    reason: str


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_hash: str
    breaks: tuple[ChainBreak, ...]
    head_seq: int = 0

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_chain(rows: Iterable[Mapping[str, Any] | sqlite3.Row | tuple[Any, ...]]) -> ChainReport:
    """Check every entry's link and hash; return where the chain breaks, if anywhere.

    Rows are mappings, or tuples in audit_log's column order (the fast path). After a
    break the check goes on from the entry as stored, so one edited, deleted, inserted
    or moved entry is reported where it is instead of everything after it.
    """
    prev_hash, before_prev, expected_seq, count, breaks = GENESIS, None, None, 0, []
    seq = 0
    for row in rows:
        if isinstance(row, tuple):
            seq, at, actor, action, document_id, client_id, address, details, row_prev, row_hash = row
            values = [seq, at, actor, action, document_id, client_id, address, details]
        else:
            values = [row[name] for name in HASHED_FIELDS]
            seq, row_prev, row_hash = values[0], row["prev_hash"], row["hash"]
        count += 1
        if (
            row_prev != prev_hash
            or (seq != expected_seq and expected_seq is not None)
            or _hash_values(prev_hash, values) != row_hash
        ):
            entry = dict(zip(HASHED_FIELDS, values), prev_hash=row_prev, hash=row_hash)
            reason = _break_reason(entry, prev_hash, before_prev, expected_seq)
            if reason:
                breaks.append(ChainBreak(seq, count, reason))
        before_prev, prev_hash, expected_seq = prev_hash, row_hash, seq + 1
    return ChainReport(entries=count, head_hash=prev_hash, breaks=tuple(breaks), head_seq=seq)


def verify_bodies(
    rows: Iterable[tuple[int, str, str, str]], full_entry: Callable[[int], Mapping[str, Any] | sqlite3.Row | None]
) -> ChainReport:
    """Check the chain from (seq, body, prev_hash, hash) rows: the fast path of ``verify_chain``.

    The body is the hashed JSON list as SQLite's json_array writes it (identical to
    ours for every value an entry holds, and 2x faster to check). Any row that does
    not match is looked up in full and judged with our own encoding, so an exotic
    value can never be reported as tampering.
    """
    prev_hash, before_prev, expected_seq, count, breaks = GENESIS, None, None, 0, []
    seq, sha256 = 0, hashlib.sha256
    for seq, body, row_prev, row_hash in rows:
        count += 1
        if (
            row_prev != prev_hash
            or (seq != expected_seq and expected_seq is not None)
            or sha256(f"{prev_hash}\n{body}".encode()).hexdigest() != row_hash
        ):
            entry = full_entry(seq)
            reason = _break_reason(entry, prev_hash, before_prev, expected_seq) if entry else "could not be read"
            if reason:
                breaks.append(ChainBreak(seq, count, reason))
        before_prev, prev_hash, expected_seq = prev_hash, row_hash, seq + 1
    return ChainReport(entries=count, head_hash=prev_hash, breaks=tuple(breaks), head_seq=seq)


def _break_reason(
    row: Mapping[str, Any] | sqlite3.Row, prev_hash: str, before_prev: str | None, expected_seq: int | None
) -> str | None:
    linked = row["prev_hash"] == prev_hash
    if not linked and expected_seq is not None and row["seq"] > expected_seq:
        missing = f"{expected_seq}" if row["seq"] == expected_seq + 1 else f"{expected_seq}-{row['seq'] - 1}"
        return f"follows a gap: entry {missing} was deleted"
    if not linked and before_prev is not None and row["prev_hash"] == before_prev:
        return "does not follow the entry before it: that entry was inserted"
    if not linked:
        return "does not follow the entry before it: an entry was rewritten, moved or removed"
    if entry_hash(prev_hash, row) != row["hash"]:
        return "was changed after it was written"
    if expected_seq is not None and row["seq"] != expected_seq:
        return "numbering has a gap"
    return None


# Entries that record a person reading, not changing, anything (see AuditTrail.record).
RELAXED_ACTIONS = frozenset(
    {"view", "search", "download", "thumbnail", "audit_read", "audit_report", "client_list", "records_view", "analysis"}
)

# Details that must never be written into the trail (DESIGN.md: BSNs, passwords, tokens).
_SECRET_KEYS = ("password", "token", "secret", "totp", "otp")


# Hashes, keys and digests (16 or more hex digits, nothing else) are never a BSN, though a
# run of nine digits inside one may pass the 11-check: masking it would break the very
# values an auditor compares (a checkpoint's digest, a pinned key, an original's SHA-256).
_IDENTIFIER = re.compile(r"[0-9a-f]{16,}")


def redact(value: Any) -> Any:
    """Return ``value`` with BSNs masked and secret-named fields blanked, recursively."""
    if isinstance(value, Mapping):
        return {k: "[redacted]" if _is_secret(k) else redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    if isinstance(value, str) and not _IDENTIFIER.fullmatch(value):
        return mask_bsns(value)  # however written: a query "123 456 782", a file name
    return value


def _is_secret(key: object) -> bool:
    name = str(key).lower()
    return any(word in name for word in _SECRET_KEYS)


class AuditTrail:
    """Appends audit entries; never changes or removes one."""

    def __init__(
        self, db: Database, clock: Clock, seal_key: SealKey | None = None, head_file: Path | None = None
    ) -> None:
        """``seal_key`` seals each entry; ``head_file`` receives the sealed head after every commit."""
        self._db = db
        self._clock = clock
        self.seal_key = seal_key
        self.head_file = head_file
        self._listeners: list[Callable[[int], None]] = []

    def on_appended(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(head_seq)`` after each commit that added entries (checkpoint scheduling)."""
        self._listeners.append(listener)

    def record(
        self,
        actor: Actor,
        action: str,
        document_id: int | None = None,
        client_id: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one entry (joining the caller's transaction, if any); return its seq.

        Reads (views, searches, downloads…) are committed without waiting for the disk
        to confirm (``atomic(durable=False)``): a power cut may lose the last moments of
        them but never breaks the chain, and a person is not kept waiting ~5 ms per
        page. Every change keeps full durability. A command-line actor's operating-system
        user is written into the entry's details.
        """
        return self._append(actor, action, document_id, client_id, details, durable=action not in RELAXED_ACTIONS)

    def _append(
        self,
        actor: Actor,
        action: str,
        document_id: int | None,
        client_id: str | None,
        details: Mapping[str, Any] | None,
        durable: bool,
    ) -> int:
        values = dict(details or {})
        if actor.os_user:
            values["os_user"] = actor.os_user
        # The head is read inside the write transaction: writers follow one another (SQLite's
        # BEGIN IMMEDIATE, PostgreSQL's writer lock), so the chain stays one line without gaps.
        with self._db.atomic(durable=durable) as conn:
            last = audit_repo.last_entry(conn)
            seq = last["seq"] + 1 if last else 1
            entry = {
                "seq": seq,
                "at": iso(self._clock.now()),
                "actor": actor.name,
                "action": action,
                "document_id": document_id,
                "client_id": client_id,
                "address": actor.address,
                "details": json.dumps(redact(values), ensure_ascii=False, sort_keys=True, default=str),
            }
            entry["prev_hash"] = last["hash"] if last else GENESIS
            digest = entry_hash(str(entry["prev_hash"]), entry)
            entry["hash"] = digest
            entry["seal"] = self.seal_key.seal(digest) if self.seal_key else None
            audit_repo.append(conn, entry)
            self._db.after_commit(self._committed)
            return seq

    def _committed(self) -> None:
        """Seal the head as committed now into the head file, and tell the listeners."""
        last = audit_repo.last_entry(self._db.read())
        if last is None:
            return
        if self.seal_key is not None and self.head_file is not None:
            write_head(self.head_file, self.seal_key, last["seq"], last["hash"], iso(self._clock.now()))
        for listener in self._listeners:
            listener(last["seq"])

    def keys_named(self) -> dict[int, str]:
        """Return, per ``audit_keys`` entry, the seal key id it names (the seal key in force from there)."""
        return dict(audit_repo.keys_entries(self._db.read(), KEYS_ACTION))

    def verify(self) -> ChainReport:
        """Return the result of checking the whole chain."""
        conn = self._db.read()
        if not self._db.dialect.has_chain_bodies:
            return verify_chain(records_repo.iter_chain(conn))
        try:
            return verify_bodies(records_repo.iter_chain_bodies(conn), lambda seq: records_repo.audit_entry(conn, seq))
        except sqlite3.Error:  # a value SQLite's JSON cannot hold (a BLOB put in by hand): the exact path
            return verify_chain(records_repo.iter_chain(conn))

    def verify_seals(self) -> SealReport:
        """Return what checking every entry's seal and the head seal found."""
        conn = self._db.read()
        report = check_seals(records_repo.iter_seals(conn), self.seal_key, self.keys_named())
        last = audit_repo.last_entry(conn)
        try:
            head = read_head(self.head_file) if self.head_file is not None else None
        except IntegrityFailure as exc:
            report.problems.append(f"Audit trail: {exc}")
            return report
        if self.head_file is None:
            return report
        problems, notes = check_head(
            head, self.seal_key, lambda seq: records_repo.audit_hash(conn, seq), last["seq"] if last else 0
        )
        report.problems += problems
        report.notes += notes
        return report

    def for_document(self, document_id: int) -> list[dict[str, Any]]:
        """Return the entries about one document, oldest first."""
        rows = audit_repo.entries_for_document(self._db.read(), document_id)
        return [{**dict(row), "details": json.loads(row["details"])} for row in rows]
