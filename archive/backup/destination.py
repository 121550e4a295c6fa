"""A backup destination on disk: its descriptor, chunks, snapshot files, lock and leftovers.

    DEST/backup.json             what this is; the signing public key; how it is encrypted
    DEST/objects/ab/<name>       chunks, written once: named by their SHA-256 (encrypted:
                                 by a keyed hash of it), never changed afterwards
    DEST/snapshots/00000007.snapshot   one file per snapshot: signature + manifest
    DEST/tmp/                    files being written; what a killed run left is removed next time
    DEST/lock                    one writer at a time (flock)

Every file is written to ``tmp/`` and renamed into place, so a half-written chunk or
snapshot never carries a final name; a snapshot exists once its file is renamed in,
and that happens only after every chunk it lists is on disk.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive.backup import crypto
from archive.errors import Conflict, IntegrityFailure, InvalidInput, NotFound
from storage.filestore import fsync_dir

log = logging.getLogger(__name__)

DESCRIPTOR = "backup.json"
_KIND = "front-office-archive-backup"
_VERSION = 1

PassphraseSource = Callable[[], str]
# Up to this many new chunks are flushed one by one; more at once with one syncfs.
_ONE_BY_ONE = 256
# Chunks unlinked at once when pruning.
_UNLINKERS = 8


class Destination:
    """One backup destination folder, opened (and unlocked, when it is encrypted)."""

    def __init__(self, root: Path, descriptor: dict[str, Any], keys: crypto.DestinationKeys | None) -> None:
        self.root = Path(root)
        self.descriptor = descriptor
        self._keys = keys
        self._written: list[Path] = []
        self._objects = str(self.root / "objects")
        self._folders: set[str] = set()  # object folders known to exist

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, passphrase: PassphraseSource | None = None) -> "Destination":
        """Open an existing destination; raise NotFound when ``root`` holds no backups."""
        descriptor = _read_descriptor(Path(root))
        if descriptor is None:
            raise NotFound("backup.none_there", "There are no backups in {folder}.", folder=str(root))
        return cls(Path(root), descriptor, _unlock(descriptor, passphrase, root))

    @classmethod
    def open_or_create(
        cls, root: Path, public_key: str, created_at: str, encrypt: bool, passphrase: PassphraseSource | None = None
    ) -> "Destination":
        """Open the destination, or make a new one in an absent or empty folder.

        Encryption is chosen when a destination is made; asking for it on an existing
        plain destination is refused rather than silently ignored.
        """
        root = Path(root)
        descriptor = _read_descriptor(root)
        if descriptor is not None:
            if encrypt and descriptor.get("encryption") is None:
                raise InvalidInput(
                    "backup.unencrypted_destination",
                    "{folder} holds unencrypted backups; encrypted ones need a new destination.",
                    folder=str(root),
                )
            return cls(root, descriptor, _unlock(descriptor, passphrase, root))
        if root.exists() and any(root.iterdir()):
            raise Conflict(
                "backup.destination_not_empty",
                "{folder} is not empty and holds no backups; choose an empty folder (or a new one).",
                folder=str(root),
            )
        section, keys = crypto.new_encryption(_ask(passphrase, root)) if encrypt else (None, None)
        descriptor = {
            "kind": _KIND,
            "version": _VERSION,
            "created_at": created_at,
            "public_key": public_key,
            "public_keys": [public_key] if public_key else [],
            "encryption": section,
        }
        for folder in ("objects", "snapshots", "tmp"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        made = cls(root, descriptor, keys)
        made._write_atomic(root / DESCRIPTOR, json.dumps(descriptor, indent=2).encode() + b"\n")
        return made

    @property
    def encrypted(self) -> bool:
        return self._keys is not None

    @property
    def public_keys(self) -> frozenset[str]:
        """The archive's signing keys its snapshots here are signed with: the first, and any it moved on to."""
        keys = self.descriptor.get("public_keys") or [self.descriptor.get("public_key", "")]
        return frozenset(str(key) for key in keys if key)

    def claim(self, current: str, ring: frozenset[str]) -> None:
        """Check these are this archive's backups before adding to them; raise Conflict when not.

        They are when a key the archive trusts signed them (``ring``: its current key
        and the ones it retired). A home restored without its private key signs with a
        new key, and still holds the old one as retired: the destination learns the new one.
        """
        known = self.public_keys
        if current in known or not current:
            return
        if known and not known & ring:
            raise Conflict(
                "backup.other_archive",
                "{folder} holds the backups of another archive (signed by key {key}…); choose another destination.",
                folder=str(self.root),
                key=min(known)[:16],
            )
        self.descriptor = {**self.descriptor, "public_keys": sorted(known | {current})}
        self._write_atomic(self.root / DESCRIPTOR, json.dumps(self.descriptor, indent=2).encode() + b"\n")

    @contextmanager
    def lock(self, shared: bool = False) -> Iterator[None]:
        """Hold the destination's lock (shared: readers); raise Conflict when a writer has it."""
        try:
            handle = open(self.root / "lock", "a+b")
        except OSError:
            if not shared:
                raise
            yield  # read-only media: nobody writes there meanwhile
            return
        with handle:
            try:
                fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise Conflict(
                    "backup.busy",
                    "A backup is being written to {folder} right now; try again when it is done.",
                    folder=str(self.root),
                ) from exc
            except OSError as exc:  # a share without locks: go on, one run at a time is then the admin's care
                log.warning("The destination %s cannot be locked (%s).", self.root, exc.strerror)
            yield  # closing the file releases the lock

    # -- chunks --------------------------------------------------------------------

    def object_path(self, chunk_id: str) -> Path:
        return Path(self._object_file(chunk_id))

    def _object_file(self, chunk_id: str) -> str:
        # Plain strings: this runs for every file of a backup, tens of thousands of times.
        name = self._keys.object_name(chunk_id) if self._keys else chunk_id
        return f"{self._objects}/{name[:2]}/{name}"

    def has_object(self, chunk_id: str) -> bool:
        return os.path.exists(self._object_file(chunk_id))

    def write_object(self, chunk_id: str, data: bytes | memoryview) -> int:
        """Store one chunk under its id (written in ``tmp/``, renamed into place); return the bytes written.

        Safe from several threads at once. The chunk is not flushed here (``flush`` does,
        before a snapshot lists it), but the disk is asked to start writing it now, so the
        flush at the end finds little left to do and other programs' own flushes meanwhile
        do not queue behind gigabytes of backup.
        """
        blob = crypto.seal(self._keys.data, bytes(data), f"chunk {chunk_id}") if self._keys else data
        target = self._object_file(chunk_id)
        folder = target.rsplit("/", 1)[0]
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        temp = f"{self.root}/tmp/{target.rsplit('/', 1)[1]}.{threading.get_native_id()}.part"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                _write_all(fd, blob)
                _start_writeback(fd)
            finally:
                os.close(fd)
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self._written.append(Path(target))
        return len(blob)

    def read_object(self, chunk_id: str) -> bytes:
        """Return a chunk's bytes; raise IntegrityFailure when it is missing, altered or damaged."""
        path = self.object_path(chunk_id)
        try:
            blob = path.read_bytes()
        except FileNotFoundError as exc:
            raise IntegrityFailure("backup.chunk_missing", "chunk {chunk}… is missing", chunk=chunk_id[:12]) from exc
        return crypto.unseal(self._keys.data, blob, f"chunk {chunk_id}") if self._keys else blob

    def stored_size(self, size: int) -> int:
        """Return how many bytes a chunk of ``size`` takes on this destination."""
        return size + crypto.SEAL_OVERHEAD if self._keys else size

    def object_files(self) -> Iterator[Path]:
        """Yield every chunk file present."""
        for folder in _entries(self._objects):
            if folder.is_dir(follow_symlinks=False):
                for entry in _entries(folder.path):
                    yield Path(entry.path)

    def remove_unneeded(self, needed: Iterable[str]) -> tuple[int, int]:
        """Remove every chunk not among ``needed``; return (files, bytes) removed."""
        keep = {self._keys.object_name(chunk_id) for chunk_id in needed} if self._keys else set(needed)
        doomed, size = [], 0
        for folder in _entries(self._objects):
            if not folder.is_dir(follow_symlinks=False):
                continue
            for entry in _entries(folder.path):
                if entry.name not in keep:
                    size += entry.stat(follow_symlinks=False).st_size
                    doomed.append(entry.path)
        # One unlink waits a few milliseconds on the file system's journal; side by side
        # they share its commits, so pruning a day's changed chunks takes no seconds.
        with ThreadPoolExecutor(max_workers=_UNLINKERS) as pool:
            for _ in pool.map(_unlink, doomed):
                pass
        return len(doomed), size

    def flush(self) -> None:
        """Make every chunk written so far durable (their data, then their folders)."""
        if len(self._written) > _ONE_BY_ONE and sync_filesystem(self.root):
            self._written.clear()
            return
        folders = set()
        for path in self._written:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            folders.add(path.parent)
        for folder in folders:
            fsync_dir(folder)
        self._written.clear()

    # -- snapshots -----------------------------------------------------------------

    def snapshot_path(self, number: int) -> Path:
        return self.root / "snapshots" / f"{number:08d}.snapshot"

    def snapshot_numbers(self) -> list[int]:
        """Return the numbers of the snapshots present, oldest first."""
        found = []
        for path in (self.root / "snapshots").glob("*.snapshot"):
            if path.stem.isdigit():
                found.append(int(path.stem))
        return sorted(found)

    def read_snapshot(self, number: int) -> bytes:
        """Return a snapshot file's (decrypted) bytes; raise IntegrityFailure when it cannot be read."""
        try:
            blob = self.snapshot_path(number).read_bytes()
        except OSError as exc:
            raise IntegrityFailure(
                "backup.snapshot_unreadable",
                "Snapshot {number} cannot be read ({reason}).",
                number=number,
                reason=exc.strerror or str(exc),
            ) from exc
        return crypto.unseal(self._keys.data, blob, f"snapshot {number}") if self._keys else blob

    def write_snapshot(self, number: int, content: bytes) -> None:
        """Commit a snapshot: its chunks are flushed first, then its file is renamed into place."""
        self.flush()
        blob = crypto.seal(self._keys.data, content, f"snapshot {number}") if self._keys else content
        self._write_atomic(self.snapshot_path(number), blob)

    def remove_snapshot(self, number: int) -> None:
        self.snapshot_path(number).unlink(missing_ok=True)
        fsync_dir(self.root / "snapshots")

    def clean_leftovers(self) -> int:
        """Remove what an interrupted run left in ``tmp/``; return how many files."""
        count = 0
        for path in (self.root / "tmp").glob("*"):
            path.unlink(missing_ok=True)
            count += 1
        return count

    # -- writing -------------------------------------------------------------------

    def _write_atomic(self, target: Path, data: bytes, sync: bool = True) -> None:
        fd, name = tempfile.mkstemp(
            dir=self.root / "tmp" if (self.root / "tmp").is_dir() else self.root, suffix=".part"
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if sync:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(name, target)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        if sync:
            fsync_dir(target.parent)
        else:
            self._written.append(target)


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as found:
            return list(found)
    except FileNotFoundError:
        return []


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _start_writeback(fd: int) -> None:
    """Ask the kernel to start writing a file's dirty pages to disk now, without waiting.

    POSIX_FADV_DONTNEED does that on Linux (and drops the pages once written: a
    backup's chunks are not read again soon). Elsewhere it is a hint that may do nothing.
    """
    if _FADVISE:
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


_FADVISE = hasattr(os, "posix_fadvise")


def sync_filesystem(folder: Path) -> bool:
    """Flush everything written to the file system holding ``folder`` (Linux syncfs); False where unknown.

    One call instead of thousands of fsyncs, each of which waits for the disk: what
    `sync -f` does after a copy.
    """
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return syncfs(fd) == 0
    finally:
        os.close(fd)


def _read_descriptor(root: Path) -> dict[str, Any] | None:
    try:
        descriptor = json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise IntegrityFailure(
            "backup.descriptor_unreadable",
            "{file} cannot be read; this destination is damaged.",
            file=str(root / DESCRIPTOR),
        ) from exc
    if descriptor.get("kind") != _KIND:
        raise InvalidInput(
            "backup.not_a_destination",
            "{folder} is not a backup destination of this archive software.",
            folder=str(root),
        )
    if descriptor.get("version") != _VERSION:
        raise InvalidInput(
            "backup.destination_format",
            "{folder} was written by a release this one cannot read (format {format}).",
            folder=str(root),
            format=str(descriptor.get("version")),
        )
    return descriptor


def _unlock(
    descriptor: dict[str, Any], passphrase: PassphraseSource | None, root: Path
) -> crypto.DestinationKeys | None:
    section = descriptor.get("encryption")
    if section is None:
        return None
    return crypto.unlock(section, _ask(passphrase, root))


def _ask(passphrase: PassphraseSource | None, root: Path) -> str:
    if passphrase is None:
        raise InvalidInput(
            "backup.passphrase_needed",
            "The backups in {folder} are encrypted: a passphrase is needed.",
            folder=str(root),
        )
    return passphrase()
