"""The client registry as the rest of the archive uses it.

Interface relied on by ``archive.service``: ``ClientService(db, settings)``,
``registry()`` (an ``ingest.facts.ClientRegistry``, cached), ``classifier()``
(the learned document-type classifier or None) and ``get(client_id)``.
"""

from __future__ import annotations

from ingest.facts import ClientRecord, ClientRegistry
from ingest.facts.settings import ExtractionSettings
from storage.database import Database


class ClientService:
    """Clients of the practice: lookup for extraction, filing and the web pages."""

    def __init__(self, db: Database, settings: ExtractionSettings) -> None:
        self._db = db
        self._settings = settings
        self._registry: ClientRegistry | None = None

    def registry(self) -> ClientRegistry:
        """Return the registry used by extraction (built once, rebuilt after changes)."""
        if self._registry is None:
            self._registry = ClientRegistry([])
        return self._registry

    def classifier(self):
        """Return the document-type classifier learned from clerks' corrections, if any."""
        return None

    def get(self, client_id: str) -> ClientRecord | None:
        """Return one client, or None."""
        return None
