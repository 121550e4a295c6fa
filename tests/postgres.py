"""A real PostgreSQL server for tests: Debian's initdb and pg_ctl on a throw-away folder.

The server listens on 127.0.0.1 on a free port, its socket in its own folder; nothing
of the machine's own PostgreSQL set-up is read or written. As root the server runs as
the ``postgres`` user (initdb refuses root). Each test gets a fresh database copied
from a template that has every migration applied, which takes milliseconds.

fsync is off: these servers hold throw-away test data, and a test run on a busy
machine must not wait for the disk; ``bench/scale.py`` measures a server with it on.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "archive"
_TEMPLATE = "archive_template"


def postgres_bin() -> Path | None:
    """Return the folder of the newest installed PostgreSQL server programs, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("pg_ctl")
    return Path(which).resolve().parent if which else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One running server; ``new_database()`` hands out fresh databases."""

    def __init__(self, fsync: bool = False) -> None:
        bindir = postgres_bin()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed (Debian package postgresql; `make install`).")
        self._bin = bindir
        self._fsync = fsync
        self._counter = itertools.count(1)
        self.root = Path(tempfile.mkdtemp(prefix="archive-pg-"))
        self.port = free_port()
        self._owner = _server_user()
        if self._owner is not None:
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
        self.data = self.root / "data"
        self._started = False

    def start(self) -> "PostgresServer":
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c max_connections=200 -c shared_buffers=32MB"
        )
        if not self._fsync:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        self._started = True
        return self

    def stop(self) -> None:
        if self._started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)

    def prepare_template(self) -> None:
        """Make the template database every test database is copied from: all migrations applied."""
        from storage.engines import open_database

        self.execute(f"CREATE DATABASE {_TEMPLATE}")
        open_database(self.url(_TEMPLATE)).close()

    def new_database(self, migrated: bool = True) -> str:
        """Create a fresh database (a copy of the migrated template, or empty); return its URL."""
        name = f"test_{os.getpid()}_{next(self._counter)}"
        template = f" TEMPLATE {_TEMPLATE}" if migrated else ""
        for attempt in range(50):
            try:
                self.execute(f"CREATE DATABASE {name}{template}")
                break
            except Exception as exc:  # the template is briefly in use by another copy
                if "being accessed by other users" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.05)
        return self.url(name)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        kwargs: dict = {}
        if self._owner is not None:
            kwargs = {"user": self._owner.pw_uid, "group": self._owner.pw_gid, "extra_groups": []}
        result = subprocess.run(
            [str(self._bin / program), *args], capture_output=True, text=True, timeout=120, cwd=self.root, **kwargs
        )
        if check and result.returncode != 0:
            log = (
                (self.root / "server.log").read_text(errors="replace")[-2000:]
                if (self.root / "server.log").exists()
                else ""
            )
            raise RuntimeError(f"{program} failed: {result.stderr or result.stdout}\n{log}")


def _server_user() -> pwd.struct_passwd | None:
    """The user the server runs as: postgres when we are root (initdb refuses root), else ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError as exc:
        raise RuntimeError("Running as root, the tests need the 'postgres' user (Debian package postgresql).") from exc
