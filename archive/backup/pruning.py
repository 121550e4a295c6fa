"""Pruning: keep the snapshots the rule asks for, and only the chunks they need.

The rule (``[backup] keep_daily``, ``keep_weekly``, ``keep_monthly``) keeps the newest
snapshot of each of the last N days, ISO weeks and months that have one; the newest
snapshot is always kept. Every snapshot's manifest is complete, so no snapshot is
built on another: what a newer one shares with an older one is chunks, and a chunk is
removed only when no kept snapshot lists it. That is also how a destroyed document's
bytes leave the backups: once the last snapshot taken before its disposal is pruned,
its chunks (and the database pages that held its text) go with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from archive.backup.destination import Destination
from archive.backup.manifest import Manifest
from archive.backup.reading import read_manifest
from archive.config import KeepRule
from archive.errors import IntegrityFailure


@dataclass
class PruneResult:
    removed: list[int] = field(default_factory=list)
    chunks_removed: int = 0
    bytes_freed: int = 0
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "removed": self.removed,
            "chunks_removed": self.chunks_removed,
            "bytes_freed": self.bytes_freed,
            "problems": self.problems,
        }


_BUCKETS: tuple[tuple[str, Callable[[datetime], object]], ...] = (
    ("daily", lambda at: at.date()),
    ("weekly", lambda at: at.isocalendar()[:2]),
    ("monthly", lambda at: (at.year, at.month)),
)


def snapshots_to_keep(snapshots: Sequence[tuple[int, datetime]], rule: KeepRule) -> set[int]:
    """Return the numbers of the snapshots the rule keeps (the newest always)."""
    newest_first = sorted(snapshots, key=lambda item: item[0], reverse=True)
    if not newest_first:
        return set()
    keep = {newest_first[0][0]}
    for name, bucket in _BUCKETS:
        allowed, seen = getattr(rule, name), set[object]()
        for number, at in newest_first:
            if len(seen) >= allowed:
                break
            if bucket(at) not in seen:
                seen.add(bucket(at))
                keep.add(number)
    return keep


def prune(destination: Destination, rule: KeepRule, known: dict[int, Manifest] | None = None) -> PruneResult:
    """Remove the snapshots the rule does not keep and every chunk no kept snapshot needs.

    ``known`` holds manifests already read (the one just written). A snapshot whose
    manifest cannot be read is neither removed nor trusted: nothing is removed then,
    since the chunks it needs are unknown.
    """
    result = PruneResult()
    with destination.lock():
        manifests = dict(known or {})
        for number in destination.snapshot_numbers():
            if number in manifests:
                continue
            try:
                manifests[number] = read_manifest(destination, number)
            except IntegrityFailure as exc:
                result.problems.append(f"{exc} Nothing was pruned; run `archive backup verify`.")
                return result
        times = [(number, _parse(manifest.created_at)) for number, manifest in manifests.items()]
        keep = snapshots_to_keep(times, rule)
        for number in sorted(set(manifests) - keep):
            destination.remove_snapshot(number)
            result.removed.append(number)
        needed = set().union(*(manifests[number].chunk_ids() for number in keep)) if keep else set()
        result.chunks_removed, result.bytes_freed = destination.remove_unneeded(needed)
    return result


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
