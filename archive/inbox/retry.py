"""Failed inbox files as the inbox page shows them, and putting one back to be filed again."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.audit.trail import AuditTrail
from archive.errors import InvalidInput, NotFound
from archive.inbox.notes import is_note, read_note, remove_note
from ingest.inbox_paths import FAILED_FOLDER, free_name, is_temporary_name
from ingest.values import mask_bsns
from storage import documents_repo
from storage.database import Database
from storage.filestore import hash_file


def failed_files(inbox: Path) -> list[dict]:
    """Return the files set aside in inbox/failed/ with the reason of each, oldest first.

    ``reason`` is the reason as the note says it, ``message`` the same as a message
    (worded in each person's language) when the note keeps one.
    """
    folder = inbox / FAILED_FOLDER
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.stat(follow_symlinks=False).st_mtime)
    except OSError:
        return []
    found = []
    for entry in entries:
        if is_note(entry.name) or entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        note = read_note(folder / entry.name)
        info = entry.stat(follow_symlinks=False)
        # "shown" is the name as the page may show it: a scan named after a BSN shows it masked;
        # "key" names the file in the page's forms, so its name never goes out in a form or URL.
        found.append(
            {
                "name": entry.name,
                "key": _key(entry.name, info),
                "shown": mask_bsns(entry.name),
                "reason": note.sentence or "",
                "message": note.reason,
                "came_from": note.came_from and mask_bsns(note.came_from),
                "size": info.st_size,
                "mtime": info.st_mtime,
            }
        )
    return found


def retry_failed(inbox: Path, name: str, actor: Actor, audit: AuditTrail, db: Database | None = None) -> Path:
    """Move a failed file back to where it came from in the inbox (its note removed); return where it went.

    Back in its sub-folder, the folder's client or type hint applies again. A document
    set aside after its readings were stopped gets a fresh start: the clerk asked for
    it, so the watcher reads it again. Raises NotFound.
    """
    require(actor, Permission.FILE)
    folder = inbox / FAILED_FOLDER
    # Only a plain name of a regular file directly in failed/: nothing else can be moved.
    if not name or name != os.path.basename(name) or name in (".", "..") or is_note(name):
        raise NotFound("inbox.no_failed_file", "There is no such failed file.")
    source = folder / name
    if not source.is_file() or source.is_symlink():
        raise NotFound("inbox.no_failed_file", "There is no such failed file.")
    if db is not None:
        _fresh_start(source, db)
    came_from = read_note(source).came_from
    target = free_name(_back_to(inbox, came_from), _original_name(name, came_from))
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    remove_note(source)
    audit.record(actor, "inbox_retry", details={"file": mask_bsns(name)})
    return target


def remove_failed(inbox: Path, name: str, reason: str, actor: Actor, audit: AuditTrail) -> None:
    """Delete a failed file and its note for good; the audit entry keeps why it failed, why it went,
    and the file's sha256 and size. Raises NotFound, InvalidInput."""
    require(actor, Permission.FILE)
    why = " ".join((reason or "").split())
    if not why:
        raise InvalidInput("inbox.remove_needs_reason", "Say why the file is removed, such as: a blank page.")
    folder = inbox / FAILED_FOLDER
    if not name or name != os.path.basename(name) or name in (".", "..") or is_note(name):
        raise NotFound("inbox.no_failed_file", "There is no such failed file.")
    source = folder / name
    if not source.is_file() or source.is_symlink():
        raise NotFound("inbox.no_failed_file", "There is no such failed file.")
    failure = read_note(source).sentence or ""
    sha256, size = hash_file(source)
    audit.record(
        actor,
        "inbox_remove",
        details={
            "file": mask_bsns(name),
            "failed_because": mask_bsns(failure),
            "removed_because": why,
            "sha256": sha256,
            "size": size,
        },
    )
    os.remove(source)
    remove_note(source)


def failed_file_named(inbox: Path, key: str) -> str:
    """Return the name of the failed file a page's ``key`` stands for; raise NotFound when none does."""
    for item in failed_files(inbox):
        if key and item["key"] == key:
            return item["name"]
    raise NotFound("inbox.no_failed_file", "There is no such failed file.")


def _key(name: str, info: os.stat_result) -> str:
    # The name with what only this file system knows about the file (inode, time, size): a key
    # that cannot be worked back to a BSN in the name by trying every number, and that names
    # another file once this one is replaced.
    seed = f"{name}\0{info.st_ino}\0{info.st_mtime_ns}\0{info.st_size}".encode("utf-8", "surrogateescape")
    return hashlib.sha256(seed).hexdigest()[:32]


def _back_to(inbox: Path, came_from: str | None) -> Path:
    """Return the folder a file came from, if it is still a folder of the inbox (never failed/ itself)."""
    if not came_from:
        return inbox
    parent = (inbox / came_from).parent
    inside = parent.resolve().is_relative_to(inbox.resolve())
    return parent if inside and FAILED_FOLDER not in PurePosixPath(came_from).parts else inbox


def _original_name(name: str, came_from: str | None) -> str:
    # "scan (2).pdf" was renamed only to avoid a clash in failed/; go back to the first name.
    if came_from and not is_temporary_name(PurePosixPath(came_from).name):
        return PurePosixPath(came_from).name
    return name


def _fresh_start(path: Path, db: Database) -> None:
    try:
        sha256, _size = hash_file(path)
    except OSError:
        return
    with db.atomic() as conn:
        documents_repo.reset_reading_attempts(conn, sha256)
