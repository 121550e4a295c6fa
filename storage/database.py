"""The metadata database: one connection per thread, numbered migrations, atomic blocks.

``Database(path)`` only names the file; ``Database.open(path)`` connects and brings the
schema up to date: an SQLite file in WAL mode, the embedded default. A PostgreSQL
server is a ``storage.postgres.PostgresDatabase``; ``storage.engines.open_database``
opens either from what the configuration names.
``atomic()`` is one write transaction, and nested blocks are savepoints inside it: an
inner block that fails undoes only its own work. Every connection carries its
``dialect`` (``storage.dialect``) for the little SQL that differs between engines.
"""

from __future__ import annotations

import itertools
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.dialect import SQLITE
from storage.migrations import apply_migrations

_BUSY_TIMEOUT_MS = 30_000
log = logging.getLogger(__name__)


class SqliteConnection(sqlite3.Connection):
    """sqlite3's connection, telling the repositories which dialect it speaks."""

    dialect = SQLITE


class Database:
    """A SQLite file (or ``":memory:"``) with its schema brought up to date at open."""

    dialect = SQLITE

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._in_memory = self.path == ":memory:"
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._shared: sqlite3.Connection | None = None
        # Each connection with the thread that opened it: only that thread ever uses it.
        self._all: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._all_lock = threading.Lock()
        self._savepoints = itertools.count(1)

    @classmethod
    def open(cls, path: Path | str) -> "Database":
        """Return the SQLite database at ``path`` (or ``":memory:"``) with its schema brought up to date.

        Raises MigrationError when a migration fails; the file is then left as it was.
        """
        if str(path).startswith(("postgresql://", "postgres://")):
            raise ValueError("A server URL is opened with storage.engines.open_database.")
        db = cls(path)
        try:
            with db.atomic() as conn:
                apply_migrations(conn)
        except BaseException:
            # Let go of the file now: a failed upgrade leaves the database as it was, and
            # the caller may want to copy or move it.
            db.close()
            raise
        return db

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            timeout=_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            factory=SqliteConnection,
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
            self._all.append((threading.current_thread(), conn))
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
    def atomic(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction; a nested block is a savepoint within it.

        An exception rolls back the block (only the inner one, when nested) and goes on;
        a COMMIT that fails (disk full, I/O error) rolls back and raises too. With
        ``durable=False`` (a record of someone reading) the commit does not wait for the
        disk: a power cut may lose it, never break what was committed before it.
        """
        with self._write_lock:
            conn = self.read()
            if conn.in_transaction:
                with self._savepoint(conn):
                    yield conn
                return
            if durable or self._in_memory:
                yield from self._transaction(conn)
                return
            # WAL with synchronous=NORMAL: committed without an fsync, checkpointed later.
            mode = conn.execute("PRAGMA synchronous").fetchone()[0]
            conn.execute("PRAGMA synchronous = NORMAL")
            try:
                yield from self._transaction(conn)
            finally:
                conn.execute(f"PRAGMA synchronous = {int(mode)}")

    def _transaction(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            self._local.after_commit = []
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._run_after_commit()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the current write transaction commits (now, outside one).

        Nothing is called when the transaction rolls back. A failing callback is logged:
        what it does follows a commit that already happened.
        """
        if not self.read().in_transaction:
            self._call(callback)
            return
        pending = getattr(self._local, "after_commit", None)
        if pending is None:
            pending = self._local.after_commit = []
        if callback not in pending:
            pending.append(callback)

    def _run_after_commit(self) -> None:
        pending = getattr(self._local, "after_commit", None) or []
        self._local.after_commit = []
        for callback in pending:
            self._call(callback)

    @staticmethod
    def _call(callback: Callable[[], None]) -> None:
        try:
            callback()
        except Exception:  # the commit stands; only the follow-up failed
            log.exception("A follow-up of a database commit failed.")

    @contextmanager
    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[None]:
        name = f"atomic_{next(self._savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")

    def truncate_wal(self) -> bool:
        """Copy the write-ahead log into the database file and empty it; return whether that was done.

        Deleted rows live on in the log's copies of their pages until it is emptied (a
        disposal must not leave a destroyed document's text there). It is not done while
        another connection still reads an older snapshot (false is returned): the next
        call, or SQLite's own checkpoints, finish the copy.
        """
        if self._in_memory:
            return True
        with self._write_lock:
            busy, _, _ = self.read().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0

    def close(self) -> None:
        """Close every connection this database opened that no other running thread holds.

        sqlite3 lets a connection be closed from any thread, but closing one while its own
        thread is inside a statement crashes the interpreter (a web job still verifying
        when the server stops). Such a connection is only let go of here: it closes when
        its thread no longer holds it.
        """
        me = threading.current_thread()
        with self._all_lock:
            for owner, conn in self._all:
                # The in-memory connection is shared by every thread: only let go of it.
                if not self._in_memory and (owner is me or not owner.is_alive()):
                    conn.close()
            self._all.clear()
        self._shared = None
        self._local = threading.local()
