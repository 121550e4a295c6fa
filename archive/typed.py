"""What a person types for an amount, a date, a period, a BSN or an IBAN, read by the one rule.

The rule itself lives in ``ingest.values`` and ``ingest.facts.identifiers`` (shared with
fact extraction and search);
this module only says, once for every form, option and filter of the archive, what a
person is told when the text is not understood.
"""

from __future__ import annotations

from datetime import date

from archive.errors import InvalidInput
from ingest.facts.identifiers import spaced_iban, typed_iban
from ingest.values import (
    NotABsn,
    NotADate,
    NotAnAmount,
    format_amount,
    parse_amount,
    parse_bsn,
    parse_date,
    parse_period,
)

__all__ = [
    "period_end",
    "period_start",
    "read_amount",
    "read_bsn",
    "read_date",
    "read_iban",
    "read_optional_date",
    "spaced_iban",
]


def read_amount(text: str) -> str:
    """Return a typed amount (``€ 1.234,56``, ``1,234.56``, ``99,-``) as stored: ``"1234.56"``; raise InvalidInput."""
    try:
        return format_amount(parse_amount(text))
    except NotAnAmount as exc:
        raise InvalidInput(
            "value.not_an_amount", "'{typed}' is not an amount; write it like 1234,56.", typed=text
        ) from exc


def read_date(text: str) -> date:
    """Return a typed day (``2024-03-12``, ``12-03-2024``, ``12 maart 2024``…); raise InvalidInput."""
    try:
        return parse_date(text)
    except NotADate as exc:
        raise InvalidInput(
            "value.not_a_date", "'{typed}' is not a date; write it like 12-03-2024.", typed=text
        ) from exc


def read_optional_date(text: str | None) -> date | None:
    """Return ``read_date`` of the text, None when nothing was typed."""
    return read_date(text) if text and text.strip() else None


def period_start(text: str | None) -> date | None:
    """Return the first day of a typed year, month or day (``2024``, ``2024-03``, ``12-03-2024``); None for none."""
    return _period(text)[0] if text and text.strip() else None


def period_end(text: str | None) -> date | None:
    """Return the last day of a typed year, month or day; None when nothing was typed."""
    return _period(text)[1] if text and text.strip() else None


def read_bsn(text: str) -> str:
    """Return the nine digits of a typed BSN (``123 456 782``, ``1234.56.782``); raise InvalidInput."""
    try:
        return parse_bsn(text)
    except NotABsn as exc:
        # The number is not repeated: a sentence may reach a log line.
        raise InvalidInput("value.not_a_bsn", "This is not a valid BSN.") from exc


def read_iban(text: str) -> str:
    """Return a typed IBAN (``NL91 ABNA 0417 1643 00`` or unspaced) as stored, compact; raise InvalidInput.

    Strict: the OCR repairs of extraction (an O read for a 0) are not applied to what a
    person typed, so a typo is shown back instead of becoming another account.
    """
    value = typed_iban(text)
    if value is None:
        raise InvalidInput("value.not_an_iban", "'{typed}' is not a valid IBAN.", typed=text)
    return value


def _period(text: str) -> tuple[date, date]:
    try:
        return parse_period(text)
    except NotADate as exc:
        raise InvalidInput(
            "value.not_a_period", "'{typed}' is not a date; write it like 12-03-2024, 2024-03 or 2024.", typed=text
        ) from exc
