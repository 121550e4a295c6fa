"""The JSON API: the same service calls as the pages, for scripts with an API token."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from archive.access.permissions import mask_bsn
from archive.documents.searching import SearchRequest, results_json
from archive.errors import InvalidInput
from web.access import current_actor
from web.clients import client_values
from web.context import archive, config
from web.headers import send_stored
from web.upload import HintsRefused, ingest_request_files

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/search", methods=["GET", "POST"])
def search():
    """GET /api/search?q=…&page=&size=&sort= (or POST the same as JSON) → {"total", "hits", "facets", …};
    with several nodes also "index": how far this node's index is behind the database ("behind").

    A search for a BSN is sent by POST: a number in a URL ends up in proxy and server logs.
    """
    params = (request.get_json(silent=True) or {}) if request.method == "POST" else request.args
    query = str(params.get("q", "")).strip()
    if not query:
        raise InvalidInput("api.query_missing", "Give a query: /api/search?q=words")
    if request.method == "GET" and archive().contains_bsn(query):
        raise InvalidInput(
            "api.bsn_in_url",
            'A search for a BSN goes by POST, with the query as JSON: {"q": "…"}; a BSN must never stand in a URL.',
        )
    size = min(max(_number(params.get("size"), config().search.page_size), 1), 200)
    sort = "date" if params.get("sort") == "date" else "relevance"
    results = archive().search(
        SearchRequest(query=query, page=_number(params.get("page"), 1), page_size=size, sort=sort), current_actor()
    )
    body = results_json(results)
    lag = archive().index_lag()
    if lag is not None:  # several nodes: a search says when its node has not seen every change yet
        body["index"] = lag
    return jsonify(body)


def _number(value: object, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    """GET /api/documents/<id> → the document as `archive show --json` gives it."""
    return jsonify(archive().document(document_id, current_actor()).to_json())


@bp.post("/documents/<int:document_id>/reveal-bsn")
def reveal_bsn(document_id: int):
    """POST /api/documents/<id>/reveal-bsn → the document with its BSNs in clear (clerks, auditors; audited)."""
    return jsonify(archive().revealed(document_id, current_actor()).to_json())


@bp.get("/documents/<int:document_id>/original")
def original(document_id: int):
    """GET /api/documents/<id>/original → the stored original's exact bytes."""
    actor = current_actor()
    path = archive().original_path(document_id, actor)
    view = archive().document(document_id, actor, audit=False)
    return send_stored(path, view.original_filename, view.mime_type)


@bp.post("/documents")
def upload():
    """POST /api/documents (multipart `file`, optional client_id, document_type, document_date) → outcomes."""
    try:
        outcomes = ingest_request_files(request.form, request.files, channel="api")
    except HintsRefused as exc:  # each refused fact with its own sentence, in English like the rest of the API
        return jsonify(
            {
                "error": " ".join(str(e) for e in exc.fields.values()),
                "code": exc.code,
                "fields": {name: str(e) for name, e in exc.fields.items()},
            }
        ), 400
    for outcome in outcomes:
        outcome.pop("message", None)
    if any(o["status"] == "received" for o in outcomes):
        status = 202  # handed over, being read: GET /api/documents/<id>/status says when it is filed
    else:
        status = 201 if any(o["status"] == "filed" for o in outcomes) else 200
    return jsonify(outcomes[0] if len(outcomes) == 1 else {"outcomes": outcomes}), status


@bp.get("/documents/<int:document_id>/status")
def filing_status(document_id: int):
    """GET /api/documents/<id>/status → the filing outcome so far ("received", "filed" or "failed")."""
    return jsonify(archive().filing_status(document_id, current_actor()).to_json())


def _client_json(client) -> dict:
    data = dict(vars(client))
    data["bsn"] = mask_bsn(data.get("bsn"))  # for every role: seeing one in full is the audited reveal
    return data


@bp.get("/clients")
def clients():
    """GET /api/clients?q= → the clients (matching the text)."""
    text = request.args.get("q", "").strip() or None
    return jsonify([_client_json(c) for c in archive().clients.browse(text, current_actor())])


@bp.post("/clients")
def add_client():
    """POST /api/clients (JSON or form fields of the client CSV) → the client added."""
    data = request.get_json(silent=True)
    values = client_values(data if isinstance(data, dict) else request.form)
    client = archive().clients.add(values, current_actor())
    return jsonify(_client_json(client)), 201
