"""A clerk's corrections of a document's facts: validated, audited one by one, re-filed.

Values are checked and normalised here (client exists, type known, a date or an
amount as typed in any form archive.typed reads, valid IBAN/BSN); each changed fact gets its own audit entry with
before and after (a BSN masked), and confirming clears the review flag.
"""

from __future__ import annotations

import json
import re
from datetime import date

from archive.access.actors import Actor
from archive.access.permissions import Permission, mask_bsn, require
from archive.clients import ClientService
from archive.clock import iso
from archive.core import Core
from archive.documents.corrections import record_correction
from archive.documents.index import DocumentIndex
from archive.documents.titles import TITLE_FACTS, follows_facts, title_from_facts
from archive.errors import Conflict, InvalidInput, NotFound
from archive.records.keeping import RetentionDates
from archive.typed import read_amount, read_bsn, read_date, read_iban
from storage import documents_repo as repo

FIELDS = ("client_id", "document_type", "document_date", "amount", "currency", "iban", "reference", "bsn")
# The longest title a person may set.
TITLE_CHARS = 200
# Which review reasons a corrected fact settles.
SETTLES = {
    "client_id": ("no_client", "ambiguous_client", "unsure_client", "client_contradicted"),
    "document_type": ("unsure_type", "no_type"),
    "document_date": ("no_date", "unsure_date"),
    "amount": ("conflicting_totals", "no_amount", "unsure_amount"),
}


def _identifier(name: str, value: str) -> str:
    if name == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", value):
            raise InvalidInput("facts.not_a_currency", "'{typed}' is not a currency code such as EUR.", typed=value)
        return value.upper()
    if name == "iban":
        return read_iban(value)
    if name == "bsn":
        return read_bsn(value)
    if len(value) > 200:
        raise InvalidInput("facts.reference_too_long", "A reference can be at most 200 characters.")
    return value


class FactEditor:
    """Applies a clerk's corrections to filed documents of one archive."""

    def __init__(self, core: Core, clients: ClientService, retention: RetentionDates, index: DocumentIndex) -> None:
        self._core = core
        self._clients = clients
        self._retention = retention
        self._index = index

    def normalise(self, name: str, value: str | None) -> str | None:
        """Return a fact value checked and in its stored form; raise InvalidInput."""
        if name not in FIELDS:
            raise InvalidInput("facts.unknown_fact", "'{name}' is not a fact that can be changed.", name=name)
        value = (value or "").strip()
        if not value:
            return None
        if name == "client_id":
            if self._clients.get(value) is None:
                raise self._clients.unknown_number(value)
            return value
        if name == "document_type":
            types = self._core.config.extraction.types
            if value not in types:
                raise InvalidInput(
                    "facts.unknown_type",
                    "Unknown document type '{typed}'; known types: {known}.",
                    typed=value,
                    known=", ".join(sorted(types)),
                )
            return value
        if name == "document_date":
            return read_date(value).isoformat()
        if name == "amount":
            return read_amount(value)
        return _identifier(name, value)

    def update(
        self,
        document_id: int,
        changes: dict,
        actor: Actor,
        confirm: bool,
        reindex: bool = True,
        without_client: bool = False,
        without_date: bool = False,
        date_after_today: bool = False,
    ) -> list[str]:
        """Apply validated changes to a filed document, re-index it; return the names of the facts changed.

        Confirming clears the review flag; a corrected fact clears the reasons it settles.
        Confirming a document that is left without a client needs ``without_client``: the
        person says it belongs to no client (see `_require_client`). Emptying a date the
        document had needs ``without_date`` (see `_refuse_date_emptied`); a date after today
        needs ``date_after_today`` (see `refuse_date_after_today`).
        Without ``reindex`` the caller re-indexes (bulk changes do it once for all).
        """
        require(actor, Permission.EDIT_FACTS)
        core = self._core
        row = repo.get_document(core.db.read(), document_id)
        if row is None:
            raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
        if row["state"] != "filed":
            raise Conflict(
                "facts.not_filed",
                "Document {document_id} is not filed; its facts cannot be changed.",
                document_id=document_id,
            )
        changes = dict(changes)
        title_given = changes.pop("title", None)
        values = {name: self.normalise(name, value) for name, value in changes.items()}
        changed = {name: value for name, value in values.items() if value != row[name]}
        confirming = confirm and bool(row["needs_review"])
        client_id = changed.get("client_id", row["client_id"])
        if confirming and client_id is None and not without_client:
            _require_client()
        if confirming and client_id is not None and without_client:
            _refuse_client_and_none()
        if "document_date" in changed and changed["document_date"] is None and not without_date:
            _refuse_date_emptied(row)
        new_date = changed.get("document_date")
        if new_date and not date_after_today:
            refuse_date_after_today(new_date, core.clock.now().date())
        title = self._title(row, changed, title_given, actor)
        reasons = _remaining_reasons(json.loads(row["review_reasons"]), changed, confirm)
        now = iso(core.clock.now())
        with core.db.atomic() as conn:
            repo.update_document(
                conn,
                document_id,
                **changed,
                **title,
                needs_review=int(bool(reasons)),
                review_reasons=json.dumps(reasons),
                updated_at=now,
            )
            for name, value in changed.items():
                self._record_change(conn, row, name, value, changed, actor, now)
            if "title" in title and title["title"] != row["title"]:
                # Its own action: a title re-made from corrected facts is no fact the clerk changed.
                core.audit.record(
                    actor,
                    "title_change",
                    document_id,
                    client_id=changed.get("client_id", row["client_id"]),
                    details={
                        "before": row["title"],
                        "after": title["title"],
                        "set_by_person": bool(title["title_set_by"]),
                    },
                )
                changed["title"] = title["title"]
            # Type, date and client all decide retention (the client through its recorded events,
            # a dossier through its last change: the corrections just recorded count).
            self._retention.refresh(conn, repo.get_document(conn, document_id))
            if confirming:
                details: dict = {"reasons": json.loads(row["review_reasons"])}
                if client_id is None:
                    details["without_client"] = True
                core.audit.record(actor, "review_confirmed", document_id, client_id=client_id, details=details)
        if reindex:
            self._index.reindex_documents([document_id])
        return list(changed)

    def _title(self, row, changed: dict, given: str | None, actor: Actor) -> dict:
        """Return the title columns to write: a person's title, or the rule's when it follows the facts.

        ``given`` is None when the form had no title; an empty title hands it back to the facts.
        """
        if given is not None:
            given = " ".join(given.split())
            if len(given) > TITLE_CHARS:
                raise InvalidInput(
                    "fact.title_too_long", "A title can be at most {count} characters.", count=TITLE_CHARS
                )
            if given and given != row["title"]:
                return {"title": given, "title_set_by": actor.name}
            if given:
                return {}
        elif not follows_facts(row) or not TITLE_FACTS & set(changed):
            return {}
        facts = {name: changed.get(name, row[name]) for name in TITLE_FACTS}
        made = title_from_facts(self._core.config.extraction, self._clients.registry(), facts)
        return {"title": made, "title_set_by": None}

    def _record_change(self, conn, row, name: str, value: str | None, changed: dict, actor: Actor, now: str) -> None:
        document_id = row["id"]
        repo.set_fact(
            conn,
            document_id,
            {"name": name, "value": value, "confidence": 1.0, "page": None, "source_text": "", "origin": "corrected"},
        )
        before, after = row[name], value
        record_correction(conn, document_id, name, before, after, actor, now)
        if name == "bsn":
            before, after = mask_bsn(before), mask_bsn(after)
        self._core.audit.record(
            actor,
            "change",
            document_id,
            client_id=changed.get("client_id", row["client_id"]),
            details={"fact": name, "before": before, "after": after},
        )


def _require_client() -> None:
    # A confirmed document leaves the review queue; one without a client is then found by
    # no client's name or number. A clerk who only meant "the rest is right" would lose it,
    # so leaving it without a client is a choice said out loud, never the default.
    raise InvalidInput(
        "review.client_missing",
        "Choose the client this document is about, or tick that it belongs to no client.",
    )


def refuse_date_after_today(stored: str, today: date) -> None:
    """Refuse a document date after today unless the person said it is right.

    A received document is rarely dated later than the day it is filed: "3-12-62" read
    as 2062, or a year typed one too high, would move its retention by decades.
    """
    when = date.fromisoformat(stored[:10])
    if when > today:
        raise InvalidInput(
            "facts.date_after_today",
            "{date} is after today ({today}), and retention counts from it: type the date again,"
            " or tick that it is right.",
            date=when,
            today=today,
        )


def _refuse_date_emptied(row) -> None:
    # Without a date, retention counts from the day the document was received: an invoice
    # of years ago is then kept years too long, or a date deleted by a slip of the hand
    # moves its destruction. Removing a date is a choice said out loud, never a side effect.
    raise InvalidInput(
        "facts.date_emptied",
        "This document was dated {date}. Without a date, its retention counts from the day it was"
        " received ({received}): type the date again, or tick that the document has no date.",
        date=date.fromisoformat(str(row["document_date"])[:10]),
        received=date.fromisoformat(str(row["created_at"])[:10]),
    )


def _refuse_client_and_none() -> None:
    # The form may come with a suggested client filled in: a clerk who ticks "no client"
    # and leaves the suggestion standing means it is not that client, and filing it under
    # that client anyway is the wrong-client mistake the review is there to catch.
    raise InvalidInput(
        "review.client_and_none",
        "A client is filled in and 'belongs to no client' is ticked: empty the client or untick the box.",
    )


def _remaining_reasons(reasons: list[str], changed: dict, confirm: bool) -> list[str]:
    if confirm:
        return []
    settled = {reason for name in changed for reason in SETTLES.get(name, ())}
    return [reason for reason in reasons if reason not in settled]
