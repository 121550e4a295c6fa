"""One inbox watcher at a time among several nodes: a lease in the shared database.

The node that holds the lease watches and files the inbox; it renews the lease every
third of its length. Another node's watcher waits, trying now and then, and takes over
once the lease has expired (its holder stopped, or lost its machine) — so no file is
ever filed by two watchers at once, and the inbox is never left unwatched for longer
than the lease.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta

from archive.clock import Clock, iso
from storage import nodes_repo
from storage.database import Database

log = logging.getLogger(__name__)

INBOX = "inbox-watcher"


def this_node() -> str:
    """A name for this process that other nodes can read: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Lease:
    """Lease ``name`` in the database, for ``holder``, ``seconds`` long."""

    def __init__(
        self, db: Database, clock: Clock, name: str = INBOX, holder: str | None = None, seconds: float = 30.0
    ) -> None:
        self._db = db
        self._clock = clock
        self.name = name
        self.holder = holder or this_node()
        self._seconds = seconds
        self._renewing: threading.Thread | None = None
        self._stop = threading.Event()

    def take(self) -> bool:
        """Take (or renew) the lease now; return whether this holder has it."""
        now = self._clock.now()
        with self._db.atomic() as conn:
            return nodes_repo.take_lease(
                conn, self.name, self.holder, iso(now), iso(now + timedelta(seconds=self._seconds))
            )

    def holder_now(self) -> str | None:
        """Who holds the lease, if anyone does and it has not expired."""
        held = nodes_repo.lease_holder(self._db.read(), self.name)
        return held[0] if held and held[1] > iso(self._clock.now()) else None

    def wait(self, stop: threading.Event) -> bool:
        """Wait until the lease is taken (True) or ``stop`` is set (False)."""
        said = False
        while not stop.is_set():
            if self.take():
                log.info("Lease %s taken by %s.", self.name, self.holder)
                return True
            if not said:
                log.warning("Another node (%s) watches the inbox; this one waits to take over.", self.holder_now())
                said = True
            stop.wait(self._seconds / 3)
        return False

    def keep(self, on_lost: Callable[[], None]) -> None:
        """Renew the lease in a thread every third of its length; call ``on_lost`` if another node got it."""

        def renew() -> None:
            while not self._stop.wait(self._seconds / 3):
                try:
                    held = self.take()
                except Exception:  # the database is away for a moment: the lease may still be ours
                    log.exception("The lease %s could not be renewed", self.name)
                    continue
                if not held:
                    log.error("Lease %s was taken by another node; this one stops filing.", self.name)
                    on_lost()
                    return

        self._renewing = threading.Thread(target=renew, name=f"lease-{self.name}", daemon=True)
        self._renewing.start()

    def release(self) -> None:
        """Stop renewing and give the lease up, so another node takes over at once."""
        self._stop.set()
        if self._renewing is not None:
            self._renewing.join(timeout=10)
        try:
            with self._db.atomic() as conn:
                nodes_repo.release_lease(conn, self.name, self.holder)
        except Exception:  # it expires by itself
            log.exception("The lease %s could not be given up", self.name)
