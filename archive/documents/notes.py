"""Notes on documents: who wrote what and when, editable by their writer, every change audited.

Notes are searched: their words are in the index (plain words and ``note:``), so a
receptionist finds "belde over betalingsregeling" again.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.clock import iso
from archive.core import Core
from archive.documents.index import DocumentIndex
from archive.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from storage import desk_repo
from storage import documents_repo as repo

NOTE_CHARS = 4000


@dataclass(frozen=True)
class Note:
    """One note as a page shows it."""

    id: int
    document_id: int
    author: str
    text: str
    created_at: str
    updated_at: str

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at


def _text(text: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput("note.empty", "Type the note first.")
    if len(cleaned) > NOTE_CHARS:
        raise InvalidInput("note.too_long", "A note can be at most {count} characters.", count=NOTE_CHARS)
    return cleaned


class DocumentNotes:
    """Writes and reads the notes on one archive's documents."""

    def __init__(self, core: Core, index: DocumentIndex) -> None:
        self._core = core
        self._index = index

    def add(self, document_id: int, text: str, actor: Actor) -> Note:
        """Write a note on a filed document; raise InvalidInput, NotFound, Conflict."""
        require(actor, Permission.WRITE_NOTES)
        cleaned = _text(text)
        now = iso(self._core.clock.now())
        with self._core.db.atomic() as conn:
            row = _filed(conn, document_id)
            note_id = desk_repo.add_note(conn, document_id, actor.name, cleaned, now)
            self._core.audit.record(
                actor, "note_add", document_id, client_id=row["client_id"], details={"note": note_id, "text": cleaned}
            )
        self._index.reindex_documents([document_id])
        return Note(note_id, document_id, actor.name, cleaned, now, now)

    def edit(self, note_id: int, text: str, actor: Actor) -> Note:
        """Change a note; only its writer may. Raises PermissionDenied, NotFound, InvalidInput."""
        require(actor, Permission.WRITE_NOTES)
        cleaned = _text(text)
        now = iso(self._core.clock.now())
        with self._core.db.atomic() as conn:
            note = desk_repo.get_note(conn, note_id)
            if note is None:
                raise NotFound("note.not_found", "There is no note {id}.", id=note_id)
            if note["author"] != actor.name:
                raise PermissionDenied("note.not_yours", "Only {author} can change this note.", author=note["author"])
            row = _filed(conn, note["document_id"])
            if cleaned == note["text"]:
                return _note(note)
            desk_repo.update_note(conn, note_id, cleaned, now)
            self._core.audit.record(
                actor,
                "note_edit",
                note["document_id"],
                client_id=row["client_id"],
                details={"note": note_id, "before": note["text"], "after": cleaned},
            )
        self._index.reindex_documents([note["document_id"]])
        return Note(note_id, note["document_id"], note["author"], cleaned, note["created_at"], now)

    def for_document(self, document_id: int) -> list[Note]:
        return [_note(row) for row in desk_repo.notes_of(self._core.db.read(), document_id)]


def _note(row) -> Note:
    return Note(row["id"], row["document_id"], row["author"], row["text"], row["created_at"], row["updated_at"])


def _filed(conn, document_id: int):
    row = repo.get_document(conn, document_id)
    if row is None:
        raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
    if row["state"] != "filed":
        raise Conflict("note.not_filed", "Document {id} is not filed; notes cannot be written on it.", id=document_id)
    return row
