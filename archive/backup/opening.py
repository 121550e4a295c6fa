"""A home opened for a backup alone: its database, audit trail, checkpoints and users.

`archive backup` runs while the front desk works, and daily from `archive run`; opening
the whole archive first (its search index, the readers of PDFs, scans and e-mail) would
cost seconds of CPU before the first byte is copied, and on a busy two-core machine
that is most of a backup of a small office. A backup needs only what it copies from
and records in.
"""

from __future__ import annotations

from archive.access.actors import Actor
from archive.access.users import UserService
from archive.audit.checkpointing import Checkpointer
from archive.audit.seals import SealKey
from archive.audit.trail import AuditTrail
from archive.backup.service import BackupService
from archive.clock import SystemClock
from archive.config import Config
from archive.core import Core, open_database, require_home
from storage.filestore import FileStore


class BackupHome:
    """One home, opened for backing it up; close it (or use ``with``)."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.users = UserService(core.db, core.clock, core.config.web, core.audit)
        config = core.config
        self._checkpointer = Checkpointer(core.db, core.clock, config.records, config.audit, config.home, core.audit)

    @classmethod
    def open(cls, config: Config) -> "BackupHome":
        """Open the home at ``config.home``; raise NotFound when there is no archive there."""
        require_home(config)
        db = open_database(config)
        clock = SystemClock()
        try:
            seal_key = SealKey.load_or_create(config.home / config.audit.seal_key_file)
            trail = AuditTrail(db, clock, seal_key, config.home / config.audit.head_file)
            home = cls(Core(config, db, FileStore(config.store_path), trail, clock))
            home._checkpointer.adopt(new_home=False)  # as opening the archive does: keys pinned, series begun
        except BaseException:
            db.close()
            raise
        return home

    def backups(self) -> BackupService:
        """Return this home's backups; the chain's head is signed before each (when a day old)."""
        return BackupService(self.core, sign_head=lambda: self._checkpointer.checkpoint_if_due(self.core.clock.now()))

    def actor_named(self, name: str) -> Actor:
        """Return the archive user with this name as an Actor; raise NotFound."""
        return self.users.actor(name)

    def close(self) -> None:
        self.core.db.close()

    def __enter__(self) -> "BackupHome":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
