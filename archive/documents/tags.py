"""Tags on documents: set and removed by clerks, one audit entry each, the index following.

A tag is a short word or phrase in lower case ("urgent", "wacht op handtekening");
commas separate tags in the index, so a tag has none; nor a BSN, which every role would read.
"""

from __future__ import annotations

from collections.abc import Iterable

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.clock import iso
from archive.core import Core
from archive.documents.index import DocumentIndex
from archive.errors import Conflict, InvalidInput, NotFound
from ingest.values import find_bsns
from storage import desk_repo
from storage import documents_repo as repo

TAG_CHARS = 40


def normalise_tag(text: str) -> str:
    """Return a tag as stored: lower case, single spaces; raise InvalidInput when it cannot be one."""
    tag = " ".join((text or "").lower().split())
    if not tag:
        raise InvalidInput("tag.empty", "Type a tag, such as urgent.")
    if find_bsns(tag):
        # Every role reads tags in full, in lists and links; a note shows a BSN masked.
        raise InvalidInput(
            "tag.bsn", "A tag cannot hold a BSN: everyone reads tags in full. Write it in a note, where it is masked."
        )
    if "," in tag or ":" in tag:
        raise InvalidInput("tag.punctuation", "A tag cannot hold a comma or a colon: '{tag}'.", tag=tag)
    if len(tag) > TAG_CHARS:
        raise InvalidInput("tag.too_long", "A tag can be at most {count} characters.", count=TAG_CHARS)
    return tag


class DocumentTags:
    """Adds and removes tags of one archive's documents, audited, and keeps the index in line."""

    def __init__(self, core: Core, index: DocumentIndex) -> None:
        self._core = core
        self._index = index

    def add(self, document_id: int, text: str, actor: Actor) -> str:
        """Tag a filed document; return the tag as stored. Raises InvalidInput, NotFound, Conflict."""
        tag = normalise_tag(text)
        with self._core.db.atomic() as conn:
            self.add_in(conn, document_id, tag, actor)
        self._index.reindex_documents([document_id])
        return tag

    def remove(self, document_id: int, text: str, actor: Actor) -> None:
        """Take a tag off a document (nothing happens when it has none such)."""
        with self._core.db.atomic() as conn:
            self.remove_in(conn, document_id, " ".join((text or "").lower().split()), actor)
        self._index.reindex_documents([document_id])

    def remove_in(self, conn, document_id: int, tag: str, actor: Actor) -> bool:
        """Take a tag off one document inside the caller's transaction; return whether it had it."""
        require(actor, Permission.TAG)
        row = self._filed(conn, document_id)
        if not desk_repo.remove_tag(conn, document_id, tag):
            return False
        self._core.audit.record(actor, "tag_remove", document_id, client_id=row["client_id"], details={"tag": tag})
        return True

    def add_in(self, conn, document_id: int, tag: str, actor: Actor) -> bool:
        """Tag one document inside the caller's transaction (bulk actions); return whether it was new."""
        require(actor, Permission.TAG)
        row = self._filed(conn, document_id)
        if not desk_repo.add_tag(conn, document_id, tag, actor.name, iso(self._core.clock.now())):
            return False
        self._core.audit.record(actor, "tag_add", document_id, client_id=row["client_id"], details={"tag": tag})
        return True

    def for_document(self, document_id: int) -> list[str]:
        return desk_repo.tags_of(self._core.db.read(), document_id)

    def suggestions(self, prefix: str = "", limit: int = 20) -> list[tuple[str, int]]:
        """Return tags in use starting with ``prefix``, most used first, with their counts."""
        return desk_repo.tag_counts(self._core.db.read(), " ".join(prefix.lower().split()), limit)

    def all_tags(self, document_ids: Iterable[int]) -> dict[int, list[str]]:
        conn = self._core.db.read()
        return {document_id: desk_repo.tags_of(conn, document_id) for document_id in document_ids}

    @staticmethod
    def _filed(conn, document_id: int):
        row = repo.get_document(conn, document_id)
        if row is None:
            raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
        if row["state"] != "filed":
            raise Conflict("tag.not_filed", "Document {id} is not filed; it cannot be tagged.", id=document_id)
        return row
