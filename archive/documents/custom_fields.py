"""Custom fields: defined per document type by an administrator in the configuration, edited like facts.

A value is checked by its field's kind (a date and an amount by the archive's one rule
for each, a choice against its list), each change is an audit entry with before and
after, and the index follows: ``name:value`` finds it.
"""

from __future__ import annotations

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.config import CustomField
from archive.core import Core
from archive.documents.index import DocumentIndex
from archive.errors import Conflict, InvalidInput, NotFound
from archive.typed import read_amount, read_date
from storage import desk_repo
from storage import documents_repo as repo

TEXT_CHARS = 200


class CustomFields:
    """The custom field values of one archive's documents."""

    def __init__(self, core: Core, index: DocumentIndex) -> None:
        self._core = core
        self._index = index

    def fields_for(self, document_type: str | None) -> dict[str, CustomField]:
        """Return the custom fields documents of this type have, by name, as configured."""
        return {
            name: custom
            for name, custom in self._core.config.desk.fields.items()
            if not custom.types or document_type in custom.types
        }

    def normalise(self, custom: CustomField, name: str, value: str | None) -> str | None:
        """Return a value checked by its field's kind, in stored form (None: empty); raise InvalidInput."""
        text = " ".join((value or "").split())
        if not text:
            return None
        if custom.kind == "date":
            return read_date(text).isoformat()
        if custom.kind == "amount":
            return read_amount(text)
        if custom.kind == "choice" and text not in custom.choices:
            raise InvalidInput(
                "custom.not_a_choice",
                "'{value}' is not one of the choices of {name}: {choices}.",
                value=text,
                name=name,
                choices=", ".join(custom.choices),
            )
        if len(text) > TEXT_CHARS:
            raise InvalidInput("custom.too_long", "A value can be at most {count} characters.", count=TEXT_CHARS)
        return text

    def update(self, document_id: int, changes: dict[str, str | None], actor: Actor) -> list[str]:
        """Set custom field values of a filed document (each change audited); return the names changed."""
        require(actor, Permission.EDIT_FACTS)
        row = repo.get_document(self._core.db.read(), document_id)
        if row is None:
            raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
        if row["state"] != "filed":
            raise Conflict(
                "custom.not_filed", "Document {id} is not filed; its fields cannot be changed.", id=document_id
            )
        known = self.fields_for(row["document_type"])
        unknown = [name for name in changes if name not in known]
        if unknown:
            raise InvalidInput("custom.unknown", "Documents of this type have no field {name}.", name=unknown[0])
        values = {name: self.normalise(known[name], name, value) for name, value in changes.items()}
        with self._core.db.atomic() as conn:
            before = desk_repo.custom_values_of(conn, document_id)
            changed = [name for name, value in values.items() if before.get(name) != value]
            for name in changed:
                desk_repo.set_custom_value(conn, document_id, name, values[name])
                self._core.audit.record(
                    actor,
                    "change",
                    document_id,
                    client_id=row["client_id"],
                    details={"fact": f"custom.{name}", "before": before.get(name), "after": values[name]},
                )
        if changed:
            self._index.reindex_documents([document_id])
        return changed
