"""Long-running jobs (an auditor's checks): their progress and outcome, readable by every node."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

_COLUMNS = "id, user_name, kind, done, total, state, result, error, file, node, heartbeat_at, started_at, ended_at"


@dataclass(frozen=True)
class JobRow:
    """One row of the jobs table; ``result`` and ``error`` are JSON text, ``file`` a path in the home."""

    id: str
    user: str
    kind: str
    done: int
    total: int | None
    state: str
    result: str | None
    error: str | None
    file: str | None
    node: str
    heartbeat_at: str
    started_at: str
    ended_at: str | None


def insert_job(
    conn: sqlite3.Connection, job_id: str, user: str, kind: str, total: int | None, node: str, now: str
) -> None:
    """Record a job that starts now on ``node``."""
    conn.execute(
        "INSERT INTO jobs (id, user_name, kind, total, node, heartbeat_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (job_id, user, kind, total, node, now, now),
    )


def beat(conn: sqlite3.Connection, job_id: str, done: int, total: int | None, now: str) -> None:
    """Record a running job's progress and that its node still runs it."""
    conn.execute(
        "UPDATE jobs SET done = ?, total = ?, heartbeat_at = ? WHERE id = ? AND state = 'running'",
        (done, total, now, job_id),
    )


def finish_job(
    conn: sqlite3.Connection,
    job_id: str,
    state: str,
    done: int,
    total: int | None,
    result: str | None,
    error: str | None,
    file: str | None,
    now: str,
) -> None:
    """Record a job's end: ``finished`` with its result (and file), or ``failed`` with its error."""
    conn.execute(
        "UPDATE jobs SET state = ?, done = ?, total = ?, result = ?, error = ?, file = ?, heartbeat_at = ?,"
        " ended_at = ? WHERE id = ?",
        (state, done, total, result, error, file, now, now, job_id),
    )


def job(conn: sqlite3.Connection, job_id: str) -> JobRow | None:
    """Return the job with this id, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return JobRow(*row) if row else None


def take_file(conn: sqlite3.Connection, job_id: str, file: str) -> bool:
    """Mark a job's file as taken; return False when another request took it first."""
    cursor = conn.execute("UPDATE jobs SET file = NULL WHERE id = ? AND file = ?", (job_id, file))
    return cursor.rowcount == 1


def expired(conn: sqlite3.Connection, ended_before: str, beat_before: str) -> list[JobRow]:
    """Return the jobs that ended before ``ended_before``, or whose node stopped beating before ``beat_before``."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM jobs WHERE ended_at < ? OR (ended_at IS NULL AND heartbeat_at < ?)",
        (ended_before, beat_before),
    )
    return [JobRow(*row) for row in rows]


def delete_job(conn: sqlite3.Connection, job_id: str) -> None:
    """Forget a job."""
    conn.execute("DELETE FROM jobs WHERE id = ?", (job_id,))


def latest_job(conn: sqlite3.Connection, user: str, kind: str) -> JobRow | None:
    """Return the job of this kind that this user started last, or None."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM jobs WHERE user_name = ? AND kind = ? ORDER BY started_at DESC, id LIMIT 1",
        (user, kind),
    ).fetchone()
    return JobRow(*row) if row else None
