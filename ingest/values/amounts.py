"""Money amounts: how a written number is read, typed or printed, Dutch first.

One reading for every place an amount comes in — printed on a document (``€ 1.234,56``,
``EUR 99,-``, ``1,234.56 USD``), typed on the facts form, given in an ``amount:``
search — so that what a clerk types always means what the document says:

- the last ``.`` or ``,`` is the decimal separator when one or two digits follow it
  (``99,95``, ``1,5``, ``1,234.56``, ``1.234,56``);
- any other ``.``, ``,`` or space groups thousands, in groups of three, one kind of
  separator per number: ``1.200`` and ``1,200`` are twelve hundred, never 1.20;
- ``,-`` (or ``,–``) ends a whole amount: ``99,-`` is 99.00;
- a minus before the number or the euro sign makes it negative (a credit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.values.errors import NotAnAmount

# Larger than any amount a front office files; also keeps stored amounts exact.
MAX_AMOUNT = Decimal("1e12")

# Currency marks as printed, mapped to ISO 4217 codes.
CURRENCY_CODES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "$": "USD",
    "usd": "USD",
    "us$": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "rm": "MYR",
    "myr": "MYR",
    "inr": "INR",
    "rs": "INR",
    "rs.": "INR",
    "₹": "INR",
    "chf": "CHF",
}
_CUR = r"€|eur(?:o)?|us\$|usd|\$|£|gbp|rm|myr|inr|rs\.?|₹|chf"
_NUMBER = (
    # OCR's slips in printed amounts: a space after the thousands point ("3. 682,80"), one
    # mark for thousands and the other for cents so that it can be nothing but money
    r"\d{1,3}(?:\.\s?\d{3})*\.\s\d{3}(?:\.\s?\d{3})*,\d{2}(?!\d)"
    r"|\d{1,3}(?:,\s?\d{3})*,\s\d{3}(?:,\s?\d{3})*\.\d{2}(?!\d)"
    # a space after the decimal comma ("1.914, 22"), a colon or semicolon for a point or
    # comma ("1:165;77").
    r"|\d{1,3}(?:[.,]\d{3})+[.,]\s\d{2}(?!\d)"
    r"|\d{1,3}(?:[.,:;]\d{3})+[.,:;]\d{2}(?!\d)"
    r"|\d{1,3}(?:[.,\u2009 ]\d{3})+(?:[.,]\d{2}|,-{1,2})?"  # grouped thousands, optional cents
    r"|\d+[.,]\s\d{2}(?!\d)"  # OCR's space after the mark ("RM 65. 20"): money only beside a currency mark
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
_HAS_CENTS = re.compile(r"[.,:;]\s?(\d{2}|-{1,2})$")
_OCR_SLIPS = str.maketrans({":": ".", ";": ","})
_SPACE_AFTER_MARK = re.compile(r"([.,])\s(\d{2})$")
_PLAIN_SPACED = re.compile(r"\d+[.,]\s\d{2}")
_SPACED_THOUSANDS = re.compile(r"[.,]\s(?=\d{3})")
_BARE_WHOLE = re.compile(r"\d+|\d{1,3}(?:[.,]\d{3})+")
# What may follow an amount at the end of a receipt's line: nothing, or its tax code ("7. 30 T", "12. 00 SR").
_ENDS_AMOUNT_COLUMN = re.compile(r"\s*(?:[A-Z]{1,2}|\*)?\s*")

# Spaces that scanners and word processors put between thousands.
_SPACES = str.maketrans({"\u2009": " ", "\u00a0": " ", "\u202f": " "})
_WHOLE_MARK = re.compile(r"[.,][-–—]{1,2}$|[.,]$")
_DECIMALS = re.compile(r"(.*)[.,](\d{1,2})")
_THOUSANDS = re.compile(r"\d+|\d{1,3}(?:(?P<sep>[., ])\d{3})(?:(?P=sep)\d{3})*")
# What a person types: an optional minus and euro mark around the number, either order.
_EURO = r"(?:€|eur(?:o'?s?)?)"
_TYPED = re.compile(
    rf"(?P<sign>[-−]\s*)?(?:{_EURO}\s*)?(?P<sign_after>[-−]\s*)?(?P<number>[\d.,\s]*?[\d.,][-–—]{{0,2}})(?:\s*{_EURO})?",
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


def read_number(text: str) -> Decimal | None:
    """Return the value of a written number (``1.234,56``, ``1,234.56``, ``99,-``, ``.02``) in cents, or None."""
    text = _WHOLE_MARK.sub("", text.translate(_SPACES).strip())
    decimals = _DECIMALS.fullmatch(text)
    whole, cents = (decimals.group(1), decimals.group(2)) if decimals else (text, "")
    whole = whole.strip() or ("0" if cents else "")
    if not _THOUSANDS.fullmatch(whole):
        return None
    return Decimal(f"{int(re.sub(r'[., ]', '', whole))}.{cents.ljust(2, '0')}")


def parse_amount(text: str) -> Decimal:
    """Return an amount as a person types it (``€ 1.234,56``, ``1,234.56``, ``-12,50``, ``99,-``); raise NotAnAmount."""
    typed = _TYPED.fullmatch(text.strip())
    value = read_number(typed.group("number")) if typed and not (typed["sign"] and typed["sign_after"]) else None
    if value is None or abs(value) >= MAX_AMOUNT:
        raise NotAnAmount(text)
    return -value if typed and (typed["sign"] or typed["sign_after"]) else value


def format_amount(value: Decimal) -> str:
    """Return the canonical text of an amount, as stored and printed as JSON: ``1234.56``."""
    return f"{value:.2f}"


def stored_amount(text: str | None) -> Decimal | None:
    """Return an amount stored as canonical text (``format_amount``), None for none or a damaged value."""
    if not text or not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return None
    return Decimal(text)


def _closes_a_line(number: str, rest: str) -> bool:
    """Whether a number with OCR's space after its decimal point ("79. 35") ends its line, as amounts do."""
    return "." in number and bool(_ENDS_AMOUNT_COLUMN.fullmatch(rest))


def find_amounts(line: str) -> list[Amount]:
    """Return the money amounts printed in one line; bare integers only after a currency mark."""
    found: list[Amount] = []
    for match in _AMOUNT.finditer(line):
        num = match.group("num")
        cur = match.group("cur") or match.group("cur_b") or match.group("cur2")
        has_cents = bool(_HAS_CENTS.search(num))
        leading = match.group("cur") or match.group("cur_b")
        # A bare whole number is money only after a currency mark ("€ 450"), never before one
        # ("april 2015 € 717,97").
        if not has_cents and (leading is None or not _BARE_WHOLE.fullmatch(num)):
            continue
        if _PLAIN_SPACED.fullmatch(num) and not cur and not _closes_a_line(num, line[match.end() :]):
            continue  # "items 1, 20" is a list; "RM 1, 20" is money, and so is "79. 35" ending a receipt's line
        if _SPACED_THOUSANDS.search(num):
            if not cur and not _ENDS_AMOUNT_COLUMN.fullmatch(line[match.end() :]):
                continue  # "artikel 3. 682,80" goes on as a sentence; an amount stands by its mark or ends its row
            num = _SPACED_THOUSANDS.sub(lambda mark: mark.group(0)[0], num)
        value = read_number(_SPACE_AFTER_MARK.sub(r"\1\2", num.translate(_OCR_SLIPS)))
        if value is None:
            continue
        if match.group("sign"):
            value = -value
        code = CURRENCY_CODES.get(cur.lower()) if cur else None
        found.append(Amount(value, code, match.start(), match.end(), match.group(0).strip(), has_cents))
    return found
