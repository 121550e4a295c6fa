"""The one place where errors become pages (or JSON for the API): never a traceback.

A page (and the JSON a page's own script asks for) words the error in the person's
language from the catalogue; the JSON API answers in English, as the command line
does, with the same sentence and its stable ``code``, which is what a client program
should look at.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from archive.errors import (
    ArchiveError,
    Conflict,
    IntegrityFailure,
    InvalidInput,
    Message,
    NotFound,
    PermissionDenied,
    SearchUnavailable,
    StorageFailure,
    Templated,
    as_archive_error,
    render,
)
from web.i18n import N_, gettext, sentence

log = logging.getLogger(__name__)

_STATUS = (
    (NotFound, 404),
    (PermissionDenied, 403),
    (InvalidInput, 400),
    (Conflict, 409),
    (IntegrityFailure, 500),
    (StorageFailure, 500),
    (SearchUnavailable, 503),
)
_TITLES = {
    400: N_("Not acceptable"),
    401: N_("Log in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not acceptable"),
    409: N_("Not acceptable"),
    413: N_("Not acceptable"),
    429: N_("Not acceptable"),
    500: N_("Something went wrong"),
    503: N_("Something went wrong"),
}
_MESSAGES = {
    400: Message("http.bad_request", "The request could not be understood; go back and try again."),
    401: Message("http.log_in", "Log in again, please."),
    403: Message("http.forbidden", "Your role does not allow this."),
    404: Message("http.not_found", "There is nothing at this address, or you may not see it."),
    405: Message("http.method", "This address cannot be used this way; go back and use the page's buttons."),
    413: Message("http.too_large", "The upload is too large."),
    429: Message("http.too_many", "Too many requests at once; wait a moment and try again."),
    500: Message("http.internal", "The archive could not do this; the details are in its log."),
}
_EXPIRED = Message("http.form_expired", "The form had expired; please try again.")


def _status_for(exc: ArchiveError) -> int:
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 400


def error_response(status: int, message: Templated):
    """Return the error as English JSON for the API, else in the person's language (page or JSON)."""
    if request.path.startswith("/api/"):
        return jsonify({"error": render(message), "code": message.code}), status
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"error": sentence(message), "code": message.code}), status
    title = gettext(_TITLES.get(status, _TITLES[500]))
    return render_template("error.html", status=status, title=title, message=sentence(message)), status


def init_app(app: Flask) -> None:
    """Register the handlers for archive errors, HTTP errors and anything unexpected."""

    @app.errorhandler(ArchiveError)
    def archive_error(exc: ArchiveError):
        status = _status_for(exc)
        if status == 404:
            # The same answer for "does not exist" and "not yours to see".
            return error_response(404, _MESSAGES[404])
        if status >= 500:
            log.error("%s: %s", request.path, exc, exc_info=exc.__cause__ or exc)
        return error_response(status, exc)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, _EXPIRED)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        return error_response(status, _MESSAGES.get(status, _MESSAGES[400 if status < 500 else 500]))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        known = as_archive_error(exc)
        if known is not None:  # a leaf's error no service caught: still its own sentence
            return archive_error(known)
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, _MESSAGES[500])
