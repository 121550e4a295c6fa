"""Money amounts in Dutch (``€ 1.234,56``, ``EUR 99,-``) and English (``1,234.56``) forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Currency marks as printed, mapped to ISO 4217 codes.
CURRENCY_CODES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "$": "USD", "usd": "USD", "us$": "USD",
    "£": "GBP", "gbp": "GBP", "rm": "MYR", "myr": "MYR", "inr": "INR", "rs": "INR",
    "rs.": "INR", "₹": "INR", "chf": "CHF",
}
_CUR = r"€|eur(?:o)?|us\$|usd|\$|£|gbp|rm|myr|inr|rs\.?|₹|chf"
_NUMBER = (
    r"\d{1,3}(?:[.,\u2009 ]\d{3})+(?:[.,]\d{2}|,-{1,2})?"  # grouped thousands, optional cents
    r"|\d+[.,]\d{2}"  # plain with cents
    r"|\d+,-{1,2}"  # Dutch whole euros: 99,-
    r"|[.,]\d{2}"  # receipts print .02 for 0.02
    r"|\d+"
)
_AMOUNT = re.compile(
    rf"(?<![\w.,/:-])(?:(?P<cur>{_CUR})\s?)?(?P<sign>-\s?)?(?:(?P<cur_b>{_CUR})\s?)?"
    rf"(?P<num>{_NUMBER})(?![\w%]|[.,/:-]?\d|\s?%)(?:\s?(?P<cur2>€|eur\b|euro\b|rm\b|usd\b|\$)(?!\s?-?\d))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """One money amount found in a line: value, currency (or None), span and text."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    text: str
    has_cents: bool


def parse_number(raw: str) -> Decimal | None:
    """Return the value of a printed amount such as ``1.234,56`` / ``1,234.56`` / ``99,-``."""
    text = raw.replace("\u2009", "").replace(" ", "").rstrip("-")
    if text.endswith(","):
        text = text[:-1]
    match = re.search(r"[.,](\d{2})$", text)
    if match:
        whole, cents = text[: match.start()], match.group(1)
    else:
        whole, cents = text, "00"
    whole = re.sub(r"[.,]", "", whole) or "0"
    try:
        return Decimal(f"{int(whole)}.{cents}")
    except (InvalidOperation, ValueError):
        return None


def find_amounts(line: str) -> list[Amount]:
    """Return the money amounts in one line; bare integers only when a currency is printed."""
    found: list[Amount] = []
    for match in _AMOUNT.finditer(line):
        num = match.group("num")
        cur = match.group("cur") or match.group("cur_b") or match.group("cur2")
        has_cents = bool(re.search(r"[.,](\d{2}|-{1,2})$", num))
        leading = match.group("cur") or match.group("cur_b")
        # A bare whole number is money only after a currency mark ("€ 450"), never before one
        # ("april 2015 € 717,97").
        if not has_cents and (leading is None or not re.fullmatch(r"\d+|\d{1,3}(?:[.,]\d{3})+", num)):
            continue
        value = parse_number(num)
        if value is None:
            continue
        if match.group("sign"):
            value = -value
        code = CURRENCY_CODES.get(cur.lower()) if cur else None
        found.append(Amount(value, code, match.start(), match.end(), match.group(0).strip(), has_cents))
    return found


def format_amount(value: Decimal) -> str:
    """Return the canonical decimal string of an amount, e.g. ``1234.56``."""
    return f"{value:.2f}"
