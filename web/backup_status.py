"""How the backups stand, said on the inbox page and — when something is wrong — on every page.

A failed or missed backup is only noticed if someone sees it: administrators (who
own backups) get a red banner on every page until a backup succeeds again; clerks
see the same on the inbox page. After a restore that brought destroyed documents
back, records managers and administrators see which until they are disposed of again.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask_login import current_user

from archive.access.permissions import Permission
from archive.errors import Message
from web import i18n
from web.context import archive
from web.i18n import gettext, ngettext


def backup_texts(figures: dict[str, Any]) -> dict[str, Any]:
    """Return the sentences to show for these figures, in the page's language."""
    status = figures["backup"]
    age = age_text(status["age_seconds"])
    state = status["state"]
    if state == "ok":
        headline = gettext("Last backup: snapshot {number}, {age} ago.", number=status["snapshot"], age=age)
        detail = status["destination"] or ""
    elif state == "failed":
        when = i18n.format_datetime(status["last_attempt_at"], g.get("lang", "nl"))
        headline = gettext("The backup of {when} failed.", when=when)
        message = Message.from_json(status.get("error_message"))
        detail = i18n.sentence(message) if message else (status["error"] or "")
        if age:
            headline += " " + gettext("The last good backup is {age} old.", age=age)
    elif state == "missed":
        headline = gettext("No backup has succeeded for {age}.", age=age)
        detail = gettext("Check that the backup disk or share is connected and that the archive is running.")
    elif state == "never":
        headline = gettext("No backup has been made yet.")
        detail = gettext("Check that the backup disk or share is connected and that the archive is running.")
    else:
        headline = gettext("No daily backup is set up.")
        # The clerk who reads this cannot set it; a setting's name would tell them nothing.
        detail = gettext("Ask an administrator to choose a disk or network share for the daily backup.")
    restored = figures.get("restored")
    restored_text = (
        gettext(
            "This archive was restored from snapshot {snapshot}. Documents destroyed after that snapshot are back: "
            "{ids}. Dispose of them again.",
            snapshot=restored["snapshot"],
            ids=", ".join(map(str, restored["destroyed_later"])),
        )
        if restored
        else None
    )
    return {
        "state": state,
        "alarming": status["alarming"] or state == "not_configured",
        "loud": status["alarming"],
        "headline": headline,
        "detail": detail,
        "restored": restored_text,
    }


def age_text(seconds: float | None) -> str:
    """Return an age as `40 minutes`, `5 hours`, `3 days` in the page's language."""
    if seconds is None:
        return ""
    if seconds >= 86400:
        return ngettext("{count} day", "{count} days", max(1, round(seconds / 86400)))
    if seconds >= 3600:
        return ngettext("{count} hour", "{count} hours", max(1, round(seconds / 3600)))
    return ngettext("{count} minute", "{count} minutes", max(1, round(seconds / 60)))


def init_app(app: Flask) -> None:
    """Give every page the banner for those who must act on a failed backup or a restore."""
    from web.access import may

    @app.context_processor
    def backup_banner() -> dict:
        if not getattr(current_user, "is_authenticated", False):
            return {"backup_banner": None}
        backups, records = may(Permission.BACKUP), may(Permission.DISPOSE_APPROVE)
        if not (backups or records):
            return {"backup_banner": None}
        texts = backup_texts(archive().backup_figures())
        shown = (backups and texts["loud"]) or (texts["restored"] is not None)
        return {"backup_banner": texts if shown else None}
