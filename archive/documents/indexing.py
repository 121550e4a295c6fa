"""Turning a document row into what the search index holds, and the value rules it searches by."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from ingest.facts.identifiers import typed_iban
from ingest.values import mask_bsns, parse_amount, parse_period, stored_amount
from search import IndexedDocument, ValueReaders

# The search room reads typed dates, amounts and IBANs, and masks BSNs in snippets, by the
# archive's one rule for each (ingest.values), handed over when the index is opened.
VALUE_READERS = ValueReaders(amount=parse_amount, period=parse_period, mask=mask_bsns, iban=typed_iban)


def _stored_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def indexed_document(
    row: sqlite3.Row,
    text: str,
    client_name: str | None,
    tags: list[str] | None = None,
    notes: str = "",
    custom: dict[str, str] | None = None,
) -> IndexedDocument:
    """Return the index entry of a document row with its text, client's name, tags and notes."""
    return IndexedDocument(
        id=row["id"],
        title=row["title"] or row["original_filename"],
        content=text,
        original_filename=row["original_filename"],
        mime_type=row["mime_type"] or "",
        state=row["state"],
        created_at=datetime.fromisoformat(row["created_at"].replace("Z", "+00:00")),
        pages=row["pages"] or 0,
        client_id=row["client_id"],
        client_name=client_name,
        document_type=row["document_type"],
        document_date=_stored_date(row["document_date"]),
        amount=stored_amount(row["amount"]),
        currency=row["currency"],
        reference=row["reference"],
        iban=row["iban"],
        tags=tuple(tags or ()),
        notes=notes,
        custom=tuple(sorted((custom or {}).items())),
    )
