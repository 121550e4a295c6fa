"""Which paths under the inbox are candidates, and staying inside the inbox.

Everything here looks at a path with ``lstat`` and never follows a symbolic link:
a link dropped in the inbox could otherwise make the archive read (and, after
filing, delete) a file anywhere on the machine.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

FAILED_FOLDER = "failed"

# Names that scanners, browsers, FTP servers and Office use while a file is still
# being written; the finished file appears under its real name by a rename.
_TEMP_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".filepart", ".swp")
_TEMP_PREFIXES = ("~$", ".", "~lock.")


class EntryKind(Enum):
    """What an inbox entry is, seen without following links."""

    FILE = "file"
    FOLDER = "folder"
    LINK = "link"
    OTHER = "other"  # fifo, socket, device: opening one could block or read forever
    MISSING = "missing"


@dataclass(frozen=True)
class InboxEntry:
    """One candidate under the inbox: its absolute path, relative path and kind."""

    path: Path
    relative: PurePosixPath
    kind: EntryKind


def is_temporary_name(name: str) -> bool:
    """Return True when ``name`` is one used while writing (ignored until renamed)."""
    lowered = name.lower()
    return lowered.startswith(_TEMP_PREFIXES) or lowered.endswith(_TEMP_SUFFIXES)


def relative_to_inbox(inbox: Path, path: Path) -> PurePosixPath | None:
    """Return ``path`` relative to the inbox, or None when it is outside, ignored or in failed/."""
    candidate = Path(os.path.abspath(path))
    root = Path(os.path.abspath(inbox))
    if candidate == root or not candidate.is_relative_to(root):
        return None
    relative = PurePosixPath(candidate.relative_to(root).as_posix())
    if relative.parts[0] == FAILED_FOLDER:
        return None
    if any(is_temporary_name(part) for part in relative.parts):
        return None
    return relative


def entry_kind(path: Path) -> EntryKind:
    """Return what ``path`` is, using lstat so a link is reported as a link."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return EntryKind.MISSING
    except NotADirectoryError:
        return EntryKind.MISSING
    if stat.S_ISLNK(mode):
        return EntryKind.LINK
    if stat.S_ISREG(mode):
        return EntryKind.FILE
    if stat.S_ISDIR(mode):
        return EntryKind.FOLDER
    return EntryKind.OTHER


def inside_inbox(inbox: Path, path: Path) -> bool:
    """Return True when no folder between the inbox and ``path`` is a link leading elsewhere."""
    root = Path(os.path.abspath(inbox))
    candidate = Path(os.path.abspath(path))
    if not candidate.is_relative_to(root):
        return False
    current = root
    for part in candidate.relative_to(root).parts[:-1]:
        current = current / part
        if entry_kind(current) is not EntryKind.FOLDER:
            return False
    return True


def scan_inbox(inbox: Path) -> list[InboxEntry]:
    """Return every candidate (files, links, odd entries) under the inbox, oldest folders first.

    Folders are walked, never followed through links; ``failed/`` and temporary
    names are skipped.
    """
    found: list[InboxEntry] = []
    stack = [Path(inbox)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue
        for entry in entries:
            relative = relative_to_inbox(inbox, Path(entry.path))
            if relative is None:
                continue
            kind = entry_kind(Path(entry.path))
            if kind is EntryKind.FOLDER:
                stack.append(Path(entry.path))
            elif kind is not EntryKind.MISSING:
                found.append(InboxEntry(Path(entry.path), relative, kind))
    return found
