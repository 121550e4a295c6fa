"""Jinja set-up: the language, `_()`, Dutch dates and amounts, and what the user may see."""

from __future__ import annotations

import re

from flask import Flask, current_app, g, request, session
from flask_login import current_user

from archive.access.permissions import Permission
from web import i18n
from web.context import config


def current_language() -> str:
    """Return the interface language: the session's choice, the user's, else the configured one."""
    chosen = session.get("lang")
    if chosen in i18n.LANGUAGES:
        return chosen
    if getattr(current_user, "language", None) in i18n.LANGUAGES:
        return current_user.language
    return config().web.language if config().web.language in i18n.LANGUAGES else "nl"


def gettext(text: str, **values: object) -> str:
    """Return the text translated into the current language."""
    language = g.get("lang") or current_language()
    return i18n.translate(language, text, **values)


def gettext_sentence(text: str) -> str:
    """Translate a sentence the archive gave (an error), keeping a number in it."""
    number = re.search(r"\d+", text)
    if number is not None:
        template = text[: number.start()] + "{n}" + text[number.end():]
        if template in _known():
            return gettext(template, n=number.group(0))
    return gettext(text)


def gettext_error(exc: BaseException) -> str:
    """Translate an error for the page: a query error by its template and values, else its sentence."""
    source = exc if hasattr(exc, "template") else exc.__cause__
    template = getattr(source, "template", None)
    known = _known()
    if template is not None and template in known:
        return known[template].format(**source.values)
    return gettext_sentence(str(exc))


def _known() -> dict[str, str]:
    return i18n.CATALOGUES.get(g.get("lang") or current_language(), {})


def type_label(document_type: str | None) -> str:
    """Return a document type's label in the current language (the code when unknown)."""
    if not document_type:
        return ""
    rule = config().extraction.types.get(document_type)
    if rule is None:
        return document_type
    return (rule.label_en if g.get("lang") == "en" else rule.label_nl) or document_type


def confidence(evidence: dict, name: str) -> str:
    """Return how sure the archive is of a fact: "92%", or who gave or corrected it."""
    fact = evidence.get(name)
    if not fact:
        return ""
    if fact.get("origin") in ("given", "corrected"):
        return gettext(fact["origin"])
    value = fact.get("confidence")
    return f"{round(value * 100)}%" if value is not None else ""


def _action_label(action: str) -> str:
    label = gettext(f"action:{action}")
    return action if label.startswith("action:") else label


def init_app(app: Flask) -> None:
    """Expose the helpers to every template."""
    from web.access import may

    @app.before_request
    def pick_language() -> None:
        g.lang = current_language()

    @app.context_processor
    def helpers() -> dict:
        lang = g.get("lang", "nl")
        return {
            "_": gettext, "lang": lang, "may": may, "type_label": type_label, "confidence": confidence,
            "languages": i18n.LANGUAGES, "request_path": request.full_path,
            "config_blueprints": current_app.blueprints,
        }

    app.add_template_filter(lambda v: gettext(v), "translate")
    app.add_template_filter(_action_label, "action")
    app.add_template_filter(lambda v: i18n.format_date(v, g.get("lang", "nl")), "date")
    app.add_template_filter(lambda v: gettext(v), "translate")
    app.add_template_filter(_action_label, "action")
    app.add_template_filter(lambda v: i18n.format_datetime(v, g.get("lang", "nl")), "datetime")
    app.add_template_filter(lambda v, c="EUR": i18n.format_amount(v, g.get("lang", "nl"), c), "amount")
    app.add_template_filter(lambda v: i18n.format_size(v, g.get("lang", "nl")), "size")
    app.jinja_env.globals["Permission"] = Permission
