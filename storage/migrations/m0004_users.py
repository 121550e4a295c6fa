"""Users of the web app and the command line: roles, password hashes, TOTP, API tokens, throttling."""

from __future__ import annotations

import sqlite3

from storage.migrations import run_script

# Passwords and API tokens are stored only as hashes (Argon2id / sha256); the TOTP
# secret must stay readable to check codes, so it lives here as the user's second key.
_SCHEMA = """
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret   TEXT,
    language      TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users (name),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    last_used   TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);

-- Failed log-ins, kept per account and per address, to slow down guessing.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('account', 'address')),
    subject TEXT NOT NULL,
    at      REAL NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (kind, subject, at);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Create the user, token and throttling tables."""
    run_script(conn, _SCHEMA)
