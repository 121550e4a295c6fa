"""Jinja set-up: the language (Flask-Babel), `_()`, Babel's notation, and what the user may see."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import Babel
from flask_login import current_user

from archive.access.permissions import Permission
from archive.typed import spaced_iban
from web import audit_text, i18n, labels
from web.context import config
from web.i18n import gettext

__all__ = ["current_language", "gettext", "init_app", "type_label"]


def current_language() -> str:
    """Return the interface language: the session's choice, the user's, else the office's."""
    chosen = session.get("lang")
    if chosen in i18n.LANGUAGES:
        return chosen
    if getattr(current_user, "language", None) in i18n.LANGUAGES:
        return current_user.language
    return config().web.default_language


def _language() -> str:
    return g.get("lang") or current_language()


def type_label(document_type: str | None) -> str:
    """Return a document type's label in the current language (the code when unknown)."""
    if not document_type:
        return ""
    rule = config().extraction.types.get(document_type)
    if rule is None:
        return document_type
    return (rule.label_en if _language() == "en" else rule.label_nl) or document_type


def confidence(evidence: dict, name: str) -> str:
    """Return how sure the archive is of a fact: "92%", or who gave or corrected it."""
    fact = evidence.get(name)
    if not fact:
        return ""
    if fact.get("origin") in ("given", "corrected"):
        return labels.label(labels.FACT_ORIGINS, fact["origin"])
    value = fact.get("confidence")
    return i18n.format_percent(value, _language()) if value is not None else ""


def fact_value(fact: dict, currency: str | None = None) -> str:
    """Return an evidence row's value the way people write it: a type's name, a date, an amount (in
    the document's ``currency``, euros when none was read), an IBAN."""
    value = fact.get("value")
    if value in (None, ""):
        return ""
    language = _language()
    name = fact.get("name")
    if name == "document_type":
        return type_label(value)
    if name == "document_date":
        return i18n.format_date(value, language)
    if name == "amount":
        return i18n.format_amount(value, language, currency)
    if name == "iban":
        return spaced_iban(str(value))
    return str(value)


def init_app(app: Flask) -> None:
    """Pick the language per request and expose the helpers and filters to every template."""
    from web.access import may

    Babel(app, locale_selector=lambda: i18n.locale_for(_language()), timezone_selector=lambda: i18n.TIMEZONE)

    @app.before_request
    def pick_language() -> None:
        g.lang = current_language()

    @app.context_processor
    def helpers() -> dict:
        return {
            "_": gettext,
            "ngettext": i18n.ngettext,
            "lang": _language(),
            "may": may,
            "type_label": type_label,
            "confidence": confidence,
            "languages": i18n.LANGUAGES,
            "request_path": request.full_path,
            "config_blueprints": current_app.blueprints,
        }

    for name, function in labels.filters().items():
        app.add_template_filter(function, name)
    app.add_template_filter(lambda v: i18n.format_date(v, _language()), "date")
    app.add_template_filter(lambda v: i18n.format_datetime(v, _language()), "datetime")
    app.add_template_filter(lambda v, c="EUR": i18n.format_amount(v, _language(), c), "amount")
    app.add_template_filter(lambda v, d=None: i18n.format_number(v, _language(), d), "number")
    app.add_template_filter(lambda v: i18n.format_size(v, _language()), "size")
    app.add_template_filter(fact_value, "fact_value")
    app.add_template_filter(spaced_iban, "iban")
    app.add_template_filter(labels.fact_source, "fact_source")
    app.add_template_filter(lambda entry: audit_text.describe(entry, _language(), type_label), "audit_details")
    app.jinja_env.globals["Permission"] = Permission
