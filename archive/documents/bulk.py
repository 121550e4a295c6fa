"""Changing many documents at once: a client, type, date or tag set (or a tag taken off), or a hold.

All of it is one transaction (each document's change its own savepoint and audit
entry, as when changed one by one) and one index commit at the end: 500 documents
take seconds, not the minutes 500 separate commits would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.core import Core
from archive.documents.fact_edits import FactEditor, refuse_date_after_today
from archive.documents.index import DocumentIndex
from archive.documents.tags import DocumentTags, normalise_tag
from archive.errors import InvalidInput
from archive.records.legal_holds import LegalHolds

# Action -> the fact it sets (None: not a fact).
ACTIONS = {
    "client": "client_id",
    "type": "document_type",
    "date": "document_date",
    "tag": None,
    "untag": None,
    "hold": None,
}
# The actions a clerk's tag permission covers.
TAG_ACTIONS = ("tag", "untag")
MAX_DOCUMENTS = 5000
# A change to more documents than this is asked again, with the count, before it is made:
# "all results" ticked in a hurry must not retag five hundred documents unseen.
CONFIRM_ABOVE = 10


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: how many documents were selected and how many it changed."""

    action: str
    selected: int
    changed: int


class BulkEditor:
    """Applies one action to many documents of one archive."""

    def __init__(
        self, core: Core, facts: FactEditor, tags: DocumentTags, holds: LegalHolds, index: DocumentIndex
    ) -> None:
        self._core = core
        self._facts = facts
        self._tags = tags
        self._holds = holds
        self._index = index

    def apply(self, document_ids: Sequence[int], action: str, value: str, actor: Actor) -> BulkResult:
        """Apply ``action`` with ``value`` to every document; all or nothing. Raises InvalidInput and the rest."""
        ids = sorted({int(i) for i in document_ids})
        if action not in ACTIONS:
            raise InvalidInput("bulk.unknown_action", "Choose what to change: client, type, date, tag or hold.")
        if not ids:
            raise InvalidInput("bulk.nothing_selected", "Select one or more documents first.")
        if len(ids) > MAX_DOCUMENTS:
            raise InvalidInput(
                "bulk.too_many", "At most {count} documents can be changed at once.", count=MAX_DOCUMENTS
            )
        require(
            actor,
            Permission.HOLD if action == "hold" else Permission.TAG if action in TAG_ACTIONS else Permission.EDIT_FACTS,
        )
        changed = 0
        with self._core.db.atomic() as conn:
            if action == "hold":
                for document_id in ids:
                    self._holds.place(actor, value, document_id=document_id)
                changed = len(ids)
            elif action in TAG_ACTIONS:
                tag = normalise_tag(value)
                change = self._tags.add_in if action == "tag" else self._tags.remove_in
                changed = sum(change(conn, document_id, tag, actor) for document_id in ids)
            else:
                fact = ACTIONS[action]
                assert fact is not None
                stored = self._facts.normalise(fact, value)  # one clear error before anything changes
                if stored is None:
                    raise InvalidInput("bulk.no_value", "Type the value to set.")
                if fact == "document_date":
                    _refuse_date_after_today(stored, self._core.clock.now().date())
                for document_id in ids:
                    changed += bool(self._facts.update(document_id, {fact: value}, actor, confirm=False, reindex=False))
        self._index.reindex_documents(ids)
        return BulkResult(action, len(ids), changed)


def _refuse_date_after_today(stored: str, today: date) -> None:
    # The document page asks whether such a date is right; a change of many documents at
    # once has no one to ask per document, so it is refused with where to set it instead.
    try:
        refuse_date_after_today(stored, today)
    except InvalidInput as exc:
        raise InvalidInput(
            "bulk.date_after_today",
            "{date} is after today ({today}): type the date again. A date after today is set on"
            " each document's own page.",
            **exc.values,
        ) from exc
