"""Run a search plan against one searcher: filter, count, order, page, draw the hits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import numpy as np

from search.columns import DocTable, Vocabulary, amount_mask, date_mask
from search.compile import Plan, amount_bounds
from search.docsets import PostingReader, matching
from search.documents import SearchHit, SearchRequest, SearchResults
from search.facets import count_facets
from search.highlight import highlight
from search.ranking import rank, scored_leaves
from search.schema import NO_AMOUNT, stored_text
from search.settings import SearchSettings
from search.view import View

VISIBLE_STATE = "filed"
SORTS = ("relevance", "date", "oldest", "amount", "amount_low")


def run_plan(
    view: View, plan: Plan, request: SearchRequest, settings: SearchSettings, hide: Callable[[str], str]
) -> SearchResults:
    """Return one page of results for ``plan`` (total, facets and hits); ``hide`` masks BSNs in snippets."""
    searcher, table = view.searcher, view.table
    postings = PostingReader(searcher, table.size, view.words(), view.tokens())
    mask = _visible(table, view.vocabulary, request.allowed_client_ids)
    _apply_ranges(table, plan, mask)
    if plan.positive is not None:
        mask &= matching(plan.positive, postings, mask)
    if plan.negative is not None:
        mask &= ~matching(plan.negative, postings, mask)
    docnums = np.flatnonzero(mask)
    offset = (request.page - 1) * request.page_size
    limit = offset + request.page_size
    if plan.ranked and request.sort == "relevance":
        page = rank(postings, scored_leaves(plan.positive), view.lengths, docnums, _recency(table), limit)[offset:]
    else:
        page = [(int(d), 0.0) for d in _ordered(table, docnums, limit, request.sort)[offset:]]
    facets = count_facets(table, view.vocabulary, docnums, settings.facet_limit) if request.with_facets else {}
    hits = tuple(_hit(searcher, docnum, score, plan, request, settings, hide) for docnum, score in page)
    return SearchResults(
        query=request.query,
        total=len(docnums),
        page=request.page,
        page_size=request.page_size,
        hits=hits,
        facets=facets,
        suggestion=plan.suggestion,
        notice=_broad_notice(postings.broad),
        broad_prefixes=tuple(sorted(postings.broad)),
    )


def _broad_notice(prefixes: set[str]) -> str | None:
    if not prefixes:
        return None
    shown = ", ".join(f"{p}*" for p in sorted(prefixes))
    return f"{shown} fits too many words; only the most common ones were searched. Type more letters for the rest."


def _visible(table: DocTable, vocabulary: Vocabulary, allowed: frozenset[str] | None) -> np.ndarray:
    """Return which documents this request may see: live, filed, and of allowed clients."""
    mask = table.live & (table.state == vocabulary.code(VISIBLE_STATE))
    if allowed is not None:
        mask &= np.isin(table.client, vocabulary.codes(allowed))
    return mask


def _apply_ranges(table: DocTable, plan: Plan, mask: np.ndarray) -> None:
    for days, negated in plan.date_ranges:
        inside = date_mask(table, days.start, days.end)
        mask &= ~inside if negated else inside
    for amounts, negated in plan.amount_ranges:
        low, high = amount_bounds(amounts)
        inside = amount_mask(table, low, high, amounts.low_inclusive, amounts.high_inclusive)
        mask &= ~inside if negated else inside


def _recency(table: DocTable) -> np.ndarray:
    """Return per document a number that grows with its date, then its id (newer first)."""
    return table.date * (1 << 32) + table.docid


def _ordered(table: DocTable, docnums: np.ndarray, limit: int, sort: str) -> np.ndarray:
    """Return up to ``limit`` of ``docnums`` in the order asked (newest first unless said otherwise)."""
    if sort == "oldest":
        return _top(-_recency(table)[docnums], docnums, limit)
    if sort in ("amount", "amount_low"):
        amounts = table.amount[docnums].astype(np.float64)
        missing = table.amount[docnums] == NO_AMOUNT
        # Documents without an amount come last either way; ties newest first.
        keys = np.where(missing, -np.inf, amounts if sort == "amount" else -amounts)
        return _top(keys, docnums, limit, tie=_recency(table)[docnums])
    return _top(_recency(table)[docnums], docnums, limit)


def _top(keys: np.ndarray, docnums: np.ndarray, limit: int, tie: np.ndarray | None = None) -> np.ndarray:
    """Return up to ``limit`` of ``docnums`` by ``keys``, highest first (then by ``tie``, highest first)."""
    if limit <= 0 or len(docnums) == 0:
        return docnums[:0]
    if tie is not None:
        order = np.lexsort((-tie, -keys))[:limit]
        return docnums[order]
    return _largest(keys, docnums, limit)


def _largest(keys: np.ndarray, docnums: np.ndarray, limit: int) -> np.ndarray:
    if len(docnums) > limit:
        top = np.argpartition(-keys, limit - 1)[:limit]
        return docnums[top[np.argsort(-keys[top], kind="stable")]]
    return docnums[np.argsort(-keys, kind="stable")]


def _hit(
    searcher,
    docnum: int,
    score: float,
    plan: Plan,
    request: SearchRequest,
    settings: SearchSettings,
    hide: Callable[[str], str],
) -> SearchHit:
    stored = searcher.stored_fields(docnum)
    shown = stored["hit"]
    # A result list is seen by roles that may not see citizen service numbers.
    snippet = (
        highlight(hide(stored_text(stored)), plan.marks, settings.snippet_chars) if request.with_highlights else ""
    )
    return SearchHit(
        id=int(stored["id"]),
        title=shown["title"],
        score=round(score, 4),
        document_type=shown["type"],
        client_id=shown["client_id"],
        client_name=shown["client_name"],
        document_date=date.fromisoformat(shown["date"]) if shown["date"] else None,
        amount=Decimal(shown["amount"]) if shown["amount"] is not None else None,
        original_filename=shown["filename"],
        highlights=snippet,
        tags=tuple(shown.get("tags") or ()),
        currency=shown.get("currency"),
    )
