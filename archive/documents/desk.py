"""The daily desk's reading side: what the search box suggests, what was filed and opened lately.

Suggestions name clients, references, document types and tags as a person types; each
carries the query it stands for, so picking one is one step to the results.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.clients import ClientService
from archive.core import Core
from storage import desk_repo

# Fewer letters than this suggest nothing: two letters match half the registry.
MIN_CHARS = 2


@dataclass(frozen=True)
class Suggestion:
    """One line under the search box: what it is, what it says, and the search it opens."""

    kind: str  # client | reference | type | tag
    label: str
    detail: str
    query: str


@dataclass(frozen=True)
class DeskDocument:
    """A document as a short line of a list: title and the facts a person recognises it by."""

    id: int
    title: str
    document_type: str | None
    client_id: str | None
    client_name: str | None
    document_date: str | None
    amount: str | None
    currency: str | None
    at: str | None  # when it was filed, or opened


def _quoted(value: str) -> str:
    return f'"{value}"' if any(ch.isspace() for ch in value) else value


class Desk:
    """Suggestions and recent documents of one archive."""

    def __init__(self, core: Core, clients: ClientService) -> None:
        self._core = core
        self._clients = clients

    def suggestions(self, text: str, actor: Actor, limit: int = 8) -> list[Suggestion]:
        """Return what the typed text may mean: clients, then references, types and tags."""
        require(actor, Permission.SEARCH)
        typed = " ".join(text.split())
        if len(typed) < MIN_CHARS or ":" in typed:
            return []
        found: list[Suggestion] = []
        for client in self._clients.list(typed)[:4]:
            found.append(Suggestion("client", client.name, client.client_id, f"client:{_quoted(client.client_id)}"))
        conn = self._core.db.read()
        for reference, _ in desk_repo.find_references(conn, typed, 3):
            found.append(Suggestion("reference", reference, "", f"ref:{_quoted(reference)}"))
        lowered = typed.lower()
        for name, rule in self._core.config.extraction.types.items():
            words = [w for w in (name, rule.label_nl, rule.label_en, *rule.aliases) if w]
            if any(w.lower().startswith(lowered) for w in words):
                found.append(Suggestion("type", rule.label_nl or name, name, f"type:{name}"))
        for tag, count in desk_repo.tag_counts(conn, lowered, 3):
            found.append(Suggestion("tag", tag, str(count), f"tag:{_quoted(tag)}"))
        return found[:limit]

    def recent(self, actor: Actor, limit: int = 10) -> list[DeskDocument]:
        """Return the documents filed last, newest first."""
        require(actor, Permission.VIEW)
        return [self._line(row, row["filed_at"]) for row in desk_repo.recent_documents(self._core.db.read(), limit)]

    def last_opened(self, actor: Actor, limit: int = 10) -> list[DeskDocument]:
        """Return the documents this person opened last (from the audit trail), most recent first."""
        require(actor, Permission.VIEW)
        rows = desk_repo.last_opened(self._core.db.read(), actor.name, limit)
        return [self._line(row, row["opened_at"]) for row in rows]

    def client_names(self, client_ids) -> dict[str, str]:
        """Return the names of these clients (those that exist), by number."""
        names = {}
        for client_id in client_ids:
            client = self._clients.get(client_id) if client_id else None
            if client is not None:
                names[client_id] = client.name
        return names

    def _line(self, row, at: str | None) -> DeskDocument:
        client = self._clients.get(row["client_id"]) if row["client_id"] else None
        return DeskDocument(
            row["id"],
            row["title"] or row["original_filename"],
            row["document_type"],
            row["client_id"],
            client.name if client else None,
            row["document_date"],
            row["amount"],
            row["currency"],
            at,
        )
