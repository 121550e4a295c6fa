"""Writing one snapshot while the archive keeps working.

1. Copy the database with SQLite's online backup API: the snapshot is the archive as
   of that moment, so every document committed before the backup began is in it.
2. Choose the files from that copy (``contents``): the originals it expects, and so on.
3. Store each file's chunks the destination lacks; a file whose size and mtime match
   the previous snapshot's entry is taken from it without being read — a new snapshot
   costs time in proportion to what changed.
4. Commit: flush the chunks, then rename the signed manifest into place.

An original can vanish between the copy and step 3 only when a disposal destroyed it
meanwhile; the copy is then taken again (it now shows the document as destroyed), so
the database and the files still agree. A run killed at any point leaves only files
in ``tmp/`` and chunks no snapshot lists; the previous snapshots are untouched, and
the next run reuses the chunks that were already written.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from archive.backup import chunks, contents, crypto, signing
from archive.backup.contents import HomeLayout, Source
from archive.backup.destination import Destination
from archive.backup.manifest import DATABASE_PATH, FileEntry, Manifest, SealedEntry
from archive.backup.reading import read_manifest
from archive.clock import Clock, iso
from archive.errors import IntegrityFailure, InvalidInput
from storage import backup_repo
from storage.database_copy import copy_database, open_copy
from storage.migrations import schema_version

_ATTEMPTS = 3
# Files stored at once: enough to keep a disk and two cores busy while one thread waits.
_THREADS = 4


@dataclass(frozen=True)
class SnapshotOptions:
    private_keys: bool = False
    passphrase: str | None = None  # seals the private keys


@dataclass
class SnapshotResult:
    """What one backup run did."""

    destination: str
    number: int
    created_at: str
    encrypted: bool
    files: int = 0
    bytes: int = 0
    bytes_written: int = 0
    files_reused: int = 0
    files_read: int = 0
    removed: int = 0
    leftovers_removed: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    pruned: list[int] = field(default_factory=list)
    manifest: Manifest | None = field(default=None, repr=False)  # what was written (pruning reads it)
    previous: Manifest | None = field(default=None, repr=False)  # the one it was built on (read once)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            **{
                name: getattr(self, name)
                for name in (
                    "destination",
                    "number",
                    "created_at",
                    "encrypted",
                    "files",
                    "bytes",
                    "bytes_written",
                    "files_reused",
                    "files_read",
                    "removed",
                    "leftovers_removed",
                    "seconds",
                    "problems",
                    "pruned",
                )
            },
            "ok": self.ok,
        }


def release() -> str:
    """Return this release's version (recorded in every manifest)."""
    try:
        return metadata.version("front-office-archive")
    except metadata.PackageNotFoundError:
        return "unknown"


def take_snapshot(
    layout: HomeLayout, destination: Destination, clock: Clock, options: SnapshotOptions = SnapshotOptions()
) -> SnapshotResult:
    """Write the next numbered snapshot of the home to the destination; return what was done.

    Raises Conflict when another run holds the destination, StorageError when the
    database cannot be copied, InvalidInput when private keys are asked without a passphrase.
    """
    if options.private_keys and not options.passphrase:
        raise InvalidInput(
            "backup.keys_need_passphrase",
            "Private keys go into a backup only sealed with a passphrase; none was given.",
        )
    started = time.monotonic()
    with destination.lock():
        leftovers = destination.clean_leftovers()
        previous = latest_manifest(destination)
        number = max(destination.snapshot_numbers(), default=0) + 1
        work = _Work(destination, previous)
        with _staging(layout) as staging:
            manifest = _build(layout, work, staging, number, clock, options, previous)
        key = signing.load_signing_key(layout.checkpoint_key)
        if key is None:
            manifest = _with_problem(
                manifest, f"The signing key {layout.checkpoint_key} is missing or damaged: this snapshot is not signed."
            )
        destination.write_snapshot(number, signing.sign(manifest.to_bytes(), key))
    return SnapshotResult(
        destination=str(destination.root),
        number=number,
        created_at=manifest.created_at,
        encrypted=destination.encrypted,
        files=len(manifest.files),
        bytes=manifest.size,
        bytes_written=work.written,
        files_reused=work.reused,
        files_read=work.read,
        removed=len(manifest.removed),
        leftovers_removed=leftovers,
        seconds=round(time.monotonic() - started, 3),
        problems=list(manifest.problems),
        manifest=manifest,
        previous=previous,
    )


def latest_manifest(destination: Destination) -> Manifest | None:
    """Return the newest snapshot's manifest that can be read (None when there is none)."""
    for number in reversed(destination.snapshot_numbers()):
        try:
            return read_manifest(destination, number)
        except IntegrityFailure:
            continue  # a damaged newest snapshot: build on the one before (verify reports it)
    return None


def _build(
    layout: HomeLayout,
    work: "_Work",
    staging: Path,
    number: int,
    clock: Clock,
    options: SnapshotOptions,
    previous: Manifest | None,
) -> Manifest:
    for attempt in range(1, _ATTEMPTS + 1):
        copy = staging / f"database-{attempt}.sqlite3"
        created_at = iso(clock.now())
        copy_database(layout.database, copy)
        conn = open_copy(copy)
        try:
            sources, problems = contents.select(layout, conn)
            facts = _facts(conn)
        finally:
            conn.close()
        entries, vanished = work.store_all(sources)
        if not vanished:
            break
        # Destroyed by a disposal after the copy was made: a fresh copy says so.
        if attempt == _ATTEMPTS:
            problems += [
                f"{s.owner}: its original is missing from the store, so this snapshot "
                "does not hold it; run `archive verify`."
                for s in vanished
            ]
    entries.append(work.store_database(copy))
    paths = {entry.path for entry in entries}
    removed = tuple(sorted(e.path for e in previous.files if e.path not in paths)) if previous else ()
    return Manifest(
        number=number,
        created_at=created_at,
        finished_at=iso(clock.now()),
        release=release(),
        schema=facts["schema"],
        audit_head=facts["audit_head"],
        documents=facts["documents"],
        files=tuple(sorted(entries, key=lambda e: e.path)),
        sealed=_sealed_keys(layout, options),
        removed=removed,
        disposed=facts["disposed"],
        previous=previous.number if previous else None,
        problems=tuple(problems + work.problems),
        home=str(layout.home),
    )


def _facts(conn) -> dict[str, Any]:
    return {
        "schema": schema_version(conn),
        "audit_head": backup_repo.audit_head(conn),
        "documents": backup_repo.document_counts(conn),
        "disposed": tuple((d["id"], d["seq"]) for d in backup_repo.disposals_after(conn, 0)),
    }


def _sealed_keys(layout: HomeLayout, options: SnapshotOptions) -> tuple[SealedEntry, ...]:
    if not options.private_keys:
        return ()
    sealed = []
    for source in contents.private_key_sources(layout):
        data = Path(source.file).read_bytes()
        sealed.append(
            SealedEntry(
                source.path,
                os.stat(source.file).st_mode & 0o777,
                crypto.seal_secret(data, options.passphrase or "", source.path),
            )
        )
    return tuple(sealed)


def _with_problem(manifest: Manifest, problem: str) -> Manifest:
    return replace(manifest, problems=manifest.problems + (problem,))


class _Work:
    """Stores files into the destination, reusing what the previous snapshot already holds.

    Files are stored by a few threads at once: reading, hashing and writing release the
    interpreter, so a first backup keeps the disk busy (and both cores, at the backup's
    low priority) instead of waiting on one file at a time.
    """

    def __init__(self, destination: Destination, previous: Manifest | None) -> None:
        self.destination = destination
        self.previous = {entry.path: entry for entry in previous.files} if previous else {}
        self.done: dict[tuple[str, int, int], FileEntry] = {}
        self.problems: list[str] = []
        self.written = self.reused = self.read = 0

    def store_all(self, sources: list[Source]) -> tuple[list[FileEntry], list[Source]]:
        """Return the entries of the files stored, and the originals that vanished meanwhile."""
        entries, vanished = [], []
        # An unchanged file costs one stat here; only the files that must be read go to
        # the threads (handing them tens of thousands of stats costs more than the stats).
        outcomes: list[_Stored | OSError | None] = [self._unchanged(source) for source in sources]
        changed = [i for i, outcome in enumerate(outcomes) if outcome is None]
        with ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="backup") as pool:
            for i, stored in zip(changed, pool.map(self._attempt, [sources[i] for i in changed])):
                outcomes[i] = stored
        for source, outcome in zip(sources, outcomes):
            if isinstance(outcome, _Stored):
                self.written += outcome.written
                self.read += outcome.read
                self.reused += outcome.reused
                if outcome.problem:
                    self.problems.append(outcome.problem)
                if outcome.entry is not None:
                    entries.append(outcome.entry)
            elif isinstance(outcome, FileNotFoundError):
                if source.kind == "original":
                    vanished.append(source)
                # else a derivative redrawn, a set-aside file retried: not an error
            elif isinstance(outcome, OSError):
                self.problems.append(
                    f"{source.path} could not be read ({outcome.strerror}); it is not in this snapshot."
                )
        return entries, vanished

    def store_database(self, copy: Path) -> FileEntry:
        stored = chunks.put_file(self.destination, copy, chunks.DATABASE_CHUNK)
        self.written += stored.written
        self.read += 1
        return FileEntry(DATABASE_PATH, "database", stored.size, stored.sha256, time.time_ns(), 0o640, stored.chunks)

    def _unchanged(self, source: Source) -> "_Stored | OSError | None":
        """Return the entry of a file stored already (by the previous snapshot or this run), else None."""
        try:
            info = os.stat(source.file)
        except OSError as exc:
            return exc
        key = (source.path, info.st_size, info.st_mtime_ns)
        done = self.done.get(key)
        if done is not None:  # stored by an earlier attempt of this run
            return _Stored(done)
        earlier = self.previous.get(source.path)
        if (
            earlier is not None
            and (earlier.size, earlier.mtime_ns) == (info.st_size, info.st_mtime_ns)
            and source.expected_sha256 in (None, earlier.sha256)
        ):
            self.done[key] = earlier
            return _Stored(earlier, reused=1)
        return None

    def _attempt(self, source: Source) -> "_Stored | OSError":
        try:
            return self._store(source)
        except OSError as exc:
            return exc

    def _store(self, source: Source) -> "_Stored":
        info = os.stat(source.file)
        key = (source.path, info.st_size, info.st_mtime_ns)
        earlier = self.previous.get(source.path)
        stored = chunks.put_file(self.destination, source.file)
        if source.expected_sha256 and stored.sha256 != source.expected_sha256:
            entry, problem = self._altered(source, earlier)
            return _Stored(entry, stored.written, read=1, problem=problem)
        entry = FileEntry(
            source.path, source.kind, stored.size, stored.sha256, info.st_mtime_ns, info.st_mode & 0o777, stored.chunks
        )
        self.done[key] = entry  # one key per thread: a plain dict store is safe
        return _Stored(entry, stored.written, read=1)

    def _altered(self, source: Source, earlier: FileEntry | None) -> tuple[FileEntry | None, str]:
        what = f"{source.owner}: its original" if source.owner else source.path
        if earlier is not None and earlier.sha256 == source.expected_sha256:
            return earlier, (
                f"{what} was altered in the store; this snapshot keeps the earlier, correct copy. Run `archive verify`."
            )
        return None, f"{what} was altered in the store and is not in this snapshot; run `archive verify`."


@dataclass(frozen=True)
class _Stored:
    """What storing one file did (tallied by the thread that asked for it)."""

    entry: FileEntry | None
    written: int = 0
    read: int = 0
    reused: int = 0
    problem: str | None = None


@contextmanager
def _staging(layout: HomeLayout) -> Iterator[Path]:
    """A private folder for the database copy, beside the store; a killed run's folder goes next time."""
    parent = layout.store / "tmp"
    parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(parent)
    folder = Path(tempfile.mkdtemp(dir=parent, prefix="backup-"))
    with open(folder / "lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # tells a later run this folder is in use
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _remove_abandoned(parent: Path) -> None:
    # A database copy holds page texts: one left by a killed run must not linger.
    for folder in parent.glob("backup-*"):
        try:
            with open(folder / "lock", "rb") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # another backup is using it
        except OSError:
            pass
        shutil.rmtree(folder, ignore_errors=True)
