"""Who may open what: log-in for pages, tokens for the API, and the role check — all here.

Every endpoint is mapped to the archive Permission it needs (``archive.permissions``
defines the roles); an endpoint missing from the map is refused, so a new page
cannot be forgotten into being public.
"""

from __future__ import annotations

from typing import Literal, cast, overload

from flask import Flask, abort, g, jsonify, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user

from archive.access.actors import Actor
from archive.access.permissions import Permission, allows
from web.context import archive

# The session's key for the user's session version (see load_user).
SESSION_VERSION = "sv"
# Reachable without logging in.
PUBLIC = frozenset({"static", "auth.login", "auth.login_code", "auth.language"})
# Any logged-in user (no particular permission).
ANY_USER = object()

# What a user who must first choose a new password may still reach.
WHILE_CHANGING_PASSWORD = frozenset({"auth.logout", "auth.change_password", "auth.language", "static"})

ENDPOINTS: dict[str, object] = {
    "auth.logout": ANY_USER,
    "auth.change_password": ANY_USER,
    "search.index": Permission.SEARCH,
    "search.suggest": Permission.SEARCH,
    "search.keys": ANY_USER,
    "search.send": Permission.SEARCH,
    "documents.show": Permission.VIEW,
    "documents.thumbnail": Permission.VIEW,
    "documents.original": Permission.DOWNLOAD,
    "documents.pdf": Permission.DOWNLOAD,
    "documents.preview": Permission.VIEW,
    "documents.page_image": Permission.VIEW,
    "documents.edit": Permission.EDIT_FACTS,
    "documents.reveal_bsn": Permission.SEE_BSN,
    "bulk.apply": Permission.VIEW,  # the action's own permission is checked by the archive
    "bulk.save": Permission.SEARCH,
    "bulk.open_saved": Permission.SEARCH,
    "bulk.delete": Permission.SEARCH,
    "desk.add_tag": Permission.TAG,
    "desk.remove_tag": Permission.TAG,
    "desk.add_note": Permission.WRITE_NOTES,
    "desk.edit_note": Permission.WRITE_NOTES,
    "desk.set_title": Permission.EDIT_FACTS,
    "desk.set_custom": Permission.EDIT_FACTS,
    "upload.form": Permission.FILE,
    "upload.receive": Permission.FILE,
    "review.queue": Permission.REVIEW,
    "review.fix": Permission.REVIEW,
    "clients.index": Permission.VIEW,
    "clients.dossier": Permission.VIEW,
    "clients.new": Permission.MANAGE_CLIENTS,
    "clients.lookup": Permission.VIEW,
    "upload.status": Permission.FILE,
    "clients.reveal_bsn": Permission.SEE_BSN,
    "clients.edit": Permission.MANAGE_CLIENTS,
    "inbox.status": Permission.FILE,
    "inbox.retry": Permission.FILE,
    "inbox.remove": Permission.FILE,
    "records.overview": Permission.DISPOSE_PROPOSE,
    "records.add_hold": Permission.HOLD,
    "records.release_hold": Permission.HOLD,
    "records.approve": Permission.DISPOSE_APPROVE,
    "records.certificate": Permission.DISPOSE_PROPOSE,
    "audit.trail": Permission.READ_AUDIT,
    "audit.send_filters": Permission.READ_AUDIT,
    "audit.export_csv": Permission.READ_AUDIT,
    "audit.start_verify": Permission.VERIFY,
    "audit.start_export": Permission.EXPORT,
    "audit.job_status": Permission.READ_AUDIT,
    "audit.job_file": Permission.EXPORT,
    "admin.users": Permission.MANAGE_USERS,
    "admin.add_user": Permission.MANAGE_USERS,
    "admin.change_user": Permission.MANAGE_USERS,
    "api.search": Permission.SEARCH,
    "api.document": Permission.VIEW,
    "api.reveal_bsn": Permission.SEE_BSN,
    "api.original": Permission.DOWNLOAD,
    "api.upload": Permission.FILE,
    "api.filing_status": Permission.FILE,
    "api.clients": Permission.VIEW,
    "api.add_client": Permission.MANAGE_CLIENTS,
}
# Blueprints owned by other areas: every endpoint in them needs this permission.
BLUEPRINTS: dict[str, Permission] = {"analysis": Permission.STATS}


class SessionUser(UserMixin):
    """The logged-in person, reloaded from the database on every request."""

    def __init__(
        self,
        name: str,
        role: str,
        language: str | None = None,
        session_version: int = 0,
        must_change_password: bool = False,
    ) -> None:
        self.id = name
        self.name = name
        self.role = role
        self.language = language
        self.session_version = session_version
        self.must_change_password = must_change_password


def permission_for(endpoint: str | None) -> object | None:
    """Return what an endpoint needs: a Permission, ANY_USER, or None when it is unknown."""
    if endpoint is None:
        return None
    if endpoint in ENDPOINTS:
        return ENDPOINTS[endpoint]
    return BLUEPRINTS.get(endpoint.split(".", 1)[0])


def may(permission: Permission) -> bool:
    """Return whether the current person may (for showing links and buttons)."""
    actor = current_actor(required=False)
    return actor is not None and allows(actor, permission)


@overload
def current_actor(required: Literal[True] = True) -> Actor: ...


@overload
def current_actor(required: bool) -> Actor | None: ...


def current_actor(required: bool = True) -> Actor | None:
    """Return the acting user (from the API token or the session) with their address."""
    actor = g.get("actor")
    if actor is None and required:
        abort(401)
    return actor


def init_app(app: Flask) -> None:
    """Install the log-in manager and the one check in front of every endpoint."""
    manager = LoginManager(app)
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(name: str) -> SessionUser | None:
        # The session is good only under the version it was opened with: logging out, a new
        # password, another role or disabling moves the version on and ends every session.
        user = archive().users.get(name)
        if user is None or not user.active or session.get(SESSION_VERSION) != user.session_version:
            return None
        return SessionUser(user.name, user.role, user.language, user.session_version, user.must_change_password)

    app.before_request(_check_access)


def _check_access():
    endpoint = request.endpoint
    if endpoint in PUBLIC:
        return None
    needed = permission_for(endpoint)
    if request.path.startswith("/api/"):
        return _check_api(needed)
    if not current_user.is_authenticated:
        if needed is None and endpoint is None:
            abort(404)
        session["next"] = _return_path() if request.method == "GET" else None
        return redirect(url_for("auth.login"))
    if current_user.must_change_password and endpoint not in WHILE_CHANGING_PASSWORD:
        return redirect(url_for("auth.change_password"))
    g.actor = Actor(current_user.name, current_user.role, request.remote_addr)
    if needed is None:
        abort(404 if endpoint is None else 403)
    if needed is not ANY_USER and not allows(g.actor, cast(Permission, needed)):
        abort(403)
    return None


def _check_api(needed: object | None):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = archive().users.user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        response = jsonify({"error": "Log in with an API token: Authorization: Bearer <token>."})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="archive"'
        return response
    g.actor = user.actor(request.remote_addr)
    if needed is None or (needed is not ANY_USER and not allows(g.actor, cast(Permission, needed))):
        abort(403)
    return None


def _return_path() -> str:
    """Where to go after logging in; kept in the session cookie, so never with a BSN in it."""
    if archive().contains_bsn(request.full_path):
        return request.path
    return request.full_path
