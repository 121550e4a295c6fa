"""Dates as printed on Dutch and English documents, day-first unless unambiguous."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "febr": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3, "maa": 3, "april": 4, "apr": 4, "mei": 5,
    "may": 5, "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7,
    "augustus": 8, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # German and French months occur on foreign suppliers' invoices.
    "januar": 1, "janvier": 1, "februar": 2, "fevrier": 2, "février": 2, "märz": 3, "mars": 3,
    "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8, "aout": 8, "septembre": 9,
    "oktober_": 10, "octobre": 10, "novembre": 11, "dezember": 12, "décembre": 12, "decembre": 12,
}
_LONG_MONTHS = [m for m in MONTHS if len(m) >= 4 and not m.endswith("_")]
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS if not m.endswith("_")), key=len, reverse=True))
_NUMERIC = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,4})(?P<sep>[-./])\s?(?P<b>\d{1,2})(?P=sep)\s?(?P<c>\d{2,4})(?![\d,]|\.\d)"
)
_DAY_MONTH_NAME = re.compile(
    rf"(?<![\d\w])(?P<d>\d{{1,2}})(?:e|ste|de|st|nd|rd|th)?\.?[\s-]*(?:day of\s+)?(?P<m>{_MONTH_NAMES})\.?,?[\s-]*(?P<y>\d{{4}}|'?\d{{2}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_NAME_DAY = re.compile(
    rf"(?<![\w])(?P<m>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# OCR misreads a letter of a month name ("oktobcr", "Junc"): matched loosely, checked by similarity.
_LOOSE_MONTH = re.compile(r"(?<![\w])(?:(?P<d>\d{1,2})\.?\s+)?(?P<m>[A-Za-z]{3,10})\.?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)")
_LOOSE_MONTH_DAY = re.compile(r"(?<![\w])(?P<m>[A-Za-z]{4,10})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d{2})(?!\d)")
_MONTH_YEAR = re.compile(rf"(?<![\w\d])(?P<m>{_MONTH_NAMES})\.?\s+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    """One date in a line: the value, its span and whether only month and year were printed."""

    value: date
    start: int
    end: int
    text: str
    month_only: bool = False


def _year(raw: str) -> int:
    number = int(raw.lstrip("'"))
    if len(raw.lstrip("'")) == 2:
        # Two-digit years on receipts and forms are recent: 17 -> 2017, 85 -> 1985.
        return 2000 + number if number < 70 else 1900 + number
    return number


def _make(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric(match: re.Match[str]) -> date | None:
    a, b, c = match.group("a"), match.group("b"), match.group("c")
    if len(a) == 4:  # ISO order 2026-11-27
        return _make(int(a), int(b), int(c)) if len(c) <= 2 else None
    if len(a) > 2 or len(c) == 3:
        return None
    first, second, year = int(a), int(b), _year(c)
    if second > 12 and first <= 12:  # 11/27/2026 can only be month-first
        return _make(year, first, second)
    return _make(year, second, first)


_DIGIT = re.compile(r"\d")


def find_dates(line: str) -> list[FoundDate]:
    """Return the dates in one line, day-first by default, in order of appearance."""
    if not _DIGIT.search(line):  # every date shape has a day or a year in digits; most lines have none
        return []
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], value: date | None, month_only: bool = False) -> None:
        if value is None or any(s < match.end() and match.start() < e for s, e in taken):
            return
        taken.append((match.start(), match.end()))
        found.append(FoundDate(value, match.start(), match.end(), match.group(0), month_only))

    for match in _DAY_MONTH_NAME.finditer(line):
        add(match, _make(_year(match.group("y")), MONTHS[match.group("m").lower()], int(match.group("d"))))
    for match in _MONTH_NAME_DAY.finditer(line):
        add(match, _make(int(match.group("y")), MONTHS[match.group("m").lower()], int(match.group("d"))))
    for match in _NUMERIC.finditer(line):
        add(match, _numeric(match))
    for match in _LOOSE_MONTH.finditer(line):
        month = _loose_month(match.group("m"))
        if month and match.group("d"):
            add(match, _make(int(match.group("y")), month, int(match.group("d"))))
        elif month:
            year = int(match.group("y"))
            add(match, date(year, month, calendar.monthrange(year, month)[1]), month_only=True)
    for match in _LOOSE_MONTH_DAY.finditer(line):
        month = _loose_month(match.group("m"))
        if month:
            add(match, _make(int(match.group("y")), month, int(match.group("d"))))
    for match in _MONTH_YEAR.finditer(line):
        year, month = int(match.group("y")), MONTHS[match.group("m").lower()]
        if 1900 <= year <= 2100:
            add(match, date(year, month, calendar.monthrange(year, month)[1]), month_only=True)
    return sorted(found, key=lambda item: item.start)


def _loose_month(word: str) -> int | None:
    lowered = word.lower()
    if lowered in MONTHS or len(lowered) < 4:
        return None  # exact names are matched by the strict patterns
    best = process.extractOne(lowered, _LONG_MONTHS, scorer=fuzz.ratio, score_cutoff=75)
    return MONTHS[best[0]] if best else None
