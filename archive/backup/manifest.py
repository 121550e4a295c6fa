"""The manifest of a snapshot: every file with its SHA-256, size and chunks, and what the
snapshot's database says about the archive (pure: values in, bytes out)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from archive.errors import IntegrityFailure

FORMAT = 1
DATABASE_PATH = "archive.sqlite3"


@dataclass(frozen=True)
class FileEntry:
    """One file of a snapshot, by its path relative to the home."""

    path: str
    kind: str  # database | original | derivative | certificate | checkpoint | public_key | config | set_aside
    size: int
    sha256: str
    mtime_ns: int
    mode: int
    chunks: tuple[str, ...]  # SHA-256 of each chunk in order; none for an empty file

    def to_json(self) -> dict[str, Any]:
        data = {
            "path": self.path,
            "kind": self.kind,
            "size": self.size,
            "sha256": self.sha256,
            "mtime_ns": self.mtime_ns,
            "mode": self.mode,
        }
        # Most files are one chunk, whose hash is the file's: say so only when it differs.
        if self.chunks != (self.sha256,):
            data["chunks"] = list(self.chunks)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FileEntry":
        chunks = tuple(data["chunks"]) if "chunks" in data else (data["sha256"],)
        return cls(
            data["path"],
            data["kind"],
            int(data["size"]),
            data["sha256"],
            int(data["mtime_ns"]),
            int(data["mode"]),
            chunks,
        )


@dataclass(frozen=True)
class SealedEntry:
    """A private key file, sealed with a key derived from a passphrase."""

    path: str
    mode: int
    sealed: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "mode": self.mode, "sealed": self.sealed}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SealedEntry":
        return cls(data["path"], int(data["mode"]), dict(data["sealed"]))


@dataclass(frozen=True)
class Manifest:
    """What one numbered snapshot holds."""

    number: int
    created_at: str  # when its database copy was taken
    finished_at: str
    release: str
    schema: int
    audit_head: dict[str, Any]  # seq, hash, entries of the chain in its database
    documents: dict[str, int]  # documents per state
    files: tuple[FileEntry, ...]
    sealed: tuple[SealedEntry, ...] = ()
    removed: tuple[str, ...] = ()  # paths the previous snapshot held and this one does not
    disposed: tuple[tuple[int, int], ...] = ()  # (document id, audit seq) of every disposal in its database
    previous: int | None = None
    problems: tuple[str, ...] = ()
    home: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        """Return the manifest as canonical JSON (what is signed)."""
        data = {
            "format": FORMAT,
            "number": self.number,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "release": self.release,
            "schema": self.schema,
            "audit_head": self.audit_head,
            "documents": self.documents,
            "home": self.home,
            "files": [entry.to_json() for entry in self.files],
            "sealed": [entry.to_json() for entry in self.sealed],
            "removed": list(self.removed),
            "disposed": [list(pair) for pair in self.disposed],
            "previous": self.previous,
            "problems": list(self.problems),
            "extra": self.extra,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes, where: str) -> "Manifest":
        """Return the manifest in ``raw``; raise IntegrityFailure when it cannot be read."""
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise IntegrityFailure(
                    "backup.manifest_format",
                    "{where} has manifest format {format}, which this release cannot read.",
                    where=where,
                    format=str(data.get("format")),
                )
            return cls(
                number=int(data["number"]),
                created_at=data["created_at"],
                finished_at=data["finished_at"],
                release=data["release"],
                schema=int(data["schema"]),
                audit_head=dict(data["audit_head"]),
                documents=dict(data["documents"]),
                files=tuple(FileEntry.from_json(f) for f in data["files"]),
                sealed=tuple(SealedEntry.from_json(s) for s in data["sealed"]),
                removed=tuple(data["removed"]),
                disposed=tuple((int(a), int(b)) for a, b in data["disposed"]),
                previous=data["previous"],
                problems=tuple(data["problems"]),
                home=data.get("home", ""),
                extra=dict(data.get("extra", {})),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise IntegrityFailure(
                "backup.manifest_unreadable",
                "{where}: its manifest cannot be read ({reason}).",
                where=where,
                reason=str(exc),
            ) from exc

    def chunk_ids(self) -> set[str]:
        """Return every chunk this snapshot needs."""
        return {chunk for entry in self.files for chunk in entry.chunks}

    def entry(self, path: str) -> FileEntry | None:
        return next((entry for entry in self.files if entry.path == path), None)

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.files)

    def summary(self) -> dict[str, Any]:
        """Return what `archive backup list` shows of this snapshot."""
        return {
            "number": self.number,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "files": len(self.files),
            "bytes": self.size,
            "documents": self.documents,
            "audit_head_seq": self.audit_head.get("seq"),
            "schema": self.schema,
            "release": self.release,
            "private_keys": bool(self.sealed),
            "problems": list(self.problems),
        }
