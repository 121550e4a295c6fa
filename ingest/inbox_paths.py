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


def folder_hints(relative: PurePosixPath, folder_types: dict[str, str]) -> tuple[str | None, str | None]:
    """Return (client id, document type) set by the folders a file sits in.

    ``inbox/<type folder>/…`` sets the type (the folder names are configured, any
    case); the first other folder is a client number: ``inbox/K-10023/facturen/x.pdf``.
    """
    types = {name.lower(): value for name, value in folder_types.items()}
    client_id: str | None = None
    document_type: str | None = None
    for folder in relative.parts[:-1]:
        if folder.lower() in types:
            document_type = document_type or types[folder.lower()]
        elif client_id is None:
            client_id = folder
    return client_id, document_type


# Room left in a file name for " (NN)" and the ".error.json" / ".error.txt" of the notes beside it.
_NOTES = (".error.txt", ".error.json")
_NAME_MAX_BYTES = 255 - max(map(len, _NOTES)) - 8


def free_name(folder: Path, name: str) -> Path:
    """Return ``folder/name``, or ``folder/stem (2).suffix`` … when that name (or its note) is taken.

    Very long names are shortened so that the note's name still fits the file system.
    """
    stem, suffix = _split_name(name)
    while len((stem + suffix).encode("utf-8", "surrogateescape")) > _NAME_MAX_BYTES and stem:
        stem = stem[:-1]
    candidate = folder / (stem + suffix)
    number = 1
    while os.path.lexists(candidate) or any(os.path.lexists(folder / (candidate.name + note)) for note in _NOTES):
        number += 1
        candidate = folder / f"{stem} ({number}){suffix}"
    return candidate


def _split_name(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    if dot <= 0 or len(name) - dot > 10:
        return name, ""
    return name[:dot], name[dot:]
