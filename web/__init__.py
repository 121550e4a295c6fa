"""The web app: pages and JSON API over one Archive per process.

``create_app(config)`` is the factory; ``archive serve`` runs it under waitress.
The app opens the Archive once (it keeps a long-lived search index) unless it is
handed one already open (``archive run`` shares the watcher's).
"""

from __future__ import annotations

import atexit
import logging
from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from archive.config import Config
from web import (
    access,
    admin,
    analysis,
    api,
    audit,
    auth,
    backup_status,
    bulk,
    clients,
    desk,
    documents,
    errors,
    headers,
    inbox,
    records,
    review,
    search,
    templating,
    upload,
)
from web.secret import load_or_create_secret

log = logging.getLogger(__name__)

_PAGES = (auth, search, documents, desk, bulk, upload, review, clients, inbox, records, audit, admin, analysis)


class DatabaseId(IntegerConverter):
    """``<int:…>`` in every route: at most the largest id the database can hold.

    A larger number in a URL is no page (404), instead of an overflow deep in the
    database driver (500).
    """

    def __init__(
        self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = 2**63 - 1, signed: bool = False
    ) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(config: Config, archive=None) -> Flask:
    """Return the web app for this configuration; opens the Archive unless one is given."""
    app = Flask(__name__)
    app.url_map.converters["int"] = DatabaseId
    app.config.update(
        SECRET_KEY=load_or_create_secret(config.home / config.web.secret_key_file),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.web.secure_cookies,
        SESSION_COOKIE_NAME="archive_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.web.session_hours),
        MAX_CONTENT_LENGTH=config.web.max_upload_mb * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=config.web.session_hours * 3600,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
    )
    app.config["ARCHIVE_CONFIG"] = config
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the field order of DESIGN.md's JSON shapes
    if archive is None:
        archive = _open_archive(config)
    app.extensions["archive"] = archive
    csrf = CSRFProtect(app)
    _register_blueprints(app, csrf)
    access.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    backup_status.init_app(app)
    return app


def _open_archive(config: Config):
    from archive.service import Archive

    opened = Archive.open(config)
    atexit.register(opened.close)
    return opened


def _register_blueprints(app: Flask, csrf: CSRFProtect) -> None:
    for module in _PAGES:
        app.register_blueprint(module.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-only: no cookies, so no cross-site forgery
