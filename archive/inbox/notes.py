"""The note beside a file the inbox set aside: ``NAME.error.txt`` for a person, ``NAME.error.json`` for the archive.

The text is written in the office's language, so a clerk opening the failed folder
reads why in their own words; the JSON keeps the reason as a message (code, template,
values), so that the inbox page words it in each person's language, and says where
the file came from. A note written before the JSON existed is read from its English
text.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from archive.errors import Message
from archive.wording import Wording

NOTE = ".error.txt"
RECORD = ".error.json"


@dataclass(frozen=True)
class Note:
    """What the note beside a set-aside file says."""

    came_from: str | None  # the file's path in the inbox, as it arrived
    reason: Message | None  # why, as a message; None when there is no note
    sentence: str | None  # why, as the note's text says it (an old note's only form)


def is_note(name: str) -> bool:
    """True for the name of a note (text or JSON) rather than of a set-aside file."""
    return name.endswith((NOTE, RECORD))


def write_note(target: Path, relative: PurePosixPath, reason: Message, when: datetime, wording: Wording) -> None:
    """Write the note and its JSON beside the set-aside ``target``, each atomically (temp name, then rename)."""
    came_from = str(relative)
    text = wording(
        Message(
            "inbox.note",
            "This file could not be filed.\n\n"
            "File:       {name}\n"
            "Came from:  inbox/{came_from}\n"
            "When:       {when}\n\n"
            "What went wrong:\n  {reason}\n\n"
            "What you can do:\n"
            "  Fix what is described above (for example scan or save the document again), then move\n"
            "  the file back into the inbox and delete this note. If the file is fine and keeps\n"
            "  failing, tell the administrator.\n",
            {"name": target.name, "came_from": came_from, "when": when, "reason": reason},
        )
    )
    record = {"came_from": came_from, "at": when.isoformat(), "reason": reason.as_json()}
    _write(target.with_name(target.name + RECORD), json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    _write(target.with_name(target.name + NOTE), text)


def read_note(target: Path) -> Note:
    """Return what the note beside a set-aside file says (nothing when it has none)."""
    try:
        record = json.loads(target.with_name(target.name + RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _read_text(target.with_name(target.name + NOTE))
    reason = Message.from_json(record.get("reason")) if isinstance(record, dict) else None
    came_from = record.get("came_from") if isinstance(record, dict) else None
    return Note(came_from if isinstance(came_from, str) else None, reason, str(reason) if reason else None)


def remove_note(target: Path) -> None:
    """Remove the note and its JSON beside ``target``, if there."""
    for suffix in (NOTE, RECORD):
        target.with_name(target.name + suffix).unlink(missing_ok=True)


def _read_text(note: Path) -> Note:
    # A note from before the JSON: English, in the layout above.
    try:
        text = note.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return Note(None, None, None)
    came_from = re.search(r"^Came from:\s+inbox/(.+)$", text, re.M)
    reason = re.search(r"What went wrong:\n\s*(.+?)\n\n", text, re.S)
    return Note(came_from.group(1) if came_from else None, None, (reason.group(1) if reason else text).strip())


def _write(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "w", encoding="utf-8", errors="replace") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
