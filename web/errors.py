"""The one place where errors become pages (or JSON for the API): never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from archive.errors import (
    ArchiveError, Conflict, IntegrityFailure, InvalidInput, NotFound, PermissionDenied, SearchUnavailable,
)
from web.templating import gettext

log = logging.getLogger(__name__)

_STATUS = ((NotFound, 404), (PermissionDenied, 403), (InvalidInput, 400), (Conflict, 409),
           (IntegrityFailure, 500), (SearchUnavailable, 503))
_TITLES = {400: "Not acceptable", 401: "Log in", 403: "Not allowed", 404: "Not found", 409: "Not acceptable",
           413: "Not acceptable", 500: "Something went wrong", 503: "Something went wrong"}
_MESSAGES = {403: "Your role does not allow this.", 404: "There is nothing at this address, or you may not see it.",
             413: "The upload is too large.", 500: "The archive could not do this; the details are in its log."}


def _status_for(exc: ArchiveError) -> int:
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 400


def error_response(status: int, message: str):
    """Return the error as JSON for the API, else as a page in the person's language."""
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return jsonify({"error": message}), status
    title = gettext(_TITLES.get(status, "Something went wrong"))
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    """Register the handlers for archive errors, HTTP errors and anything unexpected."""

    @app.errorhandler(ArchiveError)
    def archive_error(exc: ArchiveError):
        status = _status_for(exc)
        if status == 404:
            # The same answer for "does not exist" and "not yours to see".
            return error_response(404, gettext(_MESSAGES[404]))
        if status == 500:
            log.error("%s: %s", request.path, exc)
        return error_response(status, str(exc))

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, gettext("The form had expired; please try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = _MESSAGES.get(status)
        return error_response(status, gettext(message) if message else (exc.description or exc.name))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, gettext(_MESSAGES[500]))
