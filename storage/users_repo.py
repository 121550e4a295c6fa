"""SQL for users, their API tokens and failed log-in attempts."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from storage.rows import inserted_id

_USER_COLUMNS = frozenset(
    {"role", "password_hash", "totp_secret", "language", "active", "updated_at", "must_change_password"}
)


def insert_user(conn: sqlite3.Connection, values: Mapping[str, Any]) -> None:
    """Insert one user row."""
    conn.execute(
        "INSERT INTO users (name, role, password_hash, totp_secret, language, active, created_at, updated_at)"
        " VALUES (:name, :role, :password_hash, :totp_secret, :language, 1, :created_at, :created_at)",
        dict(values),
    )


def update_user(conn: sqlite3.Connection, name: str, **fields: Any) -> None:
    """Set the given columns of one user."""
    unknown = set(fields) - _USER_COLUMNS
    if unknown:
        raise ValueError(f"not user columns: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = :{column}" for column in fields)
    conn.execute(f"UPDATE users SET {assignments} WHERE name = :name", {**fields, "name": name})


def end_sessions(conn: sqlite3.Connection, name: str) -> None:
    """Move a user's session version on: every session opened before is no longer accepted."""
    conn.execute("UPDATE users SET session_version = session_version + 1 WHERE name = ?", (name,))


def use_totp_step(conn: sqlite3.Connection, name: str, step: int) -> bool:
    """Record that a user logged in with the code of time step `step`; False if that step (or a later one) was used."""
    cursor = conn.execute(
        "UPDATE users SET totp_last_step = ? WHERE name = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
        (step, name, step),
    )
    return cursor.rowcount == 1


def get_user(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()


def list_users(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM users ORDER BY name").fetchall()


def count_users(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])


def insert_token(conn: sqlite3.Connection, user_name: str, token_hash: str, created_at: str) -> int:
    """Store the hash of a new API token; return its id."""
    cursor = conn.execute(
        "INSERT INTO api_tokens (user_name, token_hash, created_at) VALUES (?, ?, ?) RETURNING id",
        (user_name, token_hash, created_at),
    )
    return inserted_id(cursor)


def user_for_token(conn: sqlite3.Connection, token_hash: str) -> sqlite3.Row | None:
    """Return the active user owning an unrevoked token with this hash, or None."""
    return conn.execute(
        "SELECT users.*, api_tokens.id AS token_id FROM api_tokens JOIN users ON users.name = api_tokens.user_name"
        " WHERE api_tokens.token_hash = ? AND api_tokens.revoked = 0 AND users.active = 1",
        (token_hash,),
    ).fetchone()


def revoke_tokens(conn: sqlite3.Connection, user_name: str) -> int:
    """Revoke every token of a user; return how many."""
    return conn.execute("UPDATE api_tokens SET revoked = 1 WHERE user_name = ? AND revoked = 0", (user_name,)).rowcount


def count_tokens(conn: sqlite3.Connection, user_name: str) -> int:
    return int(
        conn.execute("SELECT count(*) FROM api_tokens WHERE user_name = ? AND revoked = 0", (user_name,)).fetchone()[0]
    )


def record_failure(conn: sqlite3.Connection, kind: str, subject: str, at: float) -> None:
    conn.execute("INSERT INTO login_failures (kind, subject, at) VALUES (?, ?, ?)", (kind, subject, at))


def recent_failures(conn: sqlite3.Connection, kind: str, subject: str, since: float) -> tuple[int, float | None]:
    """Return how many failures since ``since`` and when the last one was."""
    row = conn.execute(
        "SELECT count(*), max(at) FROM login_failures WHERE kind = ? AND subject = ? AND at >= ?",
        (kind, subject, since),
    ).fetchone()
    return int(row[0]), row[1]


def clear_failures(conn: sqlite3.Connection, kind: str, subject: str) -> None:
    conn.execute("DELETE FROM login_failures WHERE kind = ? AND subject = ?", (kind, subject))


def forget_failures_before(conn: sqlite3.Connection, before: float) -> None:
    conn.execute("DELETE FROM login_failures WHERE at < ?", (before,))
