"""Run a search plan against one searcher: filter, count, order, page, draw the hits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np

from search.columns import DocTable, Vocabulary, amount_mask, date_mask
from search.compile import Plan, amount_bounds
from search.docsets import matching, scoring_query
from search.documents import SearchHit, SearchRequest, SearchResults
from search.facets import count_facets
from search.highlight import highlight
from search.schema import stored_text
from search.settings import SearchSettings
from search.view import View

VISIBLE_STATE = "filed"


def run_plan(view: View, plan: Plan, request: SearchRequest, settings: SearchSettings) -> SearchResults:
    """Return one page of results for ``plan`` (total, facets and hits)."""
    searcher, table = view.searcher, view.table
    mask = _visible(table, view.vocabulary, request.allowed_client_ids)
    _apply_ranges(table, plan, mask)
    if plan.positive is not None:
        mask &= matching(plan.positive, searcher, table.size)
    if plan.negative is not None:
        mask &= ~matching(plan.negative, searcher, table.size)
    docnums = np.flatnonzero(mask)
    offset = (request.page - 1) * request.page_size
    if plan.ranked and request.sort == "relevance":
        page = _ranked_page(searcher, plan, mask, docnums, offset + request.page_size)[offset:]
    else:
        page = [(int(d), 0.0) for d in _newest_first(table, docnums, offset + request.page_size)[offset:]]
    facets = count_facets(table, view.vocabulary, docnums, settings.facet_limit) if request.with_facets else {}
    hits = tuple(_hit(searcher, docnum, score, plan, request, settings) for docnum, score in page)
    return SearchResults(query=request.query, total=int(len(docnums)), page=request.page,
                         page_size=request.page_size, hits=hits, facets=facets, suggestion=plan.suggestion)


def _visible(table: DocTable, vocabulary: Vocabulary, allowed: frozenset[str] | None) -> np.ndarray:
    """Return which documents this request may see: live, filed, and of allowed clients."""
    mask = table.live & (table.state == vocabulary.code(VISIBLE_STATE))
    if allowed is not None:
        mask &= np.isin(table.client, vocabulary.codes(allowed))
    return mask


def _apply_ranges(table: DocTable, plan: Plan, mask: np.ndarray) -> None:
    for span, negated in plan.date_ranges:
        inside = date_mask(table, span.start, span.end)
        mask &= ~inside if negated else inside
    for span, negated in plan.amount_ranges:
        low, high = amount_bounds(span)
        inside = amount_mask(table, low, high, span.low_inclusive, span.high_inclusive)
        mask &= ~inside if negated else inside


def _ranked_page(searcher, plan: Plan, mask: np.ndarray, docnums: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """Return the best ``limit`` (docnum, score) pairs among ``docnums``, by relevance.

    The matching set is already known, so ranking scores the documents in it by *any*
    of the query's words (a flat OR, which Whoosh can prune block by block) instead
    of re-evaluating the query's ANDs and NOTs.
    """
    if limit <= 0 or len(docnums) == 0:
        return []
    scoring = scoring_query(plan.positive)
    results = searcher.search(scoring, limit=limit, **_restriction(scoring, searcher, mask, docnums))
    ranked = [(hit.docnum, float(hit.score)) for hit in results]
    if len(ranked) < limit and len(ranked) < len(docnums):
        # Matches without a scored word (a NOT-only OR branch): after the scored ones.
        seen = {docnum for docnum, _ in ranked}
        ranked += [(int(d), 0.0) for d in docnums if int(d) not in seen][: limit - len(ranked)]
    return ranked


# Up to this many matches, ranking is told which documents it may return; beyond it,
# which ones it may not (usually far fewer: the filtered-out few of a common word).
ALLOW_LIMIT = 5000


def _restriction(scoring, searcher, mask: np.ndarray, docnums: np.ndarray) -> dict:
    if len(docnums) <= ALLOW_LIMIT:
        return {"filter": set(docnums.tolist())}
    excluded = np.flatnonzero(matching(scoring, searcher, len(mask)) & ~mask)
    if len(excluded) == 0:
        return {}
    if len(excluded) < len(docnums):
        return {"mask": set(excluded.tolist())}
    return {"filter": set(docnums.tolist())}


def _newest_first(table: DocTable, docnums: np.ndarray, limit: int) -> np.ndarray:
    """Return up to ``limit`` of ``docnums`` by document date, newest first, then newest filed."""
    if limit <= 0 or len(docnums) == 0:
        return docnums[:0]
    keys = table.date[docnums] * (1 << 32) + table.docid[docnums]
    if len(docnums) > limit:
        top = np.argpartition(-keys, limit - 1)[:limit]
        return docnums[top[np.argsort(-keys[top], kind="stable")]]
    return docnums[np.argsort(-keys, kind="stable")]


def _hit(searcher, docnum: int, score: float, plan: Plan, request: SearchRequest,
         settings: SearchSettings) -> SearchHit:
    stored = searcher.stored_fields(docnum)
    shown = stored["hit"]
    snippet = highlight(stored_text(stored), plan.marks, settings.snippet_chars) if request.with_highlights else ""
    return SearchHit(
        id=int(stored["id"]), title=shown["title"], score=round(score, 4),
        document_type=shown["type"], client_id=shown["client_id"], client_name=shown["client_name"],
        document_date=date.fromisoformat(shown["date"]) if shown["date"] else None,
        amount=Decimal(shown["amount"]) if shown["amount"] is not None else None,
        original_filename=shown["filename"], highlights=snippet,
    )
