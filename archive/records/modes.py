"""Least privilege on disk: the home is the archive user's alone.

The database holds texts, BSNs, TOTP secrets and password hashes; the log and the keys
are no less private. New files are made private by a umask at start-up; an existing
home (or one restored or copied with wider modes) has its folder and its top-level
files tightened when the archive opens it, and `archive verify` names whatever else
others could read. The inbox is left alone: other accounts (a scanner share) may
drop files there.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from archive.errors import Message

PRIVATE_UMASK = 0o077
# Besides the home folder itself: what opening the archive tightens (cheap: a handful of paths).
_TIGHTENED = (
    "archive.sqlite3",
    "archive.sqlite3-wal",
    "archive.sqlite3-shm",
    "logs",
    "logs/archive.log",
    "keys",
    "checkpoints",
    "store",
    "index",
    "certificates",
)
# How many loose paths are named one by one; the rest are counted.
_NAMED = 10


def make_private(home: Path) -> None:
    """Set the process umask so new files are the owner's only, and tighten the home's own modes."""
    os.umask(PRIVATE_UMASK)
    for path in (home, *(home / name for name in _TIGHTENED)):
        try:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if not stat.S_ISLNK(path.lstat().st_mode) and mode & 0o077:
                path.chmod(mode & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError:  # not ours to change: `archive verify` names it
            continue


def loose_paths(home: Path, inbox: Path) -> list[tuple[Path, int, bool]]:
    """Return (path, mode, is_folder) of everything in the home others than its owner may use."""
    found = []
    inbox = inbox.resolve()
    for folder, folders, files in os.walk(home):
        here = Path(folder)
        if here.resolve() == inbox:
            folders[:] = []
            continue
        try:
            mode = stat.S_IMODE(here.lstat().st_mode)
        except FileNotFoundError:  # a temporary folder (Whoosh's) removed while we looked
            folders[:] = []
            continue
        if mode & 0o077:
            found.append((here, mode, True))
        for name in files:
            path = here / name
            try:
                info = path.lstat()
            except FileNotFoundError:  # removed while we looked (a temporary file)
                continue
            if not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
                found.append((path, stat.S_IMODE(info.st_mode), False))
    return found


def mode_problems(home: Path, loose: Iterable[tuple[Path, int, bool]]) -> list[Message]:
    """Return the sentences naming the loose paths (the first few by name, the rest counted)."""
    loose = list(loose)
    messages = []
    for path, mode, is_folder in loose[:_NAMED]:
        shown = str(path.relative_to(home)) if path != home else str(home)
        if is_folder:
            messages.append(
                Message(
                    "verify.folder_mode",
                    "Folder {path} can be opened by users other than the "
                    "archive's own (mode {mode}); it should be 0700.",
                    {"path": shown, "mode": f"{mode:04o}"},
                )
            )
        else:
            messages.append(
                Message(
                    "verify.file_mode",
                    "File {path} can be read by users other than the "
                    "archive's own (mode {mode}); it should be 0600 or 0400.",
                    {"path": shown, "mode": f"{mode:04o}"},
                )
            )
    if len(loose) > _NAMED:
        messages.append(
            Message(
                "verify.more_modes",
                "{count} more files or folders of the home can be reached by "
                "other users; chmod -R go= {home} closes them.",
                {"count": len(loose) - _NAMED, "home": str(home)},
            )
        )
    return messages
