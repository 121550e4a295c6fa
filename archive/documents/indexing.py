"""Turning a document row into what the search index holds."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from search import IndexedDocument


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse_amount(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def indexed_document(row: sqlite3.Row, text: str, client_name: str | None) -> IndexedDocument:
    """Return the index entry of a document row with its text and client's name."""
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
        document_date=_parse_date(row["document_date"]),
        amount=_parse_amount(row["amount"]),
        currency=row["currency"],
        reference=row["reference"],
        iban=row["iban"],
    )
