"""What the web app and the command line need of the search room, through ``archive``.

The web layer talks to ``archive`` only (DESIGN.md); searching takes a request and
gives results, both plain values defined by the search room.
"""

from __future__ import annotations

from search import CLI_QUERY_HELP, QUERY_HELP, QUERY_HELP_NL, SearchHit, SearchRequest, SearchResults


def _hit_json(hit) -> dict:
    return {
        "id": hit.id,
        "title": hit.title,
        "score": round(hit.score, 4),
        "document_type": hit.document_type,
        "client_id": hit.client_id,
        "client_name": hit.client_name,
        "document_date": hit.document_date.isoformat() if hit.document_date else None,
        "amount": str(hit.amount) if hit.amount is not None else None,
        "original_filename": hit.original_filename,
        "highlights": hit.highlights,
    }


def results_json(results) -> dict:
    """Return search results in the JSON shape of DESIGN.md (plus facets and paging)."""
    return {
        "total": results.total,
        "page": results.page,
        "page_size": results.page_size,
        "hits": [_hit_json(hit) for hit in results.hits],
        "facets": {name: [{"value": v, "count": c} for v, c in values] for name, values in results.facets.items()},
        "suggestion": results.suggestion,
        "notice": results.notice,
    }


__all__ = [
    "CLI_QUERY_HELP",
    "QUERY_HELP",
    "QUERY_HELP_NL",
    "SearchHit",
    "SearchRequest",
    "SearchResults",
    "results_json",
]
