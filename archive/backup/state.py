"""The home's memory of its backups: the last attempt and the last success, and what to say about them.

Kept in the home's database (``records_state``), so `archive status`, the status page
and the daily schedule all read the same thing. A restored home starts without it: the
backups of the machine it came from are not backups of this one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from archive.clock import iso
from archive.config import BackupSettings
from storage import backup_repo, records_repo
from storage.database import Database

LAST_ATTEMPT = "backup_last_attempt"
LAST_SUCCESS = "backup_last_success"
RESTORED = "restored_from"


def remember(db: Database, outcome: dict[str, Any]) -> None:
    """Record one backup attempt (``ok`` true for a snapshot written without problems)."""
    with db.atomic() as conn:
        records_repo.set_value(conn, LAST_ATTEMPT, json.dumps(outcome, default=str))
        if outcome.get("ok"):
            records_repo.set_value(conn, LAST_SUCCESS, json.dumps(outcome, default=str))


def forget(db: Database) -> None:
    """Drop what the home remembers of backups (a restored home's are not its own)."""
    with db.atomic() as conn:
        backup_repo.delete_state(conn, (LAST_ATTEMPT, LAST_SUCCESS))


def remembered(conn: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Return the last attempt and the last success (None when there was none)."""
    return _read(conn, LAST_ATTEMPT), _read(conn, LAST_SUCCESS)


@dataclass(frozen=True)
class BackupStatus:
    """What `archive status` and the status page say about backups."""

    state: str  # ok | failed | missed | never | not_configured
    destination: str | None
    last_attempt_at: str | None
    last_success_at: str | None
    age_seconds: float | None  # since the last success
    error: str | None
    snapshot: int | None
    error_message: dict[str, Any] | None = None  # the error as code, template and values (see archive.errors)

    @property
    def alarming(self) -> bool:
        return self.state in ("failed", "missed", "never")

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "destination": self.destination,
            "last_attempt_at": self.last_attempt_at,
            "last_success_at": self.last_success_at,
            "age_seconds": self.age_seconds,
            "error": self.error,
            "error_message": self.error_message,
            "snapshot": self.snapshot,
            "alarming": self.alarming,
        }


def backup_status(
    attempt: dict[str, Any] | None, success: dict[str, Any] | None, settings: BackupSettings, now: datetime
) -> BackupStatus:
    """Return how backups stand: the last success's age, and whether the last one failed or is overdue."""
    age = None if success is None else max(0.0, (now - _moment(success["at"])).total_seconds())
    destination = (attempt or success or {}).get("destination") or settings.destination or None
    if attempt is not None and not attempt.get("ok"):
        state = "failed"
    elif success is None:
        state = "never" if settings.destination else "not_configured"
    elif age is not None and age > settings.missed_after_hours * 3600:
        state = "missed"
    else:
        state = "ok"
    error, message = None, None
    if attempt is not None and not attempt.get("ok"):
        error = attempt.get("error") or "; ".join(attempt.get("problems") or []) or None
        message = attempt.get("message")
    return BackupStatus(
        state,
        destination,
        attempt.get("at") if attempt else None,
        success.get("at") if success else None,
        None if age is None else round(age, 1),
        error,
        success.get("snapshot") if success else None,
        message,
    )


def backup_figures(conn: Any, settings: BackupSettings, now: datetime) -> dict[str, Any]:
    """Return what `archive status` and the status page show about backups and a past restore.

    ``restored`` is set while documents destroyed after the restored snapshot are still
    in the home (they came back with it and must be disposed of again).
    """
    attempt, success = remembered(conn)
    restored = _read(conn, RESTORED)
    if restored is not None:
        states = backup_repo.document_states(conn, list(restored.get("destroyed_later", [])))
        back = sorted(i for i, value in states.items() if value != "disposed")
        restored = {"snapshot": restored["snapshot"], "at": restored["at"], "destroyed_later": back} if back else None
    return {"backup": backup_status(attempt, success, settings, now).to_json(), "restored": restored}


def describe_backup(figures: dict[str, Any]) -> list[str]:
    """Return the backup lines of `archive status`, a failure or a missed backup in capitals."""
    status = figures["backup"]
    age = "" if status["age_seconds"] is None else f", {_age(status['age_seconds'])} ago"
    where = f" in {status['destination']}" if status["destination"] else ""
    lines = {
        "ok": f"Backup           ok: snapshot {status['snapshot']}{where}{age}",
        "failed": f"Backup           FAILED at {str(status['last_attempt_at'])[:16]}: {status['error']}"
        + (f" (last good one{age})" if status["age_seconds"] is not None else " (none has succeeded yet)"),
        "missed": f"Backup           MISSED: the last good one is{age[1:]}{where}",
        "never": f"Backup           NONE YET: no backup{where} has succeeded",
        "not_configured": "Backup           not scheduled: set [backup] destination, or run archive backup DEST",
    }
    result = [lines[status["state"]]]
    restored = figures.get("restored")
    if restored:
        result.append(
            f"Restored         from snapshot {restored['snapshot']}: documents destroyed after it are back: "
            + ", ".join(map(str, restored["destroyed_later"]))
        )
    return result


def _age(seconds: float) -> str:
    if seconds < 60:
        return "under a minute"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def outcome(at: datetime, destination: str, ok: bool, **values: Any) -> dict[str, Any]:
    """Return the record of one attempt."""
    return {"at": iso(at), "destination": destination, "ok": ok, **values}


def _read(conn: Any, key: str) -> dict[str, Any] | None:
    raw = records_repo.get_value(conn, key)
    return json.loads(raw) if raw else None


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
