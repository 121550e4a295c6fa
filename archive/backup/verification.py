"""`archive backup verify`: are the snapshots whole, signed and (deep) every byte intact?

Without ``deep``: every snapshot file opens (decrypts), carries a valid signature by
the archive's key, and every chunk it lists is present with the right size. With
``deep`` every chunk is read back, authenticated (encrypted destinations) and
re-hashed, and every file made of several chunks is re-hashed as a whole — each chunk
and each distinct file once, however many snapshots share it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archive.backup import chunks
from archive.backup.destination import Destination
from archive.backup.manifest import FileEntry, Manifest
from archive.backup.reading import read_signed
from archive.backup.signing import SignedSnapshot
from archive.errors import IntegrityFailure


@dataclass
class VerifyReport:
    destination: str
    deep: bool
    public_keys: list[str]
    snapshots: list[int] = field(default_factory=list)
    files_checked: int = 0
    chunks_checked: int = 0
    problems: list[str] = field(default_factory=list)
    recorded: list[str] = field(default_factory=list)  # what the backups themselves noted when taken

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "destination": self.destination,
            "deep": self.deep,
            "public_keys": self.public_keys,
            "snapshots": self.snapshots,
            "files_checked": self.files_checked,
            "chunks_checked": self.chunks_checked,
            "problems": self.problems,
            "recorded_problems": self.recorded,
            "ok": self.ok,
        }


def verify_destination(
    destination: Destination,
    deep: bool = False,
    trusted: frozenset[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Check every snapshot of the destination; return a report (``ok`` false on any problem).

    ``trusted`` are the archive's signing keys to check against (hex: its current key
    and retired ones); by default the keys recorded in the destination.
    """
    trusted = trusted or destination.public_keys
    report = VerifyReport(str(destination.root), deep, sorted(trusted))
    with destination.lock(shared=True):
        manifests = _signed_manifests(destination, trusted, report)
        if not manifests and not report.problems:
            report.problems.append(f"There are no snapshots in {destination.root}.")
        _check_chunks(destination, manifests, deep, report, progress)
        if deep:
            _check_files(destination, manifests, report)
    return report


def _signed_manifests(destination: Destination, trusted: frozenset[str], report: VerifyReport) -> list[Manifest]:
    manifests = []
    for number in destination.snapshot_numbers():
        try:
            signed = read_signed(destination, number)
            manifest = Manifest.from_bytes(signed.manifest, f"Snapshot {number}")
        except IntegrityFailure as exc:
            report.problems.append(str(exc))
            continue
        problem = signature_problem(signed, trusted)
        if problem:
            report.problems.append(f"Snapshot {number}{problem}")
        if manifest.number != number:
            report.problems.append(f"Snapshot {number}: its manifest says it is snapshot {manifest.number}.")
        report.snapshots.append(number)
        report.recorded += [f"Snapshot {number}: {problem}" for problem in manifest.problems]
        manifests.append(manifest)
    return manifests


def signature_problem(signed: SignedSnapshot, trusted: frozenset[str]) -> str | None:
    """Return what is wrong with a snapshot's signature (to follow "Snapshot N"), or None."""
    if not signed.signature:
        return " is not signed."
    if signed.public_key not in trusted:
        return (
            f": the signature is not valid for the archive's key: it was signed by another key "
            f"({signed.public_key[:16]}…)."
        )
    if not signed.valid_for(signed.public_key):
        return ": the signature is not valid for the archive's key: its manifest was altered."
    return None


def _expected_sizes(entry: FileEntry) -> list[int]:
    if len(entry.chunks) == 1:
        return [entry.size]
    size = chunks.DATABASE_CHUNK if entry.kind == "database" else chunks.FILE_CHUNK
    return [size] * (len(entry.chunks) - 1) + [entry.size - size * (len(entry.chunks) - 1)]


def _check_chunks(
    destination: Destination,
    manifests: list[Manifest],
    deep: bool,
    report: VerifyReport,
    progress: Callable[[int], None] | None,
) -> None:
    users: dict[str, list[tuple[int, str]]] = defaultdict(list)
    sizes: dict[str, int] = {}
    for manifest in manifests:
        for entry in manifest.files:
            for chunk_id, size in zip(entry.chunks, _expected_sizes(entry)):
                users[chunk_id].append((manifest.number, entry.path))
                sizes[chunk_id] = size
    for chunk_id, used_by in users.items():
        problem = _chunk_problem(destination, chunk_id, sizes[chunk_id], deep)
        report.chunks_checked += 1
        if problem:
            numbers = sorted({number for number, _ in used_by})
            report.problems.append(
                f"{used_by[0][1]} (in snapshot{'s' if len(numbers) > 1 else ''} {_ranges(numbers)}): {problem}."
            )
        if progress:
            progress(1)


def _chunk_problem(destination: Destination, chunk_id: str, size: int, deep: bool) -> str | None:
    path = destination.object_path(chunk_id)
    try:
        stored = path.stat().st_size
    except FileNotFoundError:
        return f"chunk {chunk_id[:12]}… is missing"
    if stored != destination.stored_size(size):
        return f"chunk {chunk_id[:12]}… has the wrong size ({stored} bytes instead of {destination.stored_size(size)})"
    if deep:
        try:
            chunks.read_chunk(destination, chunk_id)
        except IntegrityFailure as exc:
            return str(exc)
    return None


def _check_files(destination: Destination, manifests: list[Manifest], report: VerifyReport) -> None:
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for manifest in manifests:
        for entry in manifest.files:
            report.files_checked += 1
            if len(entry.chunks) < 2 or (entry.sha256, entry.chunks) in seen:
                continue  # a one-chunk file is its chunk, checked above
            seen.add((entry.sha256, entry.chunks))
            try:
                chunks.check_file(destination, entry)
            except IntegrityFailure as exc:
                report.problems.append(f"Snapshot {manifest.number}: {entry.path}: {exc}.")


def _ranges(numbers: list[int]) -> str:
    parts, start = [], None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            parts.append(str(start) if start == number else f"{start}-{number}")
            start = None
    return ", ".join(parts)
