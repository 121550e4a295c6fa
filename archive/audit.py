"""The audit trail: append-only entries, each holding the hash of the one before.

Any edit, deletion, insertion or reordering of an entry breaks the chain at that
point; ``verify_chain`` says where.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from archive.actors import Actor
from archive.clock import Clock, iso
from storage import audit_repo
from storage.database import Database

GENESIS = audit_repo.GENESIS


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """Return the chain hash of an entry: sha256 over the previous hash and its fields."""
    body = json.dumps(
        [
            entry["seq"], entry["at"], entry["actor"], entry["action"], entry["document_id"],
            entry["client_id"], entry["address"], entry["details"],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
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

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_chain(rows: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Check every entry's link and hash; return where the chain breaks, if anywhere."""
    prev_hash, expected_seq, count, breaks = GENESIS, None, 0, []
    for row in rows:
        count += 1
        if row["prev_hash"] != prev_hash:
            breaks.append(ChainBreak(row["seq"], count, "does not follow the entry before it"))
        elif entry_hash(prev_hash, row) != row["hash"]:
            breaks.append(ChainBreak(row["seq"], count, "was changed after it was written"))
        elif expected_seq is not None and row["seq"] != expected_seq:
            breaks.append(ChainBreak(row["seq"], count, "numbering has a gap"))
        prev_hash, expected_seq = row["hash"], row["seq"] + 1
    return ChainReport(entries=count, head_hash=prev_hash, breaks=tuple(breaks))


class AuditTrail:
    """Appends audit entries; never changes or removes one."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def record(
        self,
        actor: Actor,
        action: str,
        document_id: int | None = None,
        client_id: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one entry (joining the caller's transaction, if any); return its seq."""
        with self._db.atomic() as conn:
            last = audit_repo.last_entry(conn)
            seq = last["seq"] + 1 if last else 1
            entry = {
                "seq": seq, "at": iso(self._clock.now()), "actor": actor.name, "action": action,
                "document_id": document_id, "client_id": client_id, "address": actor.address,
                "details": json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True, default=str),
            }
            entry["prev_hash"] = last["hash"] if last else GENESIS
            entry["hash"] = entry_hash(entry["prev_hash"], entry)
            audit_repo.append(conn, entry)
            return seq

    def verify(self) -> ChainReport:
        """Return the result of checking the whole chain."""
        return verify_chain(audit_repo.iter_entries(self._db.read()))

    def for_document(self, document_id: int) -> list[dict[str, Any]]:
        """Return the entries about one document, oldest first."""
        rows = audit_repo.entries_for_document(self._db.read(), document_id)
        return [{**dict(row), "details": json.loads(row["details"])} for row in rows]
