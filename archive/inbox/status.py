"""How the inbox is doing (waiting, in progress, filed today, failed, oldest waiting) and its failed files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from archive.clock import iso
from archive.errors import NotFound
from ingest.inbox_paths import FAILED_FOLDER, free_name, is_temporary_name, scan_inbox
from storage import audit_repo, inbox_repo
from storage.database import Database


def inbox_status(inbox: Path, db: Database, now: datetime) -> dict[str, Any]:
    """Return the inbox's figures as a JSON-ready dict (``now`` is timezone-aware)."""
    conn = db.read()
    in_progress = {row["path"] for row in inbox_repo.open_takes(conn)}
    waiting = [e for e in scan_inbox(inbox) if str(e.relative) not in in_progress] if inbox.is_dir() else []
    since = iso(now.replace(hour=0, minute=0, second=0, microsecond=0))
    counts = inbox_repo.count_events_since(conn, since)
    # What the audit trail says of today, every channel (upload, CLI, mail, inbox) together.
    audited = audit_repo.count_actions_since(conn, since, ("file", "ingest_failed", "duplicate"))
    mean = inbox_repo.mean_seconds_since(conn, "filed", since)
    return {
        "inbox": str(inbox),
        "waiting": len(waiting),
        "in_progress": len(in_progress),
        "filed_today": counts.get("filed", 0),
        "duplicates_today": counts.get("duplicate", 0),
        "failed_today": counts.get("failed", 0),
        "failed_waiting": _failed_waiting(inbox / FAILED_FOLDER),
        "oldest_waiting_seconds": _oldest_age(waiting, now),
        "mean_filing_seconds_today": None if mean is None else round(mean, 2),
        "filed_today_all_channels": audited.get("file", 0),
        "failed_today_all_channels": audited.get("ingest_failed", 0),
        "duplicates_today_all_channels": audited.get("duplicate", 0),
    }


def _failed_waiting(folder: Path) -> int:
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    return sum(1 for name in names if not name.endswith(".error.txt") and not name.startswith("."))


def _oldest_age(entries, now: datetime) -> float | None:
    times = []
    for entry in entries:
        try:
            times.append(os.lstat(entry.path).st_mtime)
        except OSError:
            continue
    return round(max(0.0, now.timestamp() - min(times)), 1) if times else None


def describe_status(status: dict[str, Any]) -> str:
    """Return the figures as lines for a person."""
    oldest = status["oldest_waiting_seconds"]
    mean = status["mean_filing_seconds_today"]
    running = status.get("watcher_running")
    lines = [
        f"Inbox            {status['inbox']}"
        + ("" if running is None else (" (watched)" if running else " (not watched: start archive watch or run)")),
        f"Waiting          {status['waiting']}" + (f" (oldest {_age(float(oldest))})" if oldest is not None else ""),
        f"In progress      {status['in_progress']}",
        f"Filed today      {status['filed_today']}" + (f" (mean {mean} s each)" if mean is not None else ""),
        f"Duplicates today {status['duplicates_today']}",
        f"Failed today     {status['failed_today']}",
        f"In failed/       {status['failed_waiting']}",
    ]
    return "\n".join(lines)


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclass(frozen=True)
class FailedFile:
    """A file set aside in inbox/failed/, with what its note says."""

    name: str
    came_from: str | None
    reason: str | None
    size: int
    set_aside_at: float  # seconds since the epoch


def failed_files(inbox: Path) -> list[FailedFile]:
    """Return the files in inbox/failed/, newest first, each with the reason from its note."""
    folder = inbox / FAILED_FOLDER
    try:
        names = [n for n in os.listdir(folder) if not n.endswith(".error.txt") and not n.startswith(".")]
    except OSError:
        return []
    found = []
    for name in names:
        try:
            info = os.lstat(folder / name)
        except OSError:
            continue
        came_from, reason = _read_note(folder / f"{name}.error.txt")
        found.append(FailedFile(name, came_from, reason, info.st_size, info.st_mtime))
    return sorted(found, key=lambda f: f.set_aside_at, reverse=True)


def retry_failed(inbox: Path, name: str) -> Path:
    """Move a set-aside file back to where it came from in the inbox (so it is filed again); drop its note.

    Raises NotFound when there is no such file in failed/.
    """
    folder = inbox / FAILED_FOLDER
    source = folder / name
    if "/" in name or name in ("", ".", "..") or not os.path.lexists(source):
        raise NotFound(
            "inbox.no_failed_file_named", "There is no file named '{name}' in the failed folder.", name=name)
    note = folder / f"{name}.error.txt"
    came_from, _ = _read_note(note)
    target_folder = inbox
    if came_from:
        parent = (inbox / came_from).parent
        if parent.resolve().is_relative_to(inbox.resolve()) and FAILED_FOLDER not in PurePosixPath(came_from).parts:
            target_folder = parent
    target_folder.mkdir(parents=True, exist_ok=True)
    target = free_name(target_folder, _original_name(name, came_from))
    os.rename(source, target)
    note.unlink(missing_ok=True)
    return target


def _original_name(name: str, came_from: str | None) -> str:
    # "scan (2).pdf" was renamed only to avoid a clash in failed/; go back to the first name.
    if came_from and not is_temporary_name(PurePosixPath(came_from).name):
        return PurePosixPath(came_from).name
    return name


def _read_note(note: Path) -> tuple[str | None, str | None]:
    try:
        text = note.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, None
    came_from = next((line.split("inbox/", 1)[1] for line in text.splitlines()
                      if line.startswith("Came from:") and "inbox/" in line), None)
    reason = (
        text.split("What went wrong:\n", 1)[1].split("\n\n", 1)[0].strip() if "What went wrong:\n" in text else None
    )
    return came_from, reason
