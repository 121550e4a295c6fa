"""What a restore needs of the archive it opens on the new home (the Archive fits; tests may pass it)."""

from __future__ import annotations

from typing import Any, Protocol

from archive.access.actors import Actor
from archive.audit.trail import AuditTrail
from archive.clock import Clock
from storage.database import Database


class Disposals(Protocol):
    def finish_pending(self) -> None:
        """Remove the bytes of disposed documents and write their certificate of destruction."""


class HomeRecords(Protocol):
    @property
    def disposer(self) -> Disposals: ...

    def checkpoint(self) -> object:
        """Sign the audit chain's head now."""

    @property
    def checkpointer(self) -> KeyRenewal: ...


class KeyRenewal(Protocol):
    def renew_key(self, reason: str) -> object:
        """Sign on with a new checkpoint key, named in the audit trail (the old public key is retired)."""


class RestoredHome(Protocol):
    """An archive opened on a restored home."""

    @property
    def db(self) -> Database: ...

    @property
    def audit(self) -> AuditTrail: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def records(self) -> HomeRecords: ...

    def verify_all(self, actor: Actor) -> dict[str, Any]:
        """Check fixity, the audit chain and the checkpoints; ``ok`` false on any problem."""

    def __enter__(self) -> "RestoredHome": ...

    def __exit__(self, *exc_info: object) -> None: ...
