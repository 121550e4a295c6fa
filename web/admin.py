"""Users and roles, for administrators.

Whatever takes something away — disabling a user, a new second factor, revoking the
API tokens, another role, a temporary password — is asked once more on a
confirmation page that says what will happen, before it is done.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive.access.actors import ROLES
from archive.errors import ArchiveError
from web.access import current_actor
from web.context import archive
from web.i18n import sentence
from web.qr import enrolment
from web.templating import gettext

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Actions that end something the user has: each needs the confirmation page first.
DESTRUCTIVE = ("disable", "totp", "revoke", "role", "password")


def _page(status: int = 200, **shown):
    users = archive().users
    found = users.list()
    tokens = {user.name: users.token_count(user.name) for user in found}
    if shown.get("totp_uri"):
        shown["enrolment"] = enrolment(shown["totp_uri"], gettext("Second factor of {name}", name=shown["enrolled"]))
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
        user, totp_uri = archive().users.add(
            form.get("name", ""), form.get("role", ""), form.get("password", ""), current_actor()
        )
    except ArchiveError as exc:
        return _page(400, error=sentence(exc), typed=form)
    return _page(enrolled=user.name, totp_uri=totp_uri, message=gettext("The user was saved."))


@bp.route("/users/<name>", methods=["GET", "POST"])
def change_user(name: str):
    """Change a user's role, enable or disable them, renew their second factor, tokens or password.

    A confirmation ("make bea staff?") stands at this address; opened again it is the users page.
    """
    if request.method == "GET":
        return redirect(url_for("admin.users"))
    users = archive().users
    actor = current_actor()
    action = request.form.get("action", "")
    user = users.require(name)
    if action in DESTRUCTIVE and request.form.get("confirm") != "1":
        return render_template(
            "admin_confirm.html",
            user=user,
            action=action,
            role=request.form.get("role", ""),
            password=request.form.get("password", ""),
            tokens=users.token_count(name),
        )
    try:
        if action == "role":
            uri = users.set_role(name, request.form.get("role", ""), actor)
            return _page(
                enrolled=name, totp_uri=uri, message=gettext("The role was changed; {name} was logged out.", name=name)
            )
        if action in ("enable", "disable"):
            users.set_active(name, action == "enable", actor)
        elif action == "totp":
            return _page(enrolled=name, totp_uri=users.reset_totp(name, actor))
        elif action == "token":
            return _page(token_for=name, token=users.new_token(name, actor))
        elif action == "revoke":
            users.revoke_tokens(name, actor)
        elif action == "password":
            users.set_password(name, request.form.get("password", ""), actor, temporary=True)
            flash(
                gettext("{name} now logs in with the temporary password and must choose a new one at once.", name=name)
            )
            return redirect(url_for("admin.users"))
    except ArchiveError as exc:
        return _page(400, error=sentence(exc))
    flash(gettext("The user was saved."))
    return redirect(url_for("admin.users"))
