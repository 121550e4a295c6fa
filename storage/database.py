"""The SQLite metadata database: WAL, one connection per thread, numbered migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.migrations import apply_migrations

_BUSY_TIMEOUT_MS = 30_000


class Database:
    """A SQLite file (or ``":memory:"``) with its schema brought up to date at open."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._in_memory = self.path == ":memory:"
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._shared: sqlite3.Connection | None = None
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        try:
            with self.atomic() as conn:
                apply_migrations(conn)
        except BaseException:
            # Nobody gets this object to close: let go of the file now (a failed upgrade
            # leaves the database as it was, and the caller may want to copy or move it).
            self.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # A disposal deletes page texts: their bytes must not live on in free space of the
        # file (nor in the backups copied from it). Debian's SQLite does this by default;
        # other builds do not.
        conn.execute("PRAGMA secure_delete = ON")
        if not self._in_memory:
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a filed document must survive a power cut right after "filed".
            conn.execute("PRAGMA synchronous = FULL")
        with self._all_lock:
            self._all.append(conn)
        return conn

    def read(self) -> sqlite3.Connection:
        """Return this thread's connection (for SELECTs outside a transaction)."""
        if self._in_memory:
            if self._shared is None:
                self._shared = self._connect()
            return self._shared
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction; nested calls join the outer one."""
        with self._write_lock:
            conn = self.read()
            if conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close every connection this database opened."""
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._shared = None
        self._local = threading.local()
