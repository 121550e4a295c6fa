"""Clients: list and search, add and edit, and a client's dossier by type and year."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for

from archive.access.permissions import Permission, allows, mask_bsn
from archive.documents.searching import SearchRequest
from archive.errors import InvalidInput
from archive.typed import spaced_iban
from web.access import current_actor
from web.context import archive
from web.i18n import sentence
from web.templating import gettext

bp = Blueprint("clients", __name__, url_prefix="/clients")

FIELDS = (
    "client_id",
    "name",
    "kind",
    "kvk",
    "vat",
    "iban",
    "bsn",
    "email",
    "street",
    "house_number",
    "postcode",
    "city",
)
_DOSSIER_LIMIT = 200


def client_values(form) -> dict[str, str | None]:
    """Return a client's fields from a form (blank means none)."""
    return {name: (form.get(name, "").strip() or None) for name in FIELDS}


# The field each of the registry's refusals is about ("client.iban_invalid" is the IBAN's).
_PROBLEM_FIELDS = {"client.number_missing": "client_id", "client.name_missing": "name"}


def field_errors(exc: InvalidInput) -> dict[str, str]:
    """Return, per form field in the form's order, the worded refusal of that field.

    Said only above the form, the clerk had to find the wrong field themselves, and the
    cursor stood in the client number instead of in the IBAN that was mistyped.
    """
    errors: dict[str, str] = {}
    problems = exc.values.get("problems", ())
    for problem in problems if isinstance(problems, tuple) else ():
        code = getattr(problem, "code", "")
        name = _PROBLEM_FIELDS.get(code) or code.removeprefix("client.").removesuffix("_invalid")
        if name in FIELDS and name not in errors:
            errors[name] = sentence(problem)
    return {name: errors[name] for name in FIELDS if name in errors}


def _refused(values: dict, exc: InvalidInput, editing: bool):
    errors = field_errors(exc)
    return render_template("client_form.html", values=values, error=sentence(exc), errors=errors, editing=editing), 400


@bp.post("/lookup")
def lookup():
    """The clients a clerk may mean by what they type (JSON; POST, so a BSN typed never lands in a URL)."""
    data = request.get_json(silent=True) or {}
    text = str(data.get("q", ""))[:100]
    found = archive().clients.lookup(text, current_actor())
    return jsonify(
        [
            {
                "client_id": c.client_id,
                "name": c.name,
                "postcode": c.postcode or "",
                "city": c.city or "",
                "kind": c.kind,
            }
            for c in found
        ]
    )


def _shown(client) -> dict:
    """A client's fields for a form: the IBAN spaced, the BSN masked (revealing it is its own, audited step)."""
    values = dict(vars(client))
    values["bsn"] = mask_bsn(values.get("bsn"))
    values["iban"] = spaced_iban(values.get("iban"))
    return values


@bp.post("/<client_id>/reveal-bsn")
def reveal_bsn(client_id: str):
    """Show a client's BSN in clear in the edit form to someone allowed; audited."""
    client = archive().clients.get(client_id)
    if client is None:
        abort(404)
    values = {**_shown(client), "bsn": archive().clients.reveal_bsn(client_id, current_actor())}
    return render_template("client_form.html", values=values, error=None, editing=True, revealed=True)


@bp.route("", methods=["GET", "POST"])
def index():
    """List the clients, optionally those matching the search text (sent by POST, so never in a URL)."""
    text = (request.form if request.method == "POST" else request.args).get("q", "").strip()
    found = archive().clients.browse(text or None, current_actor())
    return render_template("clients.html", clients=found, q=archive().mask_bsns(text))


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Add a client."""
    values = client_values(request.form) if request.method == "POST" else {"kind": "person"}
    if request.method == "POST":
        try:
            client = archive().clients.add(values, current_actor())
        except InvalidInput as exc:
            return _refused(values, exc, editing=False)
        flash(gettext("The client was saved."))
        return redirect(url_for("clients.dossier", client_id=client.client_id))
    return render_template("client_form.html", values=values, error=None, editing=False)


@bp.route("/<client_id>/edit", methods=["GET", "POST"])
def edit(client_id: str):
    """Change a client's details."""
    client = archive().clients.get(client_id)
    if client is None:
        abort(404)
    if request.method == "POST":
        values = {**client_values(request.form), "client_id": client_id}
        try:
            archive().clients.update(client_id, values, current_actor())
        except InvalidInput as exc:
            return _refused(values, exc, editing=True)
        flash(gettext("The client was saved."))
        return redirect(url_for("clients.dossier", client_id=client_id))
    return render_template(
        "client_form.html",
        values=_shown(client),
        error=None,
        editing=True,
        can_reveal=bool(client.bsn) and allows(current_actor(), Permission.SEE_BSN),
    )


@bp.get("/<client_id>")
def dossier(client_id: str):
    """Show a client and all their documents, grouped by type and year."""
    client = archive().clients.get(client_id)
    if client is None:
        abort(404)
    results = archive().search(
        SearchRequest(
            query=f'client:"{client_id}"',
            page_size=_DOSSIER_LIMIT,
            sort="date",
            with_facets=False,
            with_highlights=False,
        ),
        current_actor(),
    )
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for hit in results.hits:
        year = str(hit.document_date.year) if hit.document_date else ""  # undated: last, under "no date"
        groups[hit.document_type or ""][year].append(hit)
    ordered = {kind: dict(sorted(years.items(), reverse=True)) for kind, years in sorted(groups.items())}
    return render_template("dossier.html", client=client, groups=ordered, total=results.total, limit=_DOSSIER_LIMIT)
