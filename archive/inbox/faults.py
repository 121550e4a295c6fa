"""Whether the archive can file again after a fault of its own (see archive.documents.faults).

While the archive cannot write, the inbox is paused and looks again every little while
with the probe below; the first look that finds everything writable resumes it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from archive.core import Core
from archive.documents.faults import fault_of_archive
from archive.errors import Message
from ingest.inbox_paths import FAILED_FOLDER
from storage.errors import StorageError


def check_writable(core: Core) -> Message | None:
    """Look whether the archive can file and set aside now; what is wrong (a coded sentence), else None."""
    failed = core.config.inbox_path / FAILED_FOLDER
    if os.path.lexists(failed) and not failed.is_dir():
        return Message(
            "fault.failed_not_folder",
            "{folder} is not a folder: files that cannot be filed have nowhere to go. Make it a folder again.",
            {"folder": str(failed)},
        )
    try:
        failed.mkdir(parents=True, exist_ok=True)
        _probe_folder(failed)
    except OSError as exc:
        return fault_of_archive(exc) or Message(
            "fault.failed_unwritable",
            "{folder} cannot be written ({problem}): files that cannot be filed have nowhere to go.",
            {"folder": str(failed), "problem": exc.strerror or str(exc)},
        )
    try:
        work = core.store.temp_dir()
        try:
            _probe_folder(work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except (OSError, StorageError) as exc:
        return fault_of_archive(exc) or Message(
            "fault.store_unwritable", "The archive's store cannot be written ({problem}).", {"problem": str(exc)}
        )
    try:
        with core.db.atomic() as conn:
            # Writing the header's user version (to what it is) is a real write: a full
            # disk or a read-only file fails here, and nothing changes when it works.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {int(version)}")
    except sqlite3.Error as exc:
        return fault_of_archive(exc) or Message(
            "fault.database_unwritable", "The archive's database cannot be written now."
        )
    return None


def _probe_folder(folder: Path) -> None:
    """Write, sync and remove a small file: a full disk, a read-only mount or a lost share says so here."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=".probe-")
    try:
        os.write(fd, b"x" * 4096)
        os.fsync(fd)
    finally:
        os.close(fd)
        os.unlink(name)
