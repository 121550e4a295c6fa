"""Logging in (password, then a TOTP code where the role needs one), out, and the language."""

from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from archive.access.actors import Actor
from archive.access.users import CODE_WINDOW_SECONDS, LoginFailed, LoginThrottled
from archive.errors import InvalidInput
from web.access import SESSION_VERSION, SessionUser
from web.context import archive
from web.i18n import LANGUAGES, gettext, sentence
from web.redirects import local_path

bp = Blueprint("auth", __name__)
# A password stays good while the person types their code only as long as a code read
# at that moment is accepted: the half-logged-in state ends with its code window.
_PENDING_SECONDS = CODE_WINDOW_SECONDS


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Ask for name and password; on to the code page when a second factor is needed."""
    if request.method == "GET":
        return render_template("login.html")
    name = request.form.get("name", "").strip().lower()
    try:
        user = archive().users.check_password(name, request.form.get("password", ""), request.remote_addr)
    except LoginThrottled as exc:
        return _refused(sentence(exc), name, 429)
    except LoginFailed as exc:
        return _refused(sentence(exc), name, 401)
    if user.needs_totp or user.has_totp:
        next_page = session.get("next")
        session.clear()
        session["pending"] = {"name": user.name, "at": time.time(), "next": next_page, "sv": user.session_version}
        return redirect(url_for("auth.login_code"))
    return _logged_in(user, session.get("next"))


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """Ask for the TOTP code of the person whose password was just accepted."""
    pending = session.get("pending")
    known = archive().users.get(pending["name"]) if pending else None
    if (
        not pending
        or time.time() - pending["at"] > _PENDING_SECONDS
        or known is None
        or known.session_version != pending.get("sv")
    ):
        session.pop("pending", None)
        flash(gettext("Log in again, please."))
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("login_code.html")
    try:
        user = archive().users.check_totp(pending["name"], request.form.get("code", ""), request.remote_addr)
    except LoginThrottled as exc:
        return _refused(sentence(exc), None, 429, "login_code.html")
    except LoginFailed as exc:
        return _refused(sentence(exc), None, 401, "login_code.html")
    return _logged_in(user, pending.get("next"))


def _refused(message: str, name: str | None, status: int, template: str = "login.html"):
    return render_template(template, error=message, name=name), status


def _logged_in(user, next_page: str | None):
    language = session.get("lang")
    session.clear()  # a fresh session: nothing from before the log-in carries over
    if language:
        session["lang"] = language
    session.permanent = True
    session[SESSION_VERSION] = user.session_version
    login_user(SessionUser(user.name, user.role, user.language, user.session_version, user.must_change_password))
    if user.must_change_password:
        flash(gettext("Choose your own password now: the one you were given works only for this."))
        return redirect(url_for("auth.change_password"))
    return redirect(_safe_next(next_page))


def _safe_next(next_page: str | None) -> str:
    # Only a path on this site: never an open redirect to somewhere else.
    return local_path(next_page) or url_for("search.index")


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Let the logged-in person change their own password (the current one first)."""
    if request.method == "GET":
        return render_template("account_password.html")
    form = request.form
    values = {"current": form.get("current", ""), "new": form.get("new", ""), "repeat": form.get("repeat", "")}
    if values["new"] != values["repeat"]:
        return _password_refused(gettext("The two new passwords are not the same."), 400, "repeat")
    try:
        archive().users.change_own_password(current_user.name, values["current"], values["new"], request.remote_addr)
    except LoginThrottled as exc:
        return _password_refused(sentence(exc), 429, "current")
    except LoginFailed:
        return _password_refused(gettext("The current password is not right."), 401, "current")
    except InvalidInput as exc:
        return _password_refused(sentence(exc), 400, "new")
    # Every other session ended with the change; this one goes on under the new version.
    user = archive().users.require(current_user.name)
    session[SESSION_VERSION] = user.session_version
    flash(gettext("Your password was changed; you were logged out everywhere else."))
    return redirect(url_for("search.index"))


def _password_refused(message: str, status: int, field: str):
    return render_template("account_password.html", error=message, field=field), status


@bp.post("/logout")
def logout():
    """End every session of this user (a copied cookie too), then this one."""
    archive().users.end_sessions(current_user.name, Actor(current_user.name, current_user.role, request.remote_addr))
    logout_user()
    session.clear()
    flash(gettext("You are logged out."))
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    """Switch the interface language (remembered for a logged-in user)."""
    chosen = request.form.get("lang", "nl")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        from flask_login import current_user

        if current_user.is_authenticated:
            archive().users.set_language(current_user.name, chosen)
    return redirect(_safe_next(request.form.get("next")))
