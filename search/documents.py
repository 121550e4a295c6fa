"""The plain values the index takes and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class IndexedDocument:
    """One filed document as the index sees it."""

    id: int
    title: str
    content: str
    original_filename: str
    mime_type: str
    state: str
    created_at: datetime
    pages: int = 0
    client_id: str | None = None
    client_name: str | None = None
    document_type: str | None = None
    document_date: date | None = None
    amount: Decimal | None = None
    currency: str | None = None
    reference: str | None = None
    iban: str | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""  # the notes written on the document, one after another
    custom: tuple[tuple[str, str], ...] = ()  # custom field values (name, value as stored)


@dataclass(frozen=True)
class SearchRequest:
    """What a person asked for: query text, page, order and who may see what."""

    query: str
    page: int = 1
    page_size: int = 20
    sort: str = "relevance"  # or "date" (newest first), "oldest", "amount" (highest first), "amount_low"
    with_facets: bool = True
    with_highlights: bool = True
    allowed_client_ids: frozenset[str] | None = None  # None = no restriction


@dataclass(frozen=True)
class SearchHit:
    """One result line, drawn from stored fields only (no database needed)."""

    id: int
    title: str
    score: float
    document_type: str | None
    client_id: str | None
    client_name: str | None
    document_date: date | None
    amount: Decimal | None
    original_filename: str
    highlights: str  # HTML: text escaped, matches wrapped in <mark>…</mark>
    tags: tuple[str, ...] = ()
    currency: str | None = None  # of the amount; None: the amount's currency was not read


@dataclass(frozen=True)
class SearchResults:
    """One page of hits plus the total, facet counts, a spelling suggestion and a notice.

    ``notice`` is a sentence for the person searching when the query was cut short
    (a prefix that fits too many words), else None; ``broad_prefixes`` names those
    prefixes, for a sentence in another language.
    """

    query: str
    total: int
    page: int
    page_size: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    suggestion: str | None = None
    notice: str | None = None
    broad_prefixes: tuple[str, ...] = ()
