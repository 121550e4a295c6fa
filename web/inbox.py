"""The inbox: what waits, what is being filed, what failed and why (with a retry)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive.documents.filing import shown_name
from archive.errors import InvalidInput, Message
from web.access import current_actor
from web.backup_status import backup_texts
from web.context import archive
from web.i18n import gettext, sentence

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
def status():
    """Show the inbox's figures and the files that could not be filed."""
    opened = archive()
    # A note's reason is worded in the page's language; one from an older release has only its sentence.
    failed = [
        {**item, "reason": sentence(item["message"]) if item["message"] else item["reason"]}
        for item in opened.failed_inbox_files()
    ]
    return render_template(
        "inbox.html",
        status=_worded_pause(opened.inbox_status()),
        failed=failed,
        backup=backup_texts(opened.backup_figures()),
        mail=opened.mail_overview(),
    )


def _worded_pause(status: dict) -> dict:
    """The inbox's figures with the pause's reason in the page's language (a release before kept only English)."""
    paused = status.get("paused") or {}
    message = Message.from_json(paused.get("message"))
    if message is None:
        return status
    return {**status, "paused": {**paused, "reason": sentence(message)}}


@bp.post("/inbox/retry")
def retry():
    """Put a failed file back into the inbox so the watcher files it again.

    The page names the file by its key (``failed_files``), never by its name, which may hold a BSN.
    """
    name = archive().failed_file_named(request.form.get("key", ""))
    archive().retry_failed(name, current_actor())
    # A scan named after a BSN is shown masked.
    flash(gettext("{name} is back in the inbox and will be filed again.", name=shown_name(Path(name))))
    return redirect(url_for("inbox.status"))


@bp.post("/inbox/remove")
def remove():
    """Delete a failed file for good; its reasons and hash stay in the audit trail."""
    name = archive().failed_file_named(request.form.get("key", ""))
    try:
        archive().remove_failed(name, request.form.get("reason", ""), current_actor())
    except InvalidInput as exc:
        flash(sentence(exc), "error")
    else:
        flash(gettext("{name} was removed; the audit trail keeps why.", name=shown_name(Path(name))))
    return redirect(url_for("inbox.status"))
