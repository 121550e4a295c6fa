"""The auditor's page: the audit trail filtered by user, document, client, action and dates; CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from web.access import current_actor
from web.context import archive
from web.headers import content_disposition

bp = Blueprint("audit", __name__)
_PAGE_LIMIT = 500


def filters_from(args) -> dict:
    """Return the audit filters in the request's parameters."""
    action = args.get("action", "").strip()
    return {
        "user": args.get("user", "").strip() or None,
        "document_id": args.get("document", type=int),
        "client_id": args.get("client", "").strip() or None,
        "actions": [action] if action else None,
        "since": args.get("since", "").strip() or None,
        "until": args.get("until", "").strip() or None,
    }


def _records():
    service = getattr(archive(), "records", None)
    if service is None:
        abort(404)
    return service


@bp.get("/audit")
def trail():
    """Show the newest matching entries (the read is itself audited)."""
    filters = filters_from(request.args)
    # One page more than shown tells whether there are more, without loading the whole trail.
    entries = _records().audit_log(current_actor(), **filters, limit=_PAGE_LIMIT + 1, newest_first=True)
    return render_template("audit.html", entries=entries[:_PAGE_LIMIT], more=len(entries) > _PAGE_LIMIT,
                           args=request.args, limit=_PAGE_LIMIT)


@bp.get("/audit.csv")
def export_csv():
    """Download every matching entry as CSV."""
    service = _records()
    entries = service.audit_log(current_actor(), **filters_from(request.args))
    response = Response(service.audit_csv(entries), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition("audit-trail.csv")
    return response
