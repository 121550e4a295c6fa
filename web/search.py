"""The search page: one box with the query language, facet filters, snippets, paging.

The box is sent by POST and answered with a redirect: to ``/?q=…`` for an ordinary
query (a page to bookmark and go back to), to ``/?ref=…`` for one that holds a BSN,
which the server keeps (``web.query_refs``) so that the number never stands in a URL.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from archive.access.actors import ROLES
from archive.access.permissions import Permission, allows
from archive.documents.bulk import CONFIRM_ABOVE
from archive.documents.searching import QUERY_HELP, QUERY_HELP_NL, SearchRequest
from archive.errors import InvalidInput
from archive.typed import typed_iban
from web.access import current_actor
from web.context import archive, config
from web.i18n import sentence
from web.query_refs import query_refs
from web.templating import current_language, gettext

bp = Blueprint("search", __name__)

# Facet name -> (URL parameter, query-language filter).
FILTERS = {"document_type": ("type", "type"), "client_id": ("client", "client"), "year": ("year", "date")}
# Range fields of the form -> the query-language clause each adds.
RANGES = {"from": "date:>={}", "to": "date:<={}", "min": "amount:>={}", "max": "amount:<={}"}
SORT_NAMES = ("relevance", "date", "oldest", "amount", "amount_low")
VIEWS = ("list", "grid")


def build_query(text: str, filters: dict[str, str], ranges: dict[str, str] | None = None) -> str:
    """Return the query text with the chosen facet filters and ranges added in the query language."""
    parts = [text.strip()] if text.strip() else []
    for param, field in FILTERS.values():
        value = filters.get(param)
        if value:
            quoted = f'"{value}"' if any(ch.isspace() for ch in value) else value
            parts.append(f"{field}:{quoted}")
    for param, clause in RANGES.items():
        value = "".join((ranges or {}).get(param, "").split())
        if value:
            parts.append(clause.format(value))
    return " ".join(parts)


def chosen_filters(args) -> dict[str, str]:
    """Return the facet filters in the request's parameters."""
    return {param: args.get(param, "").strip() for param, _ in FILTERS.values() if args.get(param, "").strip()}


def chosen_ranges(args) -> dict[str, str]:
    """Return the date and amount bounds in the request's parameters."""
    return {param: args.get(param, "").strip() for param in RANGES if args.get(param, "").strip()}


def results_address(text: str, params: dict) -> str:
    """Return the search page's address for a query: ``?q=`` or, when it holds a BSN, ``?ref=``."""
    values: dict[str, Any] = {}  # the query first: the address reads as what was searched
    if text and archive().contains_bsn(text):
        values["ref"] = query_refs().keep(current_actor().name, text)
    elif text:
        values["q"] = text
    values.update({k: v for k, v in params.items() if v not in ("", None) and k not in ("q", "ref")})
    return url_for("search.index", **values)


@bp.app_template_global("search_url")
def search_url(text: str, **params: Any) -> str:
    """A link to a search from a page (a tag, say): by reference when the text holds a BSN."""
    return results_address(text, params)


@bp.post("/search")
def send():
    """The search box, sent by POST: answered with the address of its results."""
    form = request.form
    view = form.get("view", "")
    params = {
        "sort": form.get("sort", ""),
        "view": view if view in VIEWS and view != "list" else "",
        **chosen_filters(form),
        **chosen_ranges(form),
    }
    text = form.get("q", "")
    kept = query_refs().query(current_actor().name, form.get("ref", "")) if form.get("ref") else None
    if kept is not None:
        text = _unmasked(text, kept)
    return redirect(results_address(text, params), 303)


def _unmasked(text: str, kept: str) -> str:
    """Return the text sent with the kept search back where the box showed it masked.

    The box shows a kept BSN search as ``*****6782``; a clerk narrows it by typing a word
    before or after, and '*****6782 brief' sent as it stood searched for asterisks.
    """
    masked = archive().mask_bsns(kept)
    return text.replace(masked, kept, 1) if masked != kept and masked in text else text


@bp.get("/")
def index():
    """Show the search box, and results when there is a query or a filter."""
    ref = request.args.get("ref", "")
    text = request.args.get("q", "")
    if ref:
        text = query_refs().query(current_actor().name, ref) or ""
        if not text:
            # A link from a colleague, or from yesterday: said so, not "no longer kept".
            flash(
                gettext("That search opens only for whoever made it, on the same working day; type it again, please.")
            )
            return redirect(url_for("search.index"))
    elif text and archive().contains_bsn(text):
        # Typed into the address bar or an old link: take the number out of the address at once.
        return redirect(results_address(text, dict(request.args)), 303)
    return results_page(request.args, text, ref)


# iban: (or rekeningnummer:) and what follows it the way an IBAN is copied: in groups of up to four.
_IBAN_TYPED = re.compile(
    r"(?i)(?<![\w-])(?:iban|rekeningnummer):([a-z]{2}\d{2}[a-z0-9]*(?:\s+[a-z0-9]{1,4}(?![\w:]))*)"
)


def mistyped_iban(text: str) -> str | None:
    """Return an IBAN searched for that cannot be one (its check digits fail), spaced; else None.

    Nothing is found for it, and "no documents" alone made a clerk who had slipped one
    digit tell the client at the desk there were none.
    """
    for match in _IBAN_TYPED.finditer(text):
        groups = match.group(1).split()
        runs = ["".join(groups[:n]) for n in range(len(groups), 0, -1)]
        if any(typed_iban(run) for run in runs):
            continue
        longest = runs[0]
        if 15 <= len(longest) <= 34:  # the shortest IBAN (Norway) has 15 characters
            shown = longest.upper()
            return " ".join(shown[i : i + 4] for i in range(0, len(shown), 4))
    return None


# A word written as an amount with cents, the Dutch way (1412,50 · 1.412,50 · €1412,50), standing
# on its own: not after a field name, not inside a longer code.
_BARE_AMOUNT = re.compile(r"(?<![^\s(])€?(\d{1,3}(?:\.\d{3})+,\d{2}|\d+,\d{2})(?![^\s)])")


def as_amount_filter(text: str) -> tuple[str, str] | None:
    """Return (the amount typed, the query with it as an amount filter) for a query with a bare amount.

    A bare word is searched as text, and a document's total is a fact, not text: 1412,50
    finds an invoice that prints 1.412,50 only by luck. The empty results say how to ask.
    """
    match = _BARE_AMOUNT.search(text)
    if match is None:
        return None
    name = "bedrag" if current_language() == "nl" else "amount"
    return match.group(0), f"{text[: match.start()]}{name}:{match.group(1)}{text[match.end() :]}"


@dataclass(frozen=True)
class RefusedBulk:
    """A bulk change the archive refused: the bar shows it again as typed and ticked, the reason beside its field."""

    action: str
    value: str
    reason: str
    ids: frozenset[int]
    all_results: bool
    field: str  # the field the error belongs to: action, ids, value or reason
    error: str


def results_page(args, text: str, ref: str = "", refused: RefusedBulk | None = None, address: str | None = None) -> str:
    """Return the results page of ``text`` with the page's parameters ``args`` (filters, sort, page).

    ``refused``: a bulk change to show again with why it was refused, instead of an empty bar;
    ``address``: the page's own address when it is shown in answer to another (the bulk form's).
    """
    filters, ranges = chosen_filters(args), chosen_ranges(args)
    sort = str(args.get("sort")) if args.get("sort") in SORT_NAMES else "relevance"
    shown_as = str(args.get("view")) if args.get("view") in VIEWS else "list"
    page = max(1, min(args.get("page", 1, type=int) or 1, config().search.max_page))
    results, error = None, None
    query = build_query(text, filters, ranges)
    if not query:
        return start_page()
    if query:
        size = config().search.page_size
        try:
            results = archive().search(
                SearchRequest(query=query, page=page, page_size=size, sort=sort), current_actor()
            )
        except InvalidInput as exc:  # a query the language cannot read: say why beside the box
            error = sentence(exc)
    pages = math.ceil(results.total / results.page_size) if results and results.total else 0
    base = {
        **({"ref": ref} if ref else {"q": text}),
        "sort": sort if sort != "relevance" else "",
        "view": shown_as if shown_as != "list" else "",
        **filters,
        **ranges,
    }

    def link(changes: dict) -> str:
        params = {**base, **changes}
        if "q" in changes:  # another query ("did you mean"): by reference again when it holds a BSN
            return results_address(str(params.pop("q")), params)
        return url_for("search.index", **{k: v for k, v in params.items() if v not in ("", None)})

    client_ids = [value for value, _ in results.facets.get("client_id", ())] if results else []
    lag = archive().index_lag()  # several nodes: has this one seen every change yet?
    return render_template(
        "search.html",
        behind=int(lag["changes_behind"]) if lag else 0,
        q=archive().mask_bsns(text),
        # "Did you mean" repeats the query, BSN and all: shown masked as the box shows it.
        suggestion_shown=archive().mask_bsns(results.suggestion or "") if results else "",
        ref=ref,
        filters=filters,
        ranges=ranges,
        sort=sort,
        results=results,
        link=link,
        pages=min(pages, config().search.max_page),
        error=error,
        facet_params=FILTERS,
        query=query,
        query_field=_query_field(query),
        view=shown_as,
        sorts=SORT_NAMES,
        client_names=archive().desk.client_names(client_ids + [filters.get("client", "")]),
        types=config().extraction.types,
        roles=ROLES,
        confirm_above=CONFIRM_ABOVE,
        tag_suggestions=archive().tags.suggestions(limit=50)
        if results and allows(current_actor(), Permission.TAG)
        else [],
        query_help=QUERY_HELP_NL if current_language() == "nl" else QUERY_HELP,
        refused=refused,
        mistyped_iban=mistyped_iban(text) if results and not results.total else None,
        amount_filter=as_amount_filter(text) if results and not results.total else None,
        **({"request_path": address} if address else {}),
    )


def _query_field(query: str) -> dict[str, str]:
    """The hidden field the results' forms (bulk change, save) send the query in: a reference when it holds a BSN."""
    if archive().contains_bsn(query):
        return {"query_ref": query_refs().keep(current_actor().name, query)}
    return {"query": query}


def start_page():
    """The start page: the search box, what came in and what was opened lately, the queues' state."""
    actor = current_actor()
    page = archive().start_page(actor)
    return render_template(
        "start.html", page=page, q="", query_help=QUERY_HELP_NL if current_language() == "nl" else QUERY_HELP
    )


@bp.route("/suggest", methods=["GET", "POST"])
def suggest():
    """Return suggestions for the typed text as JSON: label, detail, kind and the address it opens.

    The page asks by POST, so what is typed (a BSN, say) stays out of URLs and request logs.
    """
    typed = request.form.get("q", "") if request.method == "POST" else request.args.get("q", "")
    found = archive().desk.suggestions(typed, current_actor())
    return jsonify([{**asdict(s), "url": results_address(s.query, {"sort": "date"})} for s in found])


@bp.get("/help/keys")
def keys():
    """List the keyboard shortcuts."""
    return render_template("keys.html")
