"""The Whoosh schema and how one IndexedDocument becomes its fields.

Lean by design: the body text is indexed without word positions and kept only as a
compressed, truncated copy, from which snippets are drawn; exact phrases are found in
a column of word hashes (see ``phrases.py``); a small ``hit`` dict holds what a
result line shows. Values that
filter, sort or count (type, client, state, date, amount) are columns, which the
index reads once per segment into arrays (see ``columns.py``).
"""

from __future__ import annotations

import re
import zlib
from decimal import Decimal
from typing import Any

from whoosh import columns, fields

from search.analysis import detect_language, fold, language_analyzer, text_analyzer, words
from search.documents import IndexedDocument
from search.phrases import TOKENS_FIELD, token_column
from search.stemmed_field import StemmedText

# Bump when the schema or analysis changes: an index of another version is
# reported as damaged, so the start-up code rebuilds it.
INDEX_NAME = "archive_v4"
# Column value of a missing date (day ordinals start at 1) and a missing amount.
NO_DATE = 0
NO_AMOUNT = -(2**62)


def _id_field(sortable: bool = False) -> fields.ID:
    return fields.ID(sortable=sortable)


def build_schema() -> fields.Schema:
    """Return the schema of a new index."""
    analyzer = text_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        # No word positions: they made every posting block several times larger to
        # read; an exact phrase is confirmed against the stored text instead.
        title=StemmedText(analyzer=analyzer, field_boost=2.0, phrase=False),
        content_nl=StemmedText(analyzer=language_analyzer("nl"), phrase=False),
        content_en=StemmedText(analyzer=language_analyzer("en"), phrase=False),
        client_name=StemmedText(analyzer=analyzer, field_boost=1.5),
        filename=StemmedText(analyzer=analyzer, phrase=False),
        tags=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        notes=StemmedText(analyzer=analyzer, phrase=False),
        custom=fields.KEYWORD(commas=True),
        client=_id_field(),
        client_id=fields.COLUMN(columns.RefBytesColumn()),
        type=_id_field(sortable=True),
        state=_id_field(sortable=True),
        year=_id_field(),
        month=_id_field(),
        day=_id_field(),
        ref=_id_field(),
        iban=_id_field(),
        date=fields.COLUMN(columns.NumericColumn("i", default=NO_DATE)),
        amount=fields.COLUMN(columns.NumericColumn("q", default=NO_AMOUNT)),
        docid=fields.COLUMN(columns.NumericColumn("q", default=-1)),
        # The words in order, as hashes, for exact phrases (see phrases.py).
        **{TOKENS_FIELD: fields.COLUMN(columns.VarBytesColumn())},
        hit=fields.STORED(),
        text=fields.STORED(),
    )


def normalise_code(value: str) -> str:
    """Return a reference, IBAN or client id as indexed: folded, without spaces."""
    return "".join(fold(value).split())


def custom_token(name: str, value: str) -> str:
    """Return a custom field's value as one indexed term: ``name=value``, folded, without spaces or commas."""
    return f"{name}={normalise_code(value).replace(',', '')}"


def amount_to_cents(amount: Decimal) -> int:
    """Return an amount as whole cents (the column's unit)."""
    return int((amount * 100).to_integral_value())


def document_fields(doc: IndexedDocument, stored_text_chars: int) -> dict[str, Any]:
    """Return the field values of one document for ``writer.update_document``."""
    body = words(doc.content)  # split once: for the body field and the phrase column
    values: dict[str, Any] = {
        "id": str(doc.id),
        "docid": doc.id,
        "title": doc.title,
        f"content_{detect_language(doc.content)}": body,
        TOKENS_FIELD: token_column(words(doc.title), body),
        "client_name": doc.client_name or "",
        # The extension apart, or "0012.pdf" would be one word (inner dots join words).
        "filename": re.sub(r"\.(\w+)$", r" \1", doc.original_filename),
        "tags": ",".join(doc.tags),
        "state": doc.state,
        "client_id": (doc.client_id or "").encode("utf-8"),
        "hit": _hit(doc),
        "text": zlib.compress(doc.content[:stored_text_chars].encode("utf-8"), 6),
        "date": doc.document_date.toordinal() if doc.document_date else NO_DATE,
        "amount": amount_to_cents(doc.amount) if doc.amount is not None else NO_AMOUNT,
    }
    for name, value in (
        ("client", doc.client_id),
        ("type", doc.document_type),
        ("ref", doc.reference),
        ("iban", doc.iban),
    ):
        if value:
            values[name] = normalise_code(value)
    if doc.notes:
        values["notes"] = doc.notes
    if doc.custom:
        values["custom"] = ",".join(custom_token(name, value) for name, value in doc.custom)
    if doc.document_date:
        iso = doc.document_date.isoformat()
        values.update(year=iso[:4], month=iso[:7], day=iso)
    return values


def _hit(doc: IndexedDocument) -> dict[str, Any]:
    """The stored values a result line shows."""
    return {
        "title": doc.title,
        "client_id": doc.client_id,
        "client_name": doc.client_name,
        "type": doc.document_type,
        "date": doc.document_date.isoformat() if doc.document_date else None,
        "amount": str(doc.amount) if doc.amount is not None else None,
        "currency": doc.currency,
        "filename": doc.original_filename,
        "tags": list(doc.tags),
    }


def stored_text(hit_fields: dict[str, Any]) -> str:
    """Return the (possibly truncated) document text kept for snippets."""
    blob = hit_fields.get("text")
    return zlib.decompress(blob).decode("utf-8") if blob else ""
