"""The web app's two languages: gettext catalogues for words, Babel for notation.

Every sentence comes from ``web/translations/<language>/LC_MESSAGES/messages.po``
(``make messages`` extracts and updates them, ``make install`` compiles them). A
message id is the English text with ``{named}`` blanks, filled in after
translation, so a value never changes which sentence is looked up. Codes (a role,
a review reason, an audit action) are turned into words by the tables of
``web.labels``, never by using the code as a message id.

Numbers, amounts and dates are written by Babel in the language's locale: Dutch
``€ 1.234,56`` and ``12 maart 2024``; English is British, ``€1,234.56`` and
``12 March 2024`` (an American month-first date would misread in a Dutch office).
Dates and the wording of messages come from ``archive.wording``, which the inbox
uses too for the notes it writes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel import numbers as babel_numbers
from flask_babel import get_locale, get_translations

from archive.errors import Templated
from archive.wording import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LOCALES,
    TIMEZONE,
    format_date,
    format_datetime,
    locale_for,
    word,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALES",
    "N_",
    "TIMEZONE",
    "format_amount",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_size",
    "gettext",
    "locale_for",
    "ngettext",
    "pgettext",
    "sentence",
]


def N_(msgid: str) -> str:
    """Mark a message id for extraction where it is defined; it is translated where it is shown."""
    return msgid


def gettext(msgid: str, **values: object) -> str:
    """Return the message in the current request's language with its blanks filled in."""
    return fill(get_translations().ugettext(msgid), values)


def ngettext(singular: str, plural: str, count: int, **values: object) -> str:
    """Return the singular or plural form for ``count``; ``{count}`` is filled in too."""
    return fill(get_translations().ungettext(singular, plural, count), {"count": count, **values})


def pgettext(context: str, msgid: str, **values: object) -> str:
    """Return the message of this context (a message code) in the current language."""
    return fill(get_translations().upgettext(context, msgid), values)


def fill(text: str, values: dict[str, object]) -> str:
    """Return the text with its ``{named}`` blanks filled (as it is when there are no values)."""
    return text.format(**values) if values else text


def format_amount(value: object, language: str, currency: str | None = "EUR") -> str:
    """Return an amount as `€ 1.234,56` (Dutch) or `€1,234.56` (English); empty for none."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return babel_numbers.format_currency(amount, currency or "EUR", locale=locale_for(language))


def format_number(value: object, language: str, decimals: int | None = None) -> str:
    """Return a number in the language's notation (`1.234,5` / `1,234.5`), with fixed decimals if asked."""
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=locale_for(language))  # type: ignore[arg-type]


def format_percent(share: float, language: str, decimals: int = 0) -> str:
    """Return a share 0–1 as a percentage (`12,5%` / `12.5%`)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return babel_numbers.format_percent(share, format=pattern, locale=locale_for(language))


def format_size(size: object, language: str) -> str:
    """Return a byte count as `1,5 kB` / `1.5 kB`."""
    try:
        number = float(size)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    for unit in ("B", "kB", "MB", "GB"):
        if number < 1024 or unit == "GB":
            return f"{format_number(number, language, 0 if unit == 'B' else 1)} {unit}"
        number /= 1024
    return ""


def sentence(message: Templated) -> str:
    """Return an error or a failure reason worded in the current request's language, its values filled in.

    The catalogue is asked by the message's code (the context) and template (the id);
    a phrase among the values is worded the same way, and a date is written for the
    language. An error raised without a code has only its English sentence.
    """
    return word(message, get_translations(), _language())


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT_LANGUAGE
