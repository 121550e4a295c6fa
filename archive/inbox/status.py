"""How the inbox is doing: waiting, in progress, filed today, failed, the oldest waiting file's age."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from archive.clock import iso
from archive.inbox.notes import is_note
from ingest.inbox_paths import FAILED_FOLDER, scan_inbox
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
    return sum(1 for name in names if not is_note(name) and not name.startswith("."))


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
    lines = [
        f"Inbox            {status['inbox']}",
        *_watcher_line(status),
        f"Waiting          {status['waiting']}" + (f" (oldest {_age(float(oldest))})" if oldest is not None else ""),
        f"In progress      {status['in_progress']}",
        f"Filed today      {status['filed_today']}" + (f" (mean {mean} s each)" if mean is not None else ""),
        f"Duplicates today {status['duplicates_today']}",
        f"Failed today     {status['failed_today']}",
        f"In failed/       {status['failed_waiting']}",
    ]
    paused = status.get("paused")
    if paused:
        lines.insert(1, f"PAUSED           since {paused['since']}: {paused['reason']}")
    return "\n".join(lines)


def _watcher_line(status: dict[str, Any]) -> list[str]:
    """The watcher's state as a line: alive, stale with its last heartbeat's age, or not running."""
    state = status.get("watcher_state")
    if state is None:
        return []
    age = status.get("heartbeat_age_seconds")
    beat = f" (last heartbeat {_age(float(age))} ago)" if age is not None else ""
    if state == "alive":
        return [f"Watcher          alive{beat}"]
    if state == "stale":
        return [f"Watcher          STALE{beat}: it holds the inbox but files wait; restart archive watch or run"]
    return ["Watcher          not running: files wait; start archive watch or run"]


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
