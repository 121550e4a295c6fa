"""The inbox: what waits, what is being filed, what failed and why (with a retry)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive.inbox.retry import failed_files, retry_failed
from archive.inbox.status import inbox_status
from web.access import current_actor
from web.context import archive, config

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
def status():
    """Show the inbox's figures and the files that could not be filed."""
    opened = archive()
    figures = inbox_status(config().inbox_path, opened.db, opened.clock.now())
    return render_template("inbox.html", status=figures, failed=failed_files(config().inbox_path))


@bp.post("/inbox/retry")
def retry():
    """Put a failed file back into the inbox so the watcher files it again."""
    name = request.form.get("name", "")
    retry_failed(config().inbox_path, name, current_actor(), archive().audit)
    flash(name)
    return redirect(url_for("inbox.status"))
