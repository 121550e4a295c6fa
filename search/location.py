"""Where the live index is: a folder of index generations and a CURRENT pointer.

``<path>/CURRENT`` names the live generation folder (``gen-<n>``). A rebuild writes a
new generation beside it and replaces CURRENT in one atomic rename, so searchers keep
using the old generation until they notice the switch, and a crash mid-rebuild leaves
the live index untouched.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index

from search.errors import IndexDamaged
from search.schema import INDEX_NAME, build_schema

CURRENT = "CURRENT"
BUILD = "build"


def is_absent(path: Path) -> bool:
    """Return True when there is no index at all at ``path`` (nothing to lose)."""
    return not path.exists() or not any(path.iterdir())


def live_generation(path: Path) -> Path:
    """Return the live generation folder; raise IndexDamaged when it is not there."""
    try:
        name = (path / CURRENT).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise IndexDamaged(
            "index.incomplete",
            "The search index in {path} is incomplete; rebuild it with 'archive reindex'.",
            path=str(path),
        ) from exc
    folder = path / name
    if not name.startswith("gen-") or not folder.is_dir():
        raise IndexDamaged(
            "index.missing_data",
            "The search index in {path} is missing its data; rebuild it with 'archive reindex'.",
            path=str(path),
        )
    return folder


def create_generation(folder: Path) -> None:
    """Create an empty index in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    whoosh_index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)


def create_empty(path: Path) -> Path:
    """Create a new empty index at ``path`` and make it live; return its folder."""
    path.mkdir(parents=True, exist_ok=True)
    staging = path / f"{BUILD}-new"
    shutil.rmtree(staging, ignore_errors=True)
    create_generation(staging)
    return swap_in(path, staging)


def swap_in(path: Path, built: Path) -> Path:
    """Make the finished index in ``built`` the live one, atomically; return its folder."""
    folder = path / f"gen-{time.time_ns()}"
    os.rename(built, folder)
    pointer = path / f"{CURRENT}.tmp"
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(folder.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, path / CURRENT)
    _fsync_dir(path)
    return folder


def remove_old_generations(path: Path, keep: Path) -> None:
    """Delete generations other than ``keep`` (open readers keep their files on POSIX)."""
    for folder in path.glob("gen-*"):
        if folder != keep:
            shutil.rmtree(folder, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
