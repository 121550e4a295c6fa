"""Dates: how a written date is read, typed or printed, day first unless impossible.

One reading for every place a date comes in — printed on a document, typed on the
facts or upload form, given to ``archive ingest --date``, a ``date:`` search or an
audit or analysis period — so that ``12-03-2024`` is the twelfth of March everywhere:

- numbers: ``2024-03-12`` (ISO), ``12-03-2024``, ``12/03/2024``, ``12.03.2024``,
  ``12-3-24`` (two-digit years are 1970–2069); day first, unless the second number
  cannot be a month (``11/27/2026``);
- month names and abbreviations in Dutch and English (``12 maart 2024``, ``12 mrt. 2024``,
  ``March 12, 2024``, ``12th March 2024``), German and French too (foreign suppliers);
- a period is a year (``2024``), a month (``2024-03``, ``03-2024``, ``maart 2024``) or a day.

A date is written back the one way every page, title and letter shows it: day first
with the month's name in the office's language (``12 maart 2024``, ``12 March 2024``),
which no reader can take for another day.

Printed text is read more loosely than typed text: OCR misreads a letter of a month
name (``oktobcr``, ``Ju1y``, ``0ktober``), so ``find_dates`` also takes a month name that
is close enough to one month, and none that is as close to two; and a day's digits read
as look-alike letters before a month name (``S APR 2021``) as those digits.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from babel import dates as babel_dates
from rapidfuzz import fuzz, process

from ingest.values.errors import NotADate

FIRST_YEAR, LAST_YEAR = 1900, 2100
# The Babel locale of each interface language. English is British: a day-first date,
# as a Dutch office reads it. An unknown language is written in Dutch.
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
DEFAULT_LANGUAGE = "nl"
MONTHS = {
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "febr": 2,
    "maart": 3,
    "march": 3,
    "mrt": 3,
    "mar": 3,
    "maa": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "augustus": 8,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    # German and French months occur on foreign suppliers' invoices.
    "januar": 1,
    "janvier": 1,
    "februar": 2,
    "fevrier": 2,
    "février": 2,
    "märz": 3,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "dezember": 12,
    "décembre": 12,
    "decembre": 12,
}
# A weekday before a typed date says nothing the date does not ("di 12 maart 2024").
_WEEKDAY = re.compile(
    r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
    r"\.?,?\s+",
    re.IGNORECASE,
)
_LONG_MONTHS = [m for m in MONTHS if len(m) >= 4]
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_NUMERIC = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,4})(?P<sep>[-./])\s?(?P<b>\d{1,2})(?P=sep)\s?(?P<c>\d{2,4})(?!\d|[.,]\d)"
)
_DAY_MONTH_NAME = re.compile(
    rf"(?<![\d\w])(?P<d>\d{{1,2}})(?:e|ste|de|st|nd|rd|th)?\.?[\s-]*(?:day of\s+)?(?P<m>{_MONTH_NAMES})\.?,?[\s-]*"
    rf"(?P<y>\d{{4}}|'?\d{{2}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_NAME_DAY = re.compile(
    rf"(?<![\w])(?P<m>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# OCR misreads a letter of a month name ("oktobcr", "Junc"): matched loosely, checked by similarity.
# OCR also reads the o of a month as 0 and its l or i as 1 ("Ju1y", "0ktober"): a month
# word may hold those digits as long as two of its characters are letters.
_MONTH_WORD = r"(?=[01]*[A-Za-z][01]*[A-Za-z])[A-Za-z01]"
_LOOSE_MONTH = re.compile(
    rf"(?<![\w])(?:(?P<d>\d{{1,2}})\.?\s+)?(?P<m>{_MONTH_WORD}{{3,10}})\.?,?\s+(?P<y>(?:19|20)\d{{2}})(?!\d)"
)
_LOOSE_MONTH_DAY = re.compile(
    rf"(?<![\w])(?P<m>{_MONTH_WORD}{{4,10}})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d{{2}})(?!\d)"
)
# A fax or a faint print reads a date's dots as commas ("25,02,2015"); with a four-digit
# year of this era no amount is written so (an amount's groups after a comma are of three).
_COMMA_NUMERIC = re.compile(r"(?<![\d.,/])(?P<a>\d{1,2}),(?P<b>\d{1,2}),(?P<c>(?:19|20)\d{2})(?!\d|[.,]\d)")
# A numeric date with OCR's look-alikes for digits ("O1-11-17", "l2/03/2O18").
_LOOK_ALIKE_NUMERIC = re.compile(r"(?<![\w.,/])([0-9OoIl|]{1,2}[-./][0-9OoIl|]{1,2}[-./][0-9OoIl|]{2,4})(?!\w|[.,]\d)")
_TO_DIGITS = str.maketrans("OoIl|", "00111")
_MONTH_YEAR = re.compile(rf"(?<![\w\d])(?P<m>{_MONTH_NAMES})\.?\s+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE)
# A day whose digits OCR read as look-alike letters before a month name ("S APR 2021",
# "$ May 2021", "l2 maart 2024"): the letters stand for the digits they resemble. Without
# it the month alone is read, and the document dated the month's last day. A lone upright
# stroke (|, I, l) is left alone: a table's rule or a fax's streak before "maart 2024" is
# no day 1, and a payslip's month stands for its last day.
_LOOK_ALIKE_DAY = re.compile(
    rf"(?<![\w$])(?P<d>[0-9SOIlBZ$|]{{1,2}})\.?\s+(?P<m>(?i:{_MONTH_NAMES}))\.?,?\s+(?P<y>\d{{4}})(?!\d)"
)
_DAY_DIGITS = str.maketrans("SOIlBZ$|", "50118251")
_LONE_STROKES = frozenset("|Il")
# Periods a person types besides whole days: a year, a month in numbers.
_YEAR = re.compile(r"(?P<y>\d{4})")
_YEAR_MONTH = re.compile(r"(?P<y>\d{4})[-./](?P<m>\d{1,2})")
_MONTH_OF_YEAR = re.compile(r"(?P<m>\d{1,2})[-./](?P<y>\d{4})")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class FoundDate:
    """One date in a line: the value, its span and whether only month and year were printed."""

    value: date
    start: int
    end: int
    text: str
    month_only: bool = False
    guessed_day: bool = False  # its day was read from look-alike letters ("S APR 2021")


def write_date(day: date, language: str) -> str:
    """Return a date as ``12 maart 2024`` (Dutch) or ``12 March 2024`` (English)."""
    return babel_dates.format_date(day, "long", locale=LOCALES.get(language, LOCALES[DEFAULT_LANGUAGE]))


def parse_date(text: str) -> date:
    """Return the day a person typed (``2024-03-12``, ``12-03-2024``, ``12 maart 2024``…); raise NotADate."""
    found = _whole(text)
    if found is None or found.month_only:
        raise NotADate(text)
    return found.value


def parse_period(text: str) -> tuple[date, date]:
    """Return the first and last day of a typed year, month or day (``2024``, ``2024-03``, ``maart 2024``…).

    Raises NotADate.
    """
    typed = " ".join(text.split())
    year = _YEAR.fullmatch(typed)
    if year:
        number = _in_range(int(year["y"]), text)
        return date(number, 1, 1), date(number, 12, 31)
    month = _YEAR_MONTH.fullmatch(typed) or _MONTH_OF_YEAR.fullmatch(typed)
    if month:
        return _month(_in_range(int(month["y"]), text), int(month["m"]), text)
    found = _whole(text)
    if found is None:
        raise NotADate(text)
    if found.month_only:
        return _month(found.value.year, found.value.month, text)
    return found.value, found.value


def find_dates(line: str) -> list[FoundDate]:
    """Return the dates printed in one line, day-first by default, in order of appearance."""
    if not _DIGIT.search(line):  # every date shape has a day or a year in digits; most lines have none
        return []
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], value: date | None, month_only: bool = False, guessed_day: bool = False) -> None:
        if value is None or any(s < match.end() and match.start() < e for s, e in taken):
            return
        taken.append((match.start(), match.end()))
        found.append(FoundDate(value, match.start(), match.end(), match.group(0), month_only, guessed_day))

    for match in _DAY_MONTH_NAME.finditer(line):
        add(match, _day_month_name(match))
    for match in _MONTH_NAME_DAY.finditer(line):
        add(match, _day_month_name(match))
    for match in _NUMERIC.finditer(line):
        add(match, _numeric(match) or _misread_century(match))
    for match in _COMMA_NUMERIC.finditer(line):
        add(match, _numeric(match))
    for match in _LOOK_ALIKE_NUMERIC.finditer(line):
        text = match.group(1)
        if text.translate(_TO_DIGITS) != text and sum(ch.isdigit() for ch in text) >= 4:
            inner = _NUMERIC.fullmatch(text.translate(_TO_DIGITS))
            if inner:
                add(match, _numeric(inner))
    for match in _LOOK_ALIKE_DAY.finditer(line):
        day = match.group("d")
        if not day.isdigit() and day not in _LONE_STROKES:
            day_value = int(day.translate(_DAY_DIGITS))
            add(match, _make(int(match.group("y")), MONTHS[match.group("m").lower()], day_value), guessed_day=True)
    for match in _LOOSE_MONTH.finditer(line):
        month = _loose_month(match.group("m"))
        if month and match.group("d"):
            add(match, _make(int(match.group("y")), month, int(match.group("d"))))
        elif month:
            add(match, _month_end(int(match.group("y")), month), month_only=True)
    for match in _LOOSE_MONTH_DAY.finditer(line):
        month = _loose_month(match.group("m"))
        if month:
            add(match, _make(int(match.group("y")), month, int(match.group("d"))))
    for match in _MONTH_YEAR.finditer(line):
        add(match, _month_end(int(match.group("y")), MONTHS[match.group("m").lower()]), month_only=True)
    return sorted(found, key=lambda item: item.start)


def _whole(text: str) -> FoundDate | None:
    """Return the date that is the whole of ``text`` in one of the exact shapes, or None."""
    typed = " ".join(text.split())
    weekday = _WEEKDAY.match(typed)
    if weekday and weekday.end() < len(typed):
        typed = typed[weekday.end() :]
    for pattern, read in ((_NUMERIC, _numeric), (_DAY_MONTH_NAME, _day_month_name), (_MONTH_NAME_DAY, _day_month_name)):
        match = pattern.fullmatch(typed)
        if match:
            value = read(match)
            return FoundDate(value, 0, len(text), text) if value else None
    match = _MONTH_YEAR.fullmatch(typed)
    if match:
        value = _month_end(int(match.group("y")), MONTHS[match.group("m").lower()])
        return FoundDate(value, 0, len(text), text, month_only=True) if value else None
    return None


def _year(raw: str) -> int:
    number = int(raw.lstrip("'"))
    if len(raw.lstrip("'")) == 2:
        # Two-digit years on receipts and forms are recent: 17 -> 2017, 85 -> 1985.
        return 2000 + number if number < 70 else 1900 + number
    return number


def _make(year: int, month: int, day: int) -> date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _in_range(year: int, text: str) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotADate(text)
    return year


def _month(year: int, month: int, text: str) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise NotADate(text)
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _day_month_name(match: re.Match[str]) -> date | None:
    return _make(_year(match.group("y")), MONTHS[match.group("m").lower()], int(match.group("d")))


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


# OCR reads the 0 of "2018" as 6, 8 or 9 ("12-02-2618"): a year no document prints.
_MISREAD_CENTURY = re.compile(r"2[689]\d{2}")


def _misread_century(match: re.Match[str]) -> date | None:
    """A printed numeric date whose year 2x18 only reads as 2018, the 0 misread; None otherwise."""
    year = match.group("c")
    if not _MISREAD_CENTURY.fullmatch(year) or len(match.group("a")) > 2:
        return None
    sep = match.group("sep")
    repaired = _NUMERIC.fullmatch(f"{match.group('a')}{sep}{match.group('b')}{sep}20{year[2:]}")
    return _numeric(repaired) if repaired else None


def _loose_month(word: str) -> int | None:
    """The month a misread month word can only be; None when it is no month or could be two."""
    lowered = word.lower()
    if lowered in MONTHS:
        return None  # exact names are matched by the strict patterns
    if lowered.count("1") > 3:
        return None  # a run of ones is a number, not a month
    readings = _letter_readings(lowered)
    exact = {MONTHS[reading] for reading in readings if reading in MONTHS}
    if exact:
        return exact.pop() if len(exact) == 1 else None
    if len(lowered) < 4:
        return None
    months: set[int] = set()
    top = 0.0
    for reading in readings:
        for name, score, _ in process.extract(reading, _LONG_MONTHS, scorer=fuzz.ratio, score_cutoff=75, limit=None):
            if score > top:
                months, top = {MONTHS[name]}, score
            elif score == top:
                months.add(MONTHS[name])
    # "Jule" is as near to June as to July: a date OCR left in doubt is no date.
    return months.pop() if len(months) == 1 else None


def _letter_readings(word: str) -> set[str]:
    """A word with the digits OCR puts for letters read back as letters: 0 as o, 1 as l or i."""
    readings = {""}
    for ch in word:
        letters = "o" if ch == "0" else "li" if ch == "1" else ch
        readings = {reading + letter for reading in readings for letter in letters}
    return readings
