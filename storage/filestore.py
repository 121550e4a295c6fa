"""Content-addressed file store: originals written once and made read-only.

Originals live at ``originals/ab/cd/<sha256>``; derivatives (searchable PDF, thumbnail)
at ``derivatives/ab/cd/<sha256>.<kind>``, rebuildable from the original.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from storage.errors import StorageError, StoredFileMissing

_CHUNK = 1024 * 1024
_READ_ONLY = stat.S_IRUSR  # kept originals: the archive's user reads them, nobody writes
_PRIVATE = stat.S_IRUSR | stat.S_IWUSR


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path


def hash_file(path: Path) -> tuple[str, int]:
    """Return the sha256 hex digest and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class FileStore:
    """Originals by hash, written atomically; derivatives beside them."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._originals = str(self.root / "originals")
        (self.root / "originals").mkdir(parents=True, exist_ok=True)
        (self.root / "derivatives").mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """Return where the original with this hash lives."""
        return self.root / "originals" / sha256[:2] / sha256[2:4] / sha256

    def derivative_path(self, sha256: str, kind: str) -> Path:
        """Return where a derivative (``pdf``, ``thumb.png``…) of an original lives."""
        return self.root / "derivatives" / sha256[:2] / sha256[2:4] / f"{sha256}.{kind}"

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put(self, source: Path, expected_sha256: str | None = None) -> StoredFile:
        """Copy ``source`` into the store under its hash; return what was stored.

        Idempotent: storing bytes already present keeps the existing file.
        Raises StorageError when the copy's hash differs from the source's.
        """
        temp, sha256, size = self._copy_to_temp(source)
        if expected_sha256 and expected_sha256 != sha256:
            temp.unlink(missing_ok=True)
            raise StorageError(
                "store.changed_while_storing", "The file changed while it was being stored; it will be tried again."
            )
        target = self.path_for(sha256)
        if target.exists():
            temp.unlink(missing_ok=True)
        else:
            self._move_into_place(temp, target)
        return StoredFile(sha256=sha256, size=size, path=target)

    def put_derivative(self, sha256: str, kind: str, source: Path) -> Path:
        """Store a derivative for an original, replacing an older one; return its path."""
        temp, _sha256, _size = self._copy_to_temp(source)
        target = self.derivative_path(sha256, kind)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)
        return target

    def move_derivative(self, sha256: str, kind: str, source: Path, durable: bool = True) -> StoredFile:
        """Move a derivative made in this store's temp folder into place (a copy from elsewhere); return it hashed.

        ``durable=False`` leaves its bytes to the system's own flushing: for a derivative
        drawn again in milliseconds (the thumbnail), whose loss or tear in a power cut
        `archive verify` finds by its recorded hash and rebuilds. ``sha256`` of the result
        is the derivative's own hash.
        """
        target = self.derivative_path(sha256, kind)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(source, _PRIVATE)  # as a copy made here would be
        if durable:
            with open(source, "rb") as handle:
                os.fsync(handle.fileno())
        try:
            os.replace(source, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            os.replace(self._copy_to_temp(source)[0], target)  # made on another file system
        digest, size = hash_file(target)
        return StoredFile(sha256=digest, size=size, path=target)

    def open_original(self, sha256: str):
        """Open the stored original for reading; raise StoredFileMissing when absent."""
        try:
            return open(self.path_for(sha256), "rb")
        except FileNotFoundError as exc:
            raise _missing(sha256) from exc

    def existing_original(self, sha256: str) -> Path:
        """Return the path of a stored original that is there; raise StoredFileMissing when it is not."""
        path = self.path_for(sha256)
        if not path.is_file():
            raise _missing(sha256)
        return path

    def destroy(self, sha256: str) -> None:
        """Remove an original and all its derivatives (disposition only)."""
        original = self.path_for(sha256)
        if original.exists():
            original.chmod(stat.S_IRUSR | stat.S_IWUSR)
            original.unlink()
        folder = self.derivative_path(sha256, "x").parent
        for derivative in folder.glob(f"{sha256}.*"):
            derivative.unlink()

    def iter_originals(self):
        """Yield the hash of every original present in the store."""
        for path in (self.root / "originals").glob("*/*/*"):
            yield path.name

    def iter_derivatives(self):
        """Yield (hash of the original, path as text) of every derivative present in the store."""
        # Plain listings of the three levels, paths as text: a backup lists every
        # derivative, and a glob (or Path objects) of tens of thousands of files costs
        # it more than the listings themselves.
        root = str(self.root / "derivatives")
        for first in _names(root):
            for second in _names(f"{root}/{first}"):
                folder = f"{root}/{first}/{second}"
                for name in _names(folder):
                    yield name.split(".", 1)[0], f"{folder}/{name}"

    def original_file(self, sha256: str) -> str:
        """Return where the original with this hash lives, as text (``path_for`` without a Path object)."""
        return f"{self._originals}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def temp_dir(self) -> Path:
        """Return a fresh private work folder inside the store (same file system)."""
        return Path(tempfile.mkdtemp(dir=self._own_temp()))

    def clean_temp(self) -> int:
        """Remove what processes that are gone (a kill -9, a power cut) left in the temp folder; return the count.

        Each process writes under its own folder named after it, so the work of another
        archive process running now on the same home is left alone.
        """
        removed = 0
        for entry in (self.root / "tmp").iterdir():
            if entry.name == _process_folder_name():
                continue
            if entry.is_dir() and not entry.is_symlink() and not _owner_alive(entry.name):
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
            elif entry.is_file() and entry.stat().st_mtime < time.time() - _LOOSE_TEMP_SECONDS:
                entry.unlink(missing_ok=True)  # left by a release before per-process folders
                removed += 1
        return removed

    def release_temp(self) -> None:
        """Remove this process's temp folder when it is empty (at a clean stop)."""
        try:
            (self.root / "tmp" / _process_folder_name()).rmdir()
        except OSError:
            pass

    def _own_temp(self) -> Path:
        folder = self.root / "tmp" / _process_folder_name()
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    def _copy_to_temp(self, source: Path) -> tuple[Path, str, int]:
        """A durable copy of `source` in this process's temp folder, with the sha256 and size of what was written."""
        fd, name = tempfile.mkstemp(dir=self._own_temp(), suffix=".part")
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                # Hashed as written: reading the copy back would hash the same bytes from the page cache.
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            Path(name).unlink(missing_ok=True)
            raise StorageError(
                "store.copy_failed",
                "The file could not be copied into the archive store: {strerror}.",
                strerror=exc.strerror,
            ) from exc
        return Path(name), digest.hexdigest(), size

    def _move_into_place(self, temp: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(temp, _READ_ONLY)
        os.replace(temp, target)
        fsync_dir(target.parent)


_LOOSE_TEMP_SECONDS = 3600
_PROCESS_PREFIX = "p-"


def _process_folder_name() -> str:
    pid = os.getpid()  # looked up each time: a forked child is a process of its own
    name = _OWN_FOLDER_NAMES.get(pid)
    if name is None:
        # A process's start time never changes; reading it costs more than the rest of a work folder.
        name = _OWN_FOLDER_NAMES[pid] = f"{_PROCESS_PREFIX}{pid}-{_start_time(pid)}"
    return name


_OWN_FOLDER_NAMES: dict[int, str] = {}


def _start_time(pid: int) -> str:
    try:
        return str(int(psutil.Process(pid).create_time() * 100))
    except psutil.Error:
        return "gone"


def _owner_alive(name: str) -> bool:
    """True when the folder belongs to a process that runs now (on this machine)."""
    if not name.startswith(_PROCESS_PREFIX):
        return False
    try:
        pid_text, started = name[len(_PROCESS_PREFIX) :].split("-", 1)
        return _start_time(int(pid_text)) == started
    except ValueError:
        return False


def fsync_dir(folder: Path) -> None:
    """Make the entries of a folder (a rename into it) durable."""
    # The rename is only durable once the directory entry itself is on disk.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _missing(sha256: str) -> StoredFileMissing:
    return StoredFileMissing(
        "store.original_missing",
        "The stored original {sha256}… is missing from the store; `archive verify` lists every missing file.",
        sha256=sha256[:12],
    )


def _names(folder: str) -> list[str]:
    """Return the names in a folder, leaving out dot names as a glob does (none when it is no folder)."""
    try:
        return [name for name in os.listdir(folder) if not name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []
