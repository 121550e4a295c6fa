"""Searches saved under a name: a person's own, or shared with everyone of a role.

Saving and deleting are audited; the count shown beside a saved search on the start
page is taken from the index without a search entry per search, as it shows no
document.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.access.actors import ROLES, Actor
from archive.access.permissions import Permission, require
from archive.clock import iso
from archive.core import Core
from archive.errors import InvalidInput, NotFound, PermissionDenied
from storage import desk_repo

NAME_CHARS = 80
QUERY_CHARS = 1000


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str
    owner: str
    shared_role: str | None


class SavedSearches:
    """The saved searches of one archive."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def save(self, name: str, query: str, actor: Actor, shared_role: str | None = None) -> SavedSearch:
        """Save a query under a name, for the actor or a role; raise InvalidInput."""
        require(actor, Permission.SEARCH)
        name, query = " ".join((name or "").split()), (query or "").strip()
        if not name:
            raise InvalidInput("saved.no_name", "Give the search a name, such as Open invoices.")
        if len(name) > NAME_CHARS:
            raise InvalidInput("saved.name_too_long", "A name can be at most {count} characters.", count=NAME_CHARS)
        if not query or len(query) > QUERY_CHARS:
            raise InvalidInput("saved.no_query", "There is no search to save: search first, then save it.")
        role = shared_role or None
        if role is not None and role not in ROLES:
            raise InvalidInput("saved.unknown_role", "There is no role '{role}'.", role=role)
        with self._core.db.atomic() as conn:
            search_id = desk_repo.add_saved_search(conn, name, query, actor.name, role, iso(self._core.clock.now()))
            self._core.audit.record(
                actor, "saved_search_add", details={"id": search_id, "name": name, "query": query, "shared_role": role}
            )
        return SavedSearch(search_id, name, query, actor.name, role)

    def for_actor(self, actor: Actor) -> list[SavedSearch]:
        """Return the actor's own saved searches and those shared with their role."""
        rows = desk_repo.saved_searches_for(self._core.db.read(), actor.name, actor.role)
        return [_saved(row) for row in rows]

    def get(self, search_id: int, actor: Actor) -> SavedSearch:
        """Return one saved search the actor may use; raise NotFound."""
        row = desk_repo.get_saved_search(self._core.db.read(), search_id)
        if row is None or (row["owner"] != actor.name and row["shared_role"] != actor.role):
            raise NotFound("saved.not_found", "There is no saved search {id}.", id=search_id)
        return _saved(row)

    def delete(self, search_id: int, actor: Actor) -> None:
        """Delete a saved search; only its owner may. Raises NotFound, PermissionDenied."""
        saved = self.get(search_id, actor)
        if saved.owner != actor.name:
            raise PermissionDenied("saved.not_yours", "Only {owner} can delete this saved search.", owner=saved.owner)
        with self._core.db.atomic() as conn:
            desk_repo.delete_saved_search(conn, search_id)
            self._core.audit.record(actor, "saved_search_delete", details={"id": search_id, "name": saved.name})


def _saved(row) -> SavedSearch:
    return SavedSearch(row["id"], row["name"], row["query"], row["owner"], row["shared_role"])
