"""Failed inbox files as the inbox page shows them, and putting one back to be filed again."""

from __future__ import annotations

import os
import re
from pathlib import Path

from archive.access.actors import Actor
from archive.audit.trail import AuditTrail
from archive.errors import InvalidInput, NotFound
from archive.access.permissions import Permission, require
from ingest.inbox_paths import FAILED_FOLDER, free_name
from ingest.values import mask_bsns
from storage.filestore import hash_file

_NOTE = ".error.txt"


def _reason(note_text: str) -> str:
    # The note's "What went wrong:" paragraph is the sentence the clerk needs.
    match = re.search(r"What went wrong:\n\s*(.+?)\n\n", note_text, re.S)
    return (match.group(1) if match else note_text).strip()


def failed_files(inbox: Path) -> list[dict]:
    """Return the files set aside in inbox/failed/ with the reason of each, oldest first."""
    folder = inbox / FAILED_FOLDER
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.stat(follow_symlinks=False).st_mtime)
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.name.endswith(_NOTE) or entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        note = folder / (entry.name + _NOTE)
        try:
            reason = _reason(note.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            reason = ""
        info = entry.stat(follow_symlinks=False)
        # "shown" is the name as the page may show it: a scan named after a BSN shows it masked.
        found.append({"name": entry.name, "shown": mask_bsns(entry.name), "reason": reason, "size": info.st_size,
                      "mtime": info.st_mtime})
    return found


def retry_failed(inbox: Path, name: str, actor: Actor, audit: AuditTrail) -> Path:
    """Move a failed file back into the inbox (its note removed); return where it went. Raises NotFound."""
    require(actor, Permission.FILE)
    folder = inbox / FAILED_FOLDER
    # Only a plain name of a regular file directly in failed/: nothing else can be moved.
    if not name or name != os.path.basename(name) or name in (".", "..") or name.endswith(_NOTE):
        raise NotFound("inbox.no_failed_file", "There is no such failed file.")
    source = folder / name
    if not source.is_file() or source.is_symlink():
        raise NotFound("inbox.no_failed_file", "There is no such failed file.")
    target = free_name(inbox, name)
    os.replace(source, target)
    try:
        os.remove(folder / (name + _NOTE))
    except FileNotFoundError:
        pass
    audit.record(actor, "inbox_retry", details={"file": name})
    return target


def remove_failed(inbox: Path, name: str, reason: str, actor: Actor, audit: AuditTrail) -> None:
    """Delete a failed file and its note for good; the audit entry keeps why it failed, why it went,
    and the file's sha256 and size. Raises NotFound, InvalidInput."""
    require(actor, Permission.FILE)
    why = " ".join((reason or "").split())
    if not why:
        raise InvalidInput("inbox.remove_needs_reason", "Say why the file is removed, such as: a blank page.")
    folder = inbox / FAILED_FOLDER
    if not name or name != os.path.basename(name) or name in (".", "..") or name.endswith(_NOTE):
        raise NotFound("There is no such failed file.")
    source = folder / name
    if not source.is_file() or source.is_symlink():
        raise NotFound("There is no such failed file.")
    note = folder / (name + _NOTE)
    try:
        failure = _reason(note.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        failure = ""
    sha256, size = hash_file(source)
    audit.record(actor, "inbox_remove", details={"file": mask_bsns(name), "failed_because": mask_bsns(failure),
                                                 "removed_because": why, "sha256": sha256, "size": size})
    os.remove(source)
    note.unlink(missing_ok=True)
