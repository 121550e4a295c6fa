"""When is a file in the inbox finished? Settle tracking for files still being written.

Scanners that write page by page over SMB, FTP uploads and copy tools that first
create an empty placeholder are the known ways an archive takes half a file. A file
is taken only when its size and mtime have not changed for ``settle_seconds``, it
opens for reading, and — when it is a PDF — its end holds the ``%%EOF`` trailer
(scanners and mail gateways pad some files after it: up to 64 KB of padding is
allowed). What never gets there is given up with a reason after a longer limit.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable

from ingest.errors import Phrase
from ingest.settings import IngestSettings

_PDF_MAGIC = b"%PDF-"
_PDF_TRAILER = b"%%EOF"
_HEAD_BYTES = 1024
_ANY_AFTER_TRAILER = 1024  # a line end, a comment or a signature's rest: what writers put after %%EOF
_PADDING = b"\x00\x1a\xff \t\r\n"  # what scanners and gateways fill a block with
_TAIL_BYTES = 64 * 1024  # the trailer is at the end, followed at most by padding (NULs, a block's rest)


class Decision(Enum):
    """What the watcher should do with a file now."""

    WAIT = "wait"
    READY = "ready"
    REJECT = "reject"  # give up; `refusal` says why in a clerk's words
    GONE = "gone"


@dataclass(frozen=True)
class Verdict:
    """A decision and, for waits, why (for the log); for a rejection, why in a clerk's words."""

    decision: Decision
    reason: str = ""
    refusal: Phrase | None = None


@dataclass(frozen=True)
class ContentCheck:
    """What opening a settled file showed."""

    readable: bool
    is_pdf: bool = False
    pdf_complete: bool = False


@dataclass
class _Track:
    size: int
    mtime_ns: int
    still_since: float


def check_content(path: Path) -> ContentCheck:
    """Open ``path`` (a regular file) and look at its first kilobyte and its end."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read(_TAIL_BYTES)
    except OSError:
        return ContentCheck(readable=False)
    is_pdf = _PDF_MAGIC in head
    return ContentCheck(readable=True, is_pdf=is_pdf, pdf_complete=is_pdf and _ends_with_trailer(tail))


def _ends_with_trailer(tail: bytes) -> bool:
    """True when the last ``%%EOF`` is near the end, or followed only by padding.

    Anything else after it (an early trailer of an incremental save still being
    written) means the file is not complete yet.
    """
    at = tail.rfind(_PDF_TRAILER)
    if at < 0:
        return False
    rest = tail[at + len(_PDF_TRAILER) :]
    return len(rest) <= _ANY_AFTER_TRAILER or not rest.strip(_PADDING)


class StabilityTracker:
    """Remembers each pending file's size and mtime and says when it has settled.

    Not thread-safe: one thread (the watcher's settle loop) calls ``poll``.
    """

    def __init__(self, settings: IngestSettings, inspect: Callable[[Path], ContentCheck] = check_content) -> None:
        self._settings = settings
        self._inspect = inspect
        self._tracks: dict[Path, _Track] = {}

    def poll(self, path: Path, now: float) -> Verdict:
        """Return whether ``path`` is ready, should wait, must be rejected, or is gone."""
        try:
            info = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            self.forget(path)
            return Verdict(Decision.GONE)
        if not stat.S_ISREG(info.st_mode):
            self.forget(path)
            return Verdict(Decision.REJECT, refusal=_not_a_file(info.st_mode))
        track = self._tracks.get(path)
        if track is None or (track.size, track.mtime_ns) != (info.st_size, info.st_mtime_ns):
            self._tracks[path] = _Track(info.st_size, info.st_mtime_ns, now)
            return Verdict(Decision.WAIT, "still changing")
        still_for = now - track.still_since
        if still_for < self._settings.settle_seconds:
            return Verdict(Decision.WAIT, "settling")
        verdict = self._judge_settled(path, info.st_size, still_for)
        if verdict.decision is not Decision.WAIT:
            self.forget(path)
        return verdict

    def forget(self, path: Path) -> None:
        """Drop what is known about ``path`` (it was taken, rejected or left)."""
        self._tracks.pop(path, None)

    def __len__(self) -> int:
        return len(self._tracks)

    def _judge_settled(self, path: Path, size: int, still_for: float) -> Verdict:
        if size == 0:
            # An empty placeholder: the real bytes usually follow; give up only later.
            if still_for >= self._settings.empty_file_seconds:
                return Verdict(Decision.REJECT, refusal=EMPTY_REASON)
            return Verdict(Decision.WAIT, "empty placeholder")
        content = self._inspect(path)
        if not content.readable:
            if still_for >= self._settings.incomplete_pdf_seconds:
                return Verdict(Decision.REJECT, refusal=UNREADABLE_REASON)
            return Verdict(Decision.WAIT, "cannot be opened yet")
        if content.is_pdf and not content.pdf_complete:
            if still_for >= self._settings.incomplete_pdf_seconds:
                return Verdict(Decision.REJECT, refusal=INCOMPLETE_PDF_REASON)
            return Verdict(Decision.WAIT, "PDF without its end marker yet")
        return Verdict(Decision.READY)


EMPTY_REASON = Phrase(
    "inbox.stayed_empty",
    "The file stayed empty (0 bytes): the scanner or copy never wrote the document. Scan or copy it again.",
)
UNREADABLE_REASON = Phrase(
    "inbox.cannot_open",
    "The file could not be opened for reading (check its permissions or whether another "
    "program still holds it), then put it back in the inbox.",
)
INCOMPLETE_PDF_REASON = Phrase(
    "inbox.pdf_incomplete",
    "The PDF is incomplete: it has no end marker (%EOF), so the scan or upload was cut off. "
    "Scan or copy the document again.",
)


def _not_a_file(mode: int) -> Phrase:
    if stat.S_ISLNK(mode):
        return Phrase(
            "inbox.link",
            "This is a shortcut (symbolic link), not a file; the archive does not follow "
            "links. Put the document itself in the inbox.",
        )
    return Phrase(
        "inbox.not_a_file", "This is not an ordinary file (for example a pipe or device); only documents can be filed."
    )
