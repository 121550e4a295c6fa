"""The auditor's page: the audit trail filtered by user, document, client, action and dates; CSV export;
and the auditor's checks: verify the archive, export evidence, both with progress.

Actions are shown and chosen by their names in the page's language; a typed action
may be the code, or its name in Dutch or English (``zoeken``, ``gezocht``, ``search``).

The filter form is sent by POST and answered with ``/audit?ref=…``: what an auditor
filters on (a client, a person's name, a BSN typed by mistake) is kept on the server
(``web.query_refs``) and never stands in an address, a browser's history or a log.
"""

from __future__ import annotations

import shutil
from urllib.parse import parse_qsl, urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.datastructures import MultiDict

from archive.access.permissions import Permission, allows
from archive.jobs import LOST_AFTER, Job, JobStatus
from web import labels
from web.access import current_actor
from web.context import archive
from web.headers import content_disposition
from web.i18n import gettext, sentence
from web.query_refs import query_refs

bp = Blueprint("audit", __name__)
_PAGE_LIMIT = 500
_PROBLEMS_SHOWN = 200
# The filter form's fields, in the order they are kept.
FILTER_FIELDS = ("user", "document", "client", "action", "since", "until")
_KIND = "audit"


def filters_from(args) -> tuple[dict, dict[str, str]]:
    """Return the audit filters in the request's parameters, and what to say of a field (an unknown action)."""
    typed = args.get("action", "").strip()
    actions = labels.codes_for(labels.ACTIONS, typed, gettext) if typed else []
    problem = (
        gettext("No action is called “{typed}”; choose one from the list.", typed=typed)
        if (typed and not actions)
        else None
    )
    client_id, client_problem = client_meant(args.get("client", "").strip())
    document_id, document_problem = document_meant(args.get("document", "").strip())
    return {
        # Names are kept in lower case: "Anna" typed is the trail's "anna", not nobody.
        "user": args.get("user", "").strip().lower() or None,
        "document_id": document_id,
        "client_id": client_id,
        "actions": actions or None,
        "since": args.get("since", "").strip() or None,
        "until": args.get("until", "").strip() or None,
    }, {
        field: said
        for field, said in (("action", problem), ("client", client_problem), ("document", document_problem))
        if said
    }


def document_meant(typed: str) -> tuple[int | None, str | None]:
    """Return the document number typed (``12``, ``#12``), or what to say when it is none.

    A number that cannot be read must not be dropped: the whole trail would then be
    shown as if it were that document's.
    """
    digits = typed.lstrip("#").strip()
    if not typed:
        return None, None
    if not digits.isdigit():
        return None, gettext("“{typed}” is not a document number; type its number, such as 12.", typed=typed)
    return int(digits), None


def client_meant(typed: str) -> tuple[str | None, str | None]:
    """Return the client number a typed number, name or identifier (a BSN, say) means, or what to say.

    The trail names clients by number only; a name or a BSN matched as typed would find
    no entries, and an auditor could read that as "nobody looked at this client".
    """
    if not typed:
        return None, None
    found = archive().clients.lookup(typed, current_actor())
    exact = [client for client in found if client.client_id.lower() == typed.lower()]
    if exact or len(found) == 1:
        return (exact or found)[0].client_id, None
    if found:
        names = ", ".join(f"{client.client_id} ({client.name})" for client in found[:5])
        return None, gettext(
            "Several clients fit “{typed}”: {names}. Type the client number.", typed=typed, names=names
        )
    return typed, None  # a number the trail may know although the client list no longer does


def _kept_address(endpoint: str, values) -> str:
    """Return a page's address for these filters: plain when there are none, else by a kept reference."""
    filled = [(name, values.get(name, "").strip()) for name in FILTER_FIELDS if values.get(name, "").strip()]
    if not filled:
        return url_for(endpoint)
    return url_for(endpoint, ref=query_refs().keep(current_actor().name, urlencode(filled), kind=_KIND))


def _asked_filters(endpoint: str):
    """Return (the filters asked for, their reference), or a redirect that takes them out of the address."""
    if any(name in request.args for name in FILTER_FIELDS):
        # An old link or the address bar: answer with the reference, so the filter leaves the address at once.
        return redirect(_kept_address(endpoint, request.args), 303)
    ref = request.args.get("ref", "")
    if not ref:
        return MultiDict(), ""
    kept = query_refs().query(current_actor().name, ref, kind=_KIND)
    if kept is None:
        flash(gettext("That filter opens only for whoever made it, on the same working day; fill it in again, please."))
        return redirect(url_for("audit.trail"), 303)
    return MultiDict(parse_qsl(kept)), ref


@bp.post("/audit")
def send_filters():
    """The filter form, sent by POST: answered with the address of the filtered trail (or of its CSV)."""
    endpoint = "audit.export_csv" if request.form.get("as") == "csv" else "audit.trail"
    return redirect(_kept_address(endpoint, request.form), 303)


def _records():
    service = getattr(archive(), "records", None)
    if service is None:
        abort(404)
    return service


@bp.get("/audit")
def trail():
    """Show the newest matching entries (the read is itself audited)."""
    asked = _asked_filters("audit.trail")
    if not isinstance(asked, tuple):
        return asked
    args, ref = asked
    filters, problems = filters_from(args)
    entries: list[dict] = []
    if not problems:
        # One page more than shown tells whether there are more, without loading the whole trail.
        entries = _records().audit_log(current_actor(), **filters, limit=_PAGE_LIMIT + 1, newest_first=True)
    actions = sorted(labels.ACTIONS, key=lambda code: labels.label(labels.ACTIONS, code).lower())
    actor = current_actor()
    return render_template(
        "audit.html",
        entries=entries[:_PAGE_LIMIT],
        more=len(entries) > _PAGE_LIMIT,
        args=args,
        ref=ref,
        limit=_PAGE_LIMIT,
        actions=actions,
        problems=problems,
        client=archive().clients.get(filters["client_id"]) if filters["client_id"] else None,
        can_verify=allows(actor, Permission.VERIFY),
        can_export=allows(actor, Permission.EXPORT),
        current_jobs=_current_jobs(actor.name),
    )


def _current_jobs(user: str) -> dict[str, str]:
    """The address of each kind of check this user has running or just ended: a reload follows it again."""
    found = {}
    for kind in ("verify", "export"):
        job = archive().jobs.current(user, kind)
        if job is not None:
            found[kind] = url_for("audit.job_status", job_id=job.id)
    return found


@bp.get("/audit.csv")
def export_csv():
    """Download every matching entry as CSV (no cell a spreadsheet would run as a formula)."""
    service = _records()
    asked = _asked_filters("audit.export_csv")
    if not isinstance(asked, tuple):
        return asked
    filters, problems = filters_from(asked[0])
    if problems:
        abort(400)
    entries = service.audit_log(current_actor(), **filters)
    response = Response(service.audit_csv(entries), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition("audit-trail.csv")
    return response


@bp.post("/audit/verify")
def start_verify():
    """Start checking every stored file and the audit trail; answer with the job to follow."""
    actor = current_actor()
    opened = archive()  # taken here: the job runs in a thread of its own, outside the request

    def work(job: Job) -> dict:
        report = opened.verify_all(actor, progress=lambda _n: job.step())
        problems = report.get("problems", [])
        # What the page shows, kept for whichever node the page asks next.
        return {
            "ok": bool(report.get("ok")),
            "files_checked": report.get("files_checked", 0),
            "audit_entries": report.get("audit_entries", 0),
            "problem_count": len(problems),
            "problems": [str(problem) for problem in problems[:_PROBLEMS_SHOWN]],
        }

    job_id = opened.jobs.start(actor.name, "verify", work, total=opened.count_documents())
    return _job_answer(job_id), 202


@bp.post("/audit/export")
def start_export():
    """Start writing an evidence bag (zip) of a client's or a search's documents."""
    actor = current_actor()
    # The client as the filter box means it: a BSN or a name typed here is the client it names.
    client_id, problem = client_meant(request.form.get("client", "").strip())
    if problem is not None:
        return jsonify({"error": problem}), 400
    query = request.form.get("query", "").strip() or None
    name = f"bewijs-{client_id or 'zoekopdracht'}.zip"
    records = _records()  # taken here: the job runs in a thread of its own, outside the request

    def work(job: Job) -> dict:
        # The job's own folder: removed when the export fails, and swept with the job if its node dies.
        result = records.export_zip(
            actor,
            job.workspace() / name,
            client_id=client_id,
            query=query,
            progress=lambda done, total: job.step(done, total),
        )
        job.file = result.path
        return {"documents": len(result.documents), "files": result.files}

    job_id = archive().jobs.start(actor.name, "export", work)
    return _job_answer(job_id), 202


@bp.get("/audit/jobs/<job_id>")
def job_status(job_id: str):
    """How far a check is, and its outcome once done (JSON for the page)."""
    job = archive().jobs.status(current_actor().name, job_id)
    if job is None:
        # Another user's check is answered as one never started: an id tells nothing.
        unknown = gettext(
            "This check is not known: it ended more than an hour ago, or it is not yours. Start it again."
        )
        return jsonify({"id": job_id, "finished": True, "done": 0, "total": None, "error": unknown}), 404
    return jsonify(_job_json(job))


@bp.get("/audit/jobs/<job_id>/file")
def job_file(job_id: str):
    """Download what an export wrote (once); the file is removed after it was sent."""
    path = archive().jobs.take_file(current_actor().name, job_id)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="application/zip", max_age=0)
    response.headers["Content-Disposition"] = content_disposition(path.name)
    response.call_on_close(lambda: shutil.rmtree(path.parent, ignore_errors=True))
    return response


def _job_answer(job_id: str) -> Response:
    job = archive().jobs.status(current_actor().name, job_id)
    assert job is not None  # just started by this user
    return jsonify(_job_json(job))


def _job_json(job: JobStatus) -> dict:
    data: dict = {
        "id": job.id,
        "kind": job.kind,
        "done": job.done,
        "total": job.total,
        "finished": job.ended,
        "state": job.state,
        "url": url_for("audit.job_status", job_id=job.id),
    }
    if job.silent_for is not None:
        data["quiet"] = gettext(
            "The server running this check has not been heard from for {seconds} seconds;"
            " after {limit} seconds the check counts as stopped.",
            seconds=job.silent_for,
            limit=int(LOST_AFTER.total_seconds()),
        )
    if job.state == "lost":
        data["error"] = gettext("The server running this check stopped before it ended; start the check again.")
    elif job.state == "failed":
        data["error"] = (
            sentence(job.error)
            if job.error is not None
            else gettext("The archive could not do this; the details are in its log.")
        )
    elif job.ended and job.kind == "verify":
        report = job.result or {}
        data["ok"] = bool(report.get("ok"))
        data["summary"] = (
            gettext(
                "Everything checked is as it was kept: {files} files, {entries} audit entries.",
                files=report.get("files_checked", 0),
                entries=report.get("audit_entries", 0),
            )
            if report.get("ok")
            else gettext("Problems found: {count}.", count=report.get("problem_count", 0))
        )
        data["problems"] = report.get("problems", [])[:200]
    elif job.ended and job.kind == "export":
        data["summary"] = gettext(
            "The evidence bag holds {documents} documents.", documents=(job.result or {}).get("documents", 0)
        )
        data["file"] = url_for("audit.job_file", job_id=job.id) if job.has_file else None
    return data
