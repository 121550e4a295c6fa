"""Users and roles, for administrators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive.access.actors import ROLES
from archive.errors import ArchiveError
from web.access import current_actor
from web.context import archive
from web.i18n import sentence
from web.templating import gettext

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(status: int = 200, **shown):
    users = archive().users
    found = users.list()
    tokens = {user.name: users.token_count(user.name) for user in found}
    return render_template("admin_users.html", users=found, roles=ROLES, tokens=tokens, **shown), status


@bp.get("/users")
def users():
    """List the users with their roles, second factor and tokens."""
    return _page()


@bp.post("/users")
def add_user():
    """Add a user; show the second-factor enrolment once when the role needs it."""
    form = request.form
    try:
        user, totp_uri = archive().users.add(form.get("name", ""), form.get("role", ""),
                                             form.get("password", ""), current_actor())
    except ArchiveError as exc:
        return _page(400, error=sentence(exc))
    return _page(enrolled=user.name, totp_uri=totp_uri, message=gettext("The user was saved."))


@bp.post("/users/<name>")
def change_user(name: str):
    """Change a user's role, enable or disable them, reset their second factor, or issue a token."""
    users = archive().users
    actor = current_actor()
    action = request.form.get("action", "")
    try:
        if action == "role":
            uri = users.set_role(name, request.form.get("role", ""), actor)
            return _page(enrolled=name, totp_uri=uri, message=gettext("The user was saved."))
        if action in ("enable", "disable"):
            users.set_active(name, action == "enable", actor)
        elif action == "totp":
            return _page(enrolled=name, totp_uri=users.reset_totp(name, actor))
        elif action == "token":
            return _page(token_for=name, token=users.new_token(name, actor))
        elif action == "revoke":
            users.revoke_tokens(name, actor)
        elif action == "password":
            users.set_password(name, request.form.get("password", ""), actor)
    except ArchiveError as exc:
        return _page(400, error=sentence(exc))
    flash(gettext("The user was saved."))
    return redirect(url_for("admin.users"))
