"""What every sub-service of one open archive shares: settings, database, store, trail, clock.

Sub-services get this small object (and the few collaborators they use), never the
whole ``Archive``: each can then be read, built and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.audit.trail import AuditTrail
from archive.clock import Clock
from archive.config import Config
from storage.database import Database
from storage.filestore import FileStore


@dataclass(frozen=True)
class Core:
    """One archive home, opened: its configuration, database, file store, audit trail and clock."""

    config: Config
    db: Database
    store: FileStore
    audit: AuditTrail
    clock: Clock
