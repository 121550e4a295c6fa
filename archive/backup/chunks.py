"""Files as content-addressed chunks: put one into a destination, get one back out.

A file is cut into fixed-size chunks, each stored once under its SHA-256, so what a
destination already holds is never written again — an original kept by a hundred
snapshots takes its space once, and an unchanged stretch of the database is shared
by consecutive snapshots. A file no larger than one chunk is stored under its own
hash: on a plain destination an original lies there byte for byte under the same
name as in the archive's store.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.backup.destination import Destination
from archive.backup.manifest import FileEntry
from archive.errors import IntegrityFailure

FILE_CHUNK = 4 * 1024 * 1024
# The database changes here and there with every filing: its indexes on hashes take
# new rows all over the file. At 10,000 documents, 100 filings change about 300 of its
# 15,000 pages, which touch 50 of 60 chunks of 1 MiB but 170 of 950 of 64 KiB: small
# chunks keep most of it shared between snapshots (older snapshots' chunks stay readable).
DATABASE_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    chunks: tuple[str, ...]
    written: int  # bytes this call wrote to the destination (0: all chunks were there)


def put_file(destination: Destination, path: Path | str, chunk_size: int = FILE_CHUNK) -> Stored:
    """Store a file's chunks that the destination lacks; return its hash, size and chunk ids.

    Each byte is read once, into a buffer the thread reuses (a fresh one per file would
    cost the kernel a page fault per page): hashed, then written from the same buffer.
    Raises OSError (FileNotFoundError when it vanished) as reading the file does.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        buffer = _buffer(chunk_size)
        data = _read_into(fd, buffer)
        if len(data) < chunk_size:  # the whole file in one chunk: its hash is the file's
            if not data:
                return Stored(hashlib.sha256(b"").hexdigest(), 0, (), 0)
            chunk_id, written = _put_chunk(destination, data)
            return Stored(chunk_id, len(data), (chunk_id,), written)
        whole, chunks, size, written = hashlib.sha256(), [], 0, 0
        while data:
            whole.update(data)
            chunk_id, wrote = _put_chunk(destination, data)
            chunks.append(chunk_id)
            size += len(data)
            written += wrote
            data = _read_into(fd, buffer)
    finally:
        os.close(fd)
    return Stored(whole.hexdigest(), size, tuple(chunks), written)


_buffers = threading.local()


def _buffer(size: int) -> memoryview:
    """Return this thread's read buffer, ``size`` bytes long."""
    buffer = getattr(_buffers, "buffer", None)
    if buffer is None or len(buffer) < size:
        buffer = _buffers.buffer = bytearray(size)
    return memoryview(buffer)[:size]


def _read_into(fd: int, buffer: memoryview) -> memoryview:
    """Fill ``buffer`` with the file's next bytes (fewer only at its end); return the part filled."""
    got = 0
    while got < len(buffer):
        count = os.readv(fd, [buffer[got:]])
        if not count:
            break
        got += count
    return buffer[:got]


def _put_chunk(destination: Destination, data: bytes | memoryview) -> tuple[str, int]:
    chunk_id = hashlib.sha256(data).hexdigest()
    if destination.has_object(chunk_id):
        return chunk_id, 0
    return chunk_id, destination.write_object(chunk_id, data)


def read_chunks(destination: Destination, entry: FileEntry) -> Iterator[bytes]:
    """Yield a file's chunks, each checked against its hash; raise IntegrityFailure otherwise."""
    for chunk_id in entry.chunks:
        yield read_chunk(destination, chunk_id)


def read_chunk(destination: Destination, chunk_id: str) -> bytes:
    """Return one chunk's bytes; raise IntegrityFailure when missing, altered or not what its id says."""
    data = destination.read_object(chunk_id)
    if hashlib.sha256(data).hexdigest() != chunk_id:
        raise IntegrityFailure(
            "backup.chunk_altered", "chunk {chunk}… no longer matches its SHA-256", chunk=chunk_id[:12]
        )
    return data


def check_file(destination: Destination, entry: FileEntry) -> None:
    """Read a file back from the destination; raise IntegrityFailure unless it is exactly as listed."""
    _check_whole(entry, read_chunks(destination, entry), lambda data: None)


def restore_file(destination: Destination, entry: FileEntry, target: Path) -> None:
    """Write a file from the destination to ``target`` (checked, then renamed into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".restore-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            _check_whole(entry, read_chunks(destination, entry), out.write)
        # The owner's bits only: a restored home is the archive's alone, whatever the old machine allowed.
        os.chmod(name, entry.mode & 0o700)
        os.utime(name, ns=(entry.mtime_ns, entry.mtime_ns))
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _check_whole(entry: FileEntry, pieces: Iterator[bytes], use: Callable[[bytes], object]) -> None:
    """Pass each chunk to ``use``; raise IntegrityFailure unless together they are the file listed."""
    # Each chunk is checked against its own hash as it is read; a file of one chunk is
    # named by that same hash, so only a longer one needs hashing again as a whole.
    whole = hashlib.sha256() if entry.chunks != (entry.sha256,) else None
    size = 0
    for data in pieces:
        use(data)
        if whole is not None:
            whole.update(data)
        size += len(data)
    digest = whole.hexdigest() if whole is not None else entry.sha256
    if size != entry.size or digest != entry.sha256:
        raise IntegrityFailure("backup.chunks_incomplete", "its chunks do not add up to the file that was backed up")
