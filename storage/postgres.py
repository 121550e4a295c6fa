"""The metadata database on a PostgreSQL server (psycopg 3 and its connection pool).

The repositories are written against the part of ``sqlite3.Connection`` they use:
``execute``/``executemany`` returning a cursor, ``cursor()``, rows readable by position
and by column name, ``in_transaction``. ``PgConnection`` offers the same on PostgreSQL,
so one repository serves both engines:

- each thread has a ``PgConnection``; it holds a server connection from the pool only
  while a statement or a transaction runs, so a process with many threads needs few;
- results are read whole before the server connection goes back (a cursor never
  outlives its statement's connection);
- errors come out as the DB-API classes of ``sqlite3`` (``IntegrityError`` for a
  constraint or a guard trigger, ``OperationalError``…), so callers catch one family;
- whole numbers and floats come back as ``int`` and ``float`` (never ``Decimal``),
  booleans as 0/1, dates bound as ISO text, as with SQLite.

Transactions give the same answers as SQLite's ``BEGIN IMMEDIATE``: every write
transaction first takes one advisory lock of the database (``WRITER_LOCK``), so the
writers of every node follow one another, readers never wait, and nothing a
transaction read can be changed by another writer before it commits. That keeps the
audit chain's ``seq``/``prev_hash`` gapless and linear, the disposal re-check true at
commit, and the change feed in commit order. A write outside ``atomic()`` is wrapped in
such a transaction too, as SQLite does. Unlike SQLite, a failed statement spoils the
rest of its transaction: catch a failure inside a nested ``atomic()`` (a savepoint).
"""

from __future__ import annotations

import datetime
import functools
import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, ClassVar, cast
from urllib.parse import urlsplit

import psycopg
import psycopg.adapt
import psycopg.rows
from psycopg_pool import ConnectionPool, PoolTimeout

from storage.database import Database
from storage.dialect import POSTGRES, POSTGRES_PRELUDE, split_statements, translate
from storage.errors import StorageError
from storage.migrations import apply_migrations
from storage.records_repo import ERASED_TABLES

log = logging.getLogger(__name__)

# One lock for all writers of the database (a 64-bit key: "archive" in ASCII).
WRITER_LOCK = 0x61726368697665
_CONNECT_TIMEOUT_S = 30.0
_READ_ONLY = ("SELECT", "WITH", "EXPLAIN", "SHOW", "VALUES", "TABLE")


class IntegrityError(sqlite3.IntegrityError):
    """A constraint or a guard trigger refused a change (PostgreSQL)."""


class OperationalError(sqlite3.OperationalError):
    """A statement could not run: bad SQL, a missing table, the server gone (PostgreSQL)."""


class DataError(sqlite3.DataError):
    """A value did not fit its column (PostgreSQL)."""


class DatabaseError(sqlite3.DatabaseError):
    """Any other error of the PostgreSQL server."""


def _translated_error(exc: psycopg.Error) -> sqlite3.Error:
    message = (exc.diag.message_primary if exc.diag else None) or str(exc).strip()
    if isinstance(exc, psycopg.IntegrityError):
        return IntegrityError(message)
    if isinstance(exc, psycopg.DataError):
        return DataError(message)
    if isinstance(exc, (psycopg.OperationalError, psycopg.ProgrammingError)):
        return OperationalError(message)  # as SQLite reports a statement it cannot run
    return DatabaseError(message)


class _NumericLoader(psycopg.adapt.Loader):
    """NUMERIC (a sum, an average) as SQLite gives it: an int when whole, else a float."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() and abs(value) < 2**63 else float(value)


class _BoolLoader(psycopg.adapt.Loader):
    def load(self, data: Any) -> int:
        return 1 if bytes(data) == b"t" else 0


def _configure(conn: psycopg.Connection) -> None:
    conn.adapters.register_loader("numeric", _NumericLoader)
    conn.adapters.register_loader("bool", _BoolLoader)


class Row(tuple):
    """A result row readable by position and by column name (any case), like ``sqlite3.Row``."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}
    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key.lower()])
            except KeyError:
                raise IndexError("No item with that key") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@functools.lru_cache(maxsize=2048)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index: dict[str, int] = {}
    for number, name in enumerate(names):
        index.setdefault(name.lower(), number)
    return type("Row", (Row,), {"__slots__": (), "_index": index, "_names": names})


def _rows(cursor: Any) -> Any:
    return _row_class(tuple(column.name for column in cursor.description or ()))


def _value(value: Any) -> Any:
    # What sqlite3 stores for these: 0/1, and its default adapters' ISO text.
    if type(value) is bool:
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _arguments(style: str, parameters: Any) -> Any:
    if style == "none":
        return None
    if style == "named":
        return {key: _value(value) for key, value in cast(Mapping[str, Any], parameters).items()}
    if style == "numbered":
        return {f"_{number}": _value(value) for number, value in enumerate(parameters, start=1)}
    return tuple(_value(value) for value in parameters)


def _writes(sql: str) -> bool:
    return not sql.lstrip().lstrip("(").upper().startswith(_READ_ONLY)


class _Result:
    __slots__ = ("description", "rowcount", "rows")

    def __init__(self, rows: list, rowcount: int, description: Any) -> None:
        self.rows, self.rowcount, self.description = rows, rowcount, description


def _execute(raw: psycopg.Connection, sql: str, parameters: Any, plain: bool, many: bool = False) -> _Result:
    translated = translate(sql, bool(parameters) if not many else True)
    try:
        with raw.cursor(row_factory=psycopg.rows.tuple_row if plain else _rows) as cursor:
            if many:
                batch = [_arguments(translated.style, one) for one in parameters]
                if not batch:
                    return _Result([], 0, None)
                cursor.executemany(translated.sql, batch)
                return _Result([], cursor.rowcount, None)
            cursor.execute(translated.sql, _arguments(translated.style, parameters))
            rows = cursor.fetchall() if cursor.description is not None else []
            return _Result(rows, cursor.rowcount, cursor.description)
    except psycopg.Error as exc:
        raise _translated_error(exc) from exc


class PgCursor:
    """A cursor over a statement's whole result, with ``sqlite3.Cursor``'s reading methods."""

    arraysize = 1

    def __init__(self, conn: "PgConnection") -> None:
        self._conn = conn
        self._rows: list = []
        self._at = 0
        self.rowcount = -1
        self.description: Any = None
        # None gives plain tuples, as it does for a sqlite3 cursor.
        self.row_factory: Any = Row

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ()) -> "PgCursor":
        self._load(self._conn._run(sql, parameters, plain=self.row_factory is None))
        return self

    def executemany(self, sql: str, seq_of_parameters: Any) -> "PgCursor":
        self._load(self._conn._run(sql, list(seq_of_parameters), plain=True, many=True))
        return self

    def _load(self, result: _Result) -> None:
        self._rows, self._at = result.rows, 0
        self.rowcount, self.description = result.rowcount, result.description

    def fetchone(self) -> Any:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchmany(self, size: int | None = None) -> list:
        end = self._at + (size or self.arraysize)
        chunk, self._at = self._rows[self._at : end], min(end, len(self._rows))
        return chunk

    def fetchall(self) -> list:
        rest, self._at = self._rows[self._at :], len(self._rows)
        return rest

    def __iter__(self) -> Iterator[Any]:
        while self._at < len(self._rows):
            yield self.fetchone()

    @property
    def lastrowid(self) -> int:
        raise sqlite3.NotSupportedError("PostgreSQL has no lastrowid: write INSERT … RETURNING id.")

    def close(self) -> None:
        self._rows = []


class PgConnection:
    """One thread's connection: a server connection is held only during a statement or a transaction."""

    dialect = POSTGRES

    def __init__(self, db: "PostgresDatabase") -> None:
        self._db = db
        self._held: psycopg.Connection | None = None

    @property
    def in_transaction(self) -> bool:
        return self._held is not None

    @property
    def driver_connection(self) -> psycopg.Connection:
        """The psycopg connection of the open transaction (for work that must commit with it)."""
        if self._held is None:
            raise RuntimeError("No transaction is open on this connection.")
        return self._held

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ()) -> PgCursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any) -> PgCursor:
        return self.cursor().executemany(sql, seq_of_parameters)

    def _run(self, sql: str, parameters: Any, plain: bool, many: bool = False) -> _Result:
        if self._held is not None:
            return _execute(self._held, sql, parameters, plain, many)
        with self._db.pool.connection() as raw:
            if not _writes(sql):
                return _execute(raw, sql, parameters, plain, many)
            try:
                with raw.transaction():
                    raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
                    return _execute(raw, sql, parameters, plain, many)
            except psycopg.Error as exc:  # the COMMIT itself
                raise _translated_error(exc) from exc


class PostgresDatabase(Database):
    """The archive's database on a PostgreSQL server, opened from a ``postgresql://`` URL."""

    dialect = POSTGRES

    def __init__(self, url: str, pool_size: int = 10) -> None:
        """Name the server and database; nothing connects until ``open``."""
        super().__init__(url)
        self.url = url
        self._pool_size = max(2, pool_size)
        self._pool: ConnectionPool | None = None
        self._pg_local = threading.local()

    @classmethod
    def open(cls, path: Any, pool_size: int = 10) -> "PostgresDatabase":
        """Connect to the database at URL ``path`` and bring its schema up to date.

        Raises StorageError when the server cannot be reached, MigrationError when a
        migration fails (the database is then left as it was).
        """
        db = cls(str(path), pool_size)
        db._start()
        try:
            with db.atomic() as conn:
                for statement in split_statements(POSTGRES_PRELUDE):
                    conn.execute(statement)
                apply_migrations(conn)
        except BaseException:
            db.close()
            raise
        return db

    def _start(self) -> None:
        self._pool = ConnectionPool(
            self.url,
            min_size=1,
            max_size=self._pool_size,
            kwargs={"autocommit": True},
            configure=_configure,
            timeout=_CONNECT_TIMEOUT_S,
            name="archive",
            open=True,
        )
        try:
            self._pool.wait(timeout=_CONNECT_TIMEOUT_S)
        except PoolTimeout as exc:
            self.close()
            raise StorageError(
                "database.unreachable",
                "The database server {server} does not answer; check that it runs and that [database] url is right.",
                server=describe(self.url),
            ) from exc

    @property
    def pool(self) -> ConnectionPool:
        if self._pool is None:
            raise StorageError("database.closed", "The database is closed.")
        return self._pool

    def read(self) -> sqlite3.Connection:
        """Return this thread's connection (it offers what the repositories use of sqlite3's)."""
        conn = getattr(self._pg_local, "conn", None)
        if conn is None:
            conn = PgConnection(self)
            self._pg_local.conn = conn
        return cast(sqlite3.Connection, conn)

    @contextmanager
    def atomic(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction behind the writer lock; nested blocks are savepoints."""
        conn = cast(PgConnection, self.read())
        if conn._held is not None:
            try:
                with conn._held.transaction():  # a savepoint
                    yield cast(sqlite3.Connection, conn)
            except psycopg.Error as exc:
                raise _translated_error(exc) from exc
            return
        with self.pool.connection() as raw:
            conn._held = raw
            try:
                with raw.transaction():
                    raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
                    if not durable:
                        raw.execute("SET LOCAL synchronous_commit = off")
                    yield cast(sqlite3.Connection, conn)
            except psycopg.Error as exc:  # the lock, or the COMMIT itself
                self._local.after_commit = []
                raise _translated_error(exc) from exc
            except BaseException:
                self._local.after_commit = []
                raise
            finally:
                conn._held = None
        self._run_after_commit()

    def truncate_wal(self) -> bool:
        """Vacuum the tables a disposal empties, so the dead rows holding destroyed text leave them.

        The server's own write-ahead log and its data directory are the server's: they are
        recycled by it, and kept private by whoever runs it. A vacuum that cannot run now
        (another transaction holds a lock) is tried again with the daily duties (false).
        """
        try:
            with self.pool.connection() as raw:
                raw.execute("VACUUM " + ", ".join(ERASED_TABLES))
        except psycopg.Error:
            log.warning("Vacuuming after a disposal failed; it is tried again later.", exc_info=True)
            return False
        return True

    def close(self) -> None:
        """Close the pool and every server connection in it."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self._pg_local = threading.local()


def describe(url: str) -> str:
    """Return a database URL as it may be shown: host, port and database, never a password."""
    parts = urlsplit(url)
    where = parts.hostname or "localhost"
    return f"{where}:{parts.port or 5432}{parts.path or ''}"
