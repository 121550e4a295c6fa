"""The search page: one box with the query language, facet filters, snippets, paging."""

from __future__ import annotations

import math

from dataclasses import asdict

from flask import Blueprint, jsonify, render_template, request, url_for

from archive.errors import InvalidInput
from archive.documents.searching import QUERY_HELP, QUERY_HELP_NL, SearchRequest
from web.access import current_actor
from web.context import archive, config
from web.i18n import sentence
from web.templating import current_language

bp = Blueprint("search", __name__)

# Facet name -> (URL parameter, query-language filter).
FILTERS = {"document_type": ("type", "type"), "client_id": ("client", "client"), "year": ("year", "date")}


def build_query(text: str, filters: dict[str, str]) -> str:
    """Return the query text with the chosen facet filters added in the query language."""
    parts = [text.strip()] if text.strip() else []
    for param, field in FILTERS.values():
        value = filters.get(param)
        if value:
            quoted = f'"{value}"' if any(ch.isspace() for ch in value) else value
            parts.append(f"{field}:{quoted}")
    return " ".join(parts)


def chosen_filters(args) -> dict[str, str]:
    """Return the facet filters in the request's parameters."""
    return {param: args.get(param, "").strip() for param, _ in FILTERS.values() if args.get(param, "").strip()}


@bp.get("/")
def index():
    """Show the search box, and results when there is a query or a filter."""
    text = request.args.get("q", "")
    filters = chosen_filters(request.args)
    sort = "date" if request.args.get("sort") == "date" else "relevance"
    page = max(1, min(request.args.get("page", 1, type=int) or 1, config().search.max_page))
    results, error = None, None
    query = build_query(text, filters)
    if not query:
        return start_page()
    if query:
        size = config().search.page_size
        try:
            results = archive().search(SearchRequest(query=query, page=page, page_size=size, sort=sort),
                                       current_actor())
        except InvalidInput as exc:  # a query the language cannot read: say why beside the box
            error = sentence(exc)
    pages = math.ceil(results.total / results.page_size) if results and results.total else 0
    base = {"q": text, "sort": sort if sort != "relevance" else "", **filters}

    def link(changes: dict) -> str:
        params = {**base, **changes}
        return url_for("search.index", **{k: v for k, v in params.items() if v not in ("", None)})

    return render_template("search.html", q=text, filters=filters, sort=sort, results=results, link=link,
                           pages=min(pages, config().search.max_page), error=error, facet_params=FILTERS,
                           query_help=QUERY_HELP_NL if current_language() == "nl" else QUERY_HELP)


def start_page():
    """The start page: the search box, what came in and what was opened lately, the queues' state."""
    actor = current_actor()
    page = archive().start_page(actor)
    return render_template("start.html", page=page, q="", query_help=QUERY_HELP_NL if current_language() == "nl"
                           else QUERY_HELP)


@bp.get("/suggest")
def suggest():
    """Return suggestions for the typed text as JSON: label, detail, kind and the address it opens."""
    found = archive().desk.suggestions(request.args.get("q", ""), current_actor())
    return jsonify([{**asdict(s), "url": url_for("search.index", q=s.query, sort="date")} for s in found])


@bp.get("/help/keys")
def keys():
    """List the keyboard shortcuts."""
    return render_template("keys.html")
