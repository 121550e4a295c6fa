"""Faults of the archive itself, told apart from faults of a file.

A full disk, a database that is read-only or locked, a store that cannot be reached:
none of these is the document's fault, and a file must never be refused or set aside
for them. The filing path raises ArchiveFault for them instead, and whoever hands
files in (the inbox, the upload queue, the command line) waits or says so.
"""

from __future__ import annotations

import errno
import sqlite3

from archive.errors import ArchiveError, Message

# OS errors that say the archive's own disk or share is unusable, not that a file is bad.
_ARCHIVE_ERRNOS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EIO,
    errno.ENOTCONN,
    errno.ESTALE,
    errno.EHOSTDOWN,
    errno.ENOLCK,
}
# SQLite result codes (Python 3.11 names them) that say the database cannot be written now.
_DATABASE_FAULTS = (
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_IOERR",
    "SQLITE_CANTOPEN",
    "SQLITE_PERM",
    "SQLITE_NOLFS",
)


class ArchiveFault(ArchiveError):
    """The archive itself cannot write now; its message is one line for the log, the status and the inbox page."""

    @classmethod
    def of(cls, fault: Message) -> ArchiveFault:
        """Return the fault worded as ``fault`` (what ``fault_of_archive`` found)."""
        return cls(fault.code, fault.template, **fault.values)


def fault_of_archive(exc: BaseException) -> Message | None:
    """What is wrong with the archive when `exc` (or what caused it) is such a fault, else None.

    A coded sentence: the log and `archive status` show it in English, the inbox page in the
    reader's language.
    """
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        reason = _reason(current)
        if reason is not None:
            return reason
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def _reason(exc: BaseException) -> Message | None:
    if isinstance(exc, ArchiveFault):
        return Message.of(exc)
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith(_DATABASE_FAULTS):
            return _database_sentence(name)
        return None
    if isinstance(exc, OSError) and exc.errno in _ARCHIVE_ERRNOS:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return Message(
                "fault.disk_full", "The archive's disk is full: no document can be stored until space is freed."
            )
        if exc.errno == errno.EROFS:
            return Message(
                "fault.disk_read_only",
                "The archive's disk is read-only: no document can be stored until it is writable again.",
            )
        return Message(
            "fault.storage_unreachable",
            "The archive's storage cannot be reached ({problem}): filing waits until it is back.",
            {"problem": exc.strerror or errno.errorcode.get(exc.errno or 0, "?")},
        )
    return None


def _database_sentence(name: str) -> Message:
    if name.startswith("SQLITE_FULL"):
        return Message(
            "fault.database_full",
            "The archive's disk is full: the database cannot record documents until space is freed.",
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return Message(
            "fault.database_locked",
            "The archive's database is locked by another program: filing waits until it is free.",
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN")):
        return Message(
            "fault.database_read_only",
            "The archive's database cannot be written (read-only or no permission): filing waits.",
        )
    return Message(
        "fault.database_disk_error",
        "The archive's database cannot be written (a disk error): filing waits until it works again.",
    )
