"""What every sub-service of one open archive shares: settings, database, store, trail, clock.

Sub-services get this small object (and the few collaborators they use), never the
whole ``Archive``: each can then be read, built and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.audit.trail import AuditTrail
from archive.clock import Clock
from archive.config import Config
from archive.errors import NotFound
from storage.database import Database
from storage.engines import open_database as open_target
from storage.filestore import FileStore


def archive_exists(config: Config) -> bool:
    """Whether an archive was made at this home (on a server: whether its home folder exists)."""
    return config.home.is_dir() if config.on_server else config.database_path.exists()


def require_home(config: Config) -> None:
    """Raise NotFound, saying how to make one, when there is no archive at ``config.home``."""
    if not archive_exists(config):
        raise NotFound(
            "home.not_found",
            "There is no archive in {home}. Create one with: archive --home {home} init",
            home=config.home,
        )


def open_database(config: Config) -> Database:
    """Open the home's database (SQLite file or PostgreSQL server), its schema brought up to date.

    Raises MigrationError or StorageError (a server that does not answer).
    """
    return open_target(config.database_target, config.database.pool_size)


@dataclass(frozen=True)
class Core:
    """One archive home, opened: its configuration, database, file store, audit trail and clock."""

    config: Config
    db: Database
    store: FileStore
    audit: AuditTrail
    clock: Clock
