"""Acting on many documents from the results (bulk changes) and saving a search under a name."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from archive.documents.bulk import CONFIRM_ABOVE, MAX_DOCUMENTS
from archive.documents.searching import SearchRequest
from archive.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from web.access import current_actor
from web.context import archive
from web.i18n import gettext, ngettext, sentence
from web.query_refs import query_refs
from web.search import RefusedBulk, build_query, chosen_filters, chosen_ranges, results_address, results_page

bp = Blueprint("bulk", __name__)
# One page of ids at a time when "all results" is chosen (the index's largest page).
_PAGE = 1000


def _back_to() -> str:
    """Return the page to go back to: the form's own, when it is one of this site's."""
    target = request.form.get("back", "")
    return target if target.startswith("/") and not target.startswith("//") else url_for("search.index")


def _back():
    return redirect(_back_to())


def _query() -> str:
    """The results' query: sent as it is, or (one holding a BSN) by the reference the server kept."""
    ref = request.form.get("query_ref", "")
    if ref:
        return query_refs().query(current_actor().name, ref) or ""
    return request.form.get("query", "")


def _selected_ids() -> list[int]:
    if request.form.get("all") != "1":
        # Ticked boxes send one id each; the confirmation page sends them as one list.
        return [int(i) for value in request.form.getlist("ids") for i in value.split(",") if i.isdigit()]
    query = _query()
    if not query:
        return []
    ids: list[int] = []
    page = 1
    while len(ids) < MAX_DOCUMENTS:
        results = archive().search(
            SearchRequest(
                query=query, page=page, page_size=_PAGE, sort="date", with_facets=False, with_highlights=False
            ),
            current_actor(),
        )
        ids += [hit.id for hit in results.hits]
        if page * _PAGE >= results.total:
            break
        page += 1
    return ids


@bp.post("/bulk")
def apply():
    """Set a client, type, date or tag on the selected documents (or take a tag off), or place them on hold.

    More than CONFIRM_ABOVE documents are first shown on a page that asks, with their count.
    """
    action = request.form.get("action", "")
    value = request.form.get("reason" if action == "hold" else "value", "")
    ids = _selected_ids()
    if len(ids) > CONFIRM_ABOVE and request.form.get("confirmed") != "1":
        return render_template("bulk_confirm.html", ids=ids, action=action, value=value, back=_back_to())
    try:
        done = archive().bulk.apply(ids, action, value, current_actor())
    except (InvalidInput, Conflict, PermissionDenied) as exc:
        return _refused(exc, action, value, ids)
    flash(
        ngettext("{count} document changed", "{count} documents changed", done.changed)
        + " "
        + gettext("({selected} selected).", selected=done.selected)
    )
    return _back()


# Which field of the bar a refusal belongs to; any other is about the value typed.
_FIELD_OF = {
    "bulk.unknown_action": "action",
    "bulk.nothing_selected": "ids",
    "bulk.too_many": "ids",
}


def _refused(exc: InvalidInput | Conflict | PermissionDenied, action: str, value: str, ids: list[int]):
    """The results again with the change as typed and ticked and the reason beside its field.

    A flash over an emptied form made the clerk type and tick everything again, and in a
    hurry they re-applied it to fewer documents than they had chosen.
    """
    back = _back_to()
    address = urlsplit(back)
    args = MultiDict(parse_qsl(address.query))
    ref = args.get("ref", "")
    text = (query_refs().query(current_actor().name, ref) or "") if ref else args.get("q", "")
    if address.path != url_for("search.index") or not build_query(text, chosen_filters(args), chosen_ranges(args)):
        flash(sentence(exc), "error")  # no results page to show it on
        return _back()
    field = "action" if isinstance(exc, PermissionDenied) else _FIELD_OF.get(exc.code, "value")
    if field == "value" and action == "hold":
        field = "reason"
    refused = RefusedBulk(
        action=action,
        value="" if action == "hold" else value,
        reason=value if action == "hold" else "",
        ids=frozenset(ids) if request.form.get("all") != "1" else frozenset(),
        all_results=request.form.get("all") == "1",
        field=field,
        error=sentence(exc),
    )
    page = results_page(args, text, ref, refused=refused, address=back)
    return page, 403 if isinstance(exc, PermissionDenied) else 409 if isinstance(exc, Conflict) else 400


@bp.post("/saved")
def save():
    """Save the current search under a name, for oneself or shared with a role."""
    try:
        saved = archive().saved_searches.save(
            request.form.get("name", ""),
            _query(),
            current_actor(),
            request.form.get("shared_role") or None,
        )
    except InvalidInput as exc:
        flash(sentence(exc), "error")
    else:
        flash(gettext("Saved as {name}; it is on the start page.", name=saved.name))
    return _back()


@bp.get("/saved/<int:search_id>")
def open_saved(search_id: int):
    """Open a saved search by its number: its query (which may hold a BSN) never stands in a link."""
    try:
        saved = archive().saved_searches.get(search_id, current_actor())
    except NotFound:
        abort(404)
    return redirect(results_address(saved.query, {}), 303)


@bp.post("/saved/<int:search_id>/delete")
def delete(search_id: int):
    """Delete a saved search of one's own."""
    try:
        archive().saved_searches.delete(search_id, current_actor())
    except PermissionDenied as exc:
        flash(sentence(exc), "error")
    return redirect(url_for("search.index") + "#saved")
