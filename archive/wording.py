"""Messages worded in a language from the gettext catalogues, and dates written by Babel.

The catalogues are the web app's (``web/translations/<language>/LC_MESSAGES``, compiled
by ``make install``): they hold the office's words for every sentence the archive has.
The web app words errors with them for each request's language; the inbox writes the
note beside a file it could not file in the office's language (``[web]
default_language``) with the same catalogue, read here without Flask.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Protocol

from babel import dates as babel_dates
from babel.support import NullTranslations, Translations

from archive.errors import Templated, is_templated, render
from ingest.values.dates import DEFAULT_LANGUAGE, LOCALES, write_date

CATALOGUES = Path(__file__).resolve().parent.parent / "web" / "translations"
LANGUAGES = ("nl", "en")
TIMEZONE = "Europe/Amsterdam"

Wording = Callable[[Templated], str]


class Catalogue(Protocol):
    """The part of a gettext catalogue that words a message: its text for a code (context) and template."""

    def upgettext(self, context: str, message: str) -> str: ...


def locale_for(language: str) -> str:
    """Return the Babel locale of an interface language (Dutch for an unknown one)."""
    return LOCALES.get(language, LOCALES[DEFAULT_LANGUAGE])


def word(message: Templated, catalogue: Catalogue, language: str) -> str:
    """Return the message in the catalogue's language, its phrases worded and its dates written the same way.

    A message without a code (an older stored reason) has only its English sentence.
    """
    template = catalogue.upgettext(message.code, message.template) if message.code else message.template
    return render(message, template, shown=functools.partial(_shown, catalogue=catalogue, language=language))


def _shown(value: object, catalogue: Catalogue, language: str) -> object:
    if is_templated(value):
        return word(value, catalogue, language)  # type: ignore[arg-type]
    if isinstance(value, datetime):
        return format_datetime(value, language)
    if isinstance(value, date):
        return format_date(value, language)
    return value


@functools.lru_cache(maxsize=len(LANGUAGES) + 1)
def catalogue_for(language: str) -> Catalogue:
    """Return the compiled catalogue of a language (English words when there is none)."""
    found = Translations.load(str(CATALOGUES), [locale_for(language)])
    return found if isinstance(found, Translations) else NullTranslations()


def office_wording(language: str) -> Wording:
    """Return a function that words messages in ``language``, for what the archive writes outside the web app."""
    return functools.partial(word, catalogue=catalogue_for(language), language=language)


def english(message: Templated) -> str:
    """Return the message's English sentence (the command line's, the log's)."""
    return render(message)


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def format_date(value: object, language: str) -> str:
    """Return a date as `12 maart 2024` / `12 March 2024`; empty for none."""
    day = _as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return write_date(day, language)


def format_datetime(value: object, language: str) -> str:
    """Return a UTC timestamp as local date and time, `12 maart 2024 14:05`."""
    if value in (None, ""):
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    locale = locale_for(language)
    local = moment.astimezone(babel_dates.get_timezone(TIMEZONE))
    day = babel_dates.format_date(local, "long", locale=locale)
    return f"{day} {babel_dates.format_time(local, 'short', locale=locale)}"
