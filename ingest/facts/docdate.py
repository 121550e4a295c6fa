"""The date a document is about: invoice, letter, transaction, pay-period end or signing date.

Every date is scored by its label; due dates, birth dates, printed timestamps and
validity periods are distractors, and a date heading a letter ("Utrecht, 3 maart
2025") or standing alone near the top is the letter date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from ingest.facts.text import Line, aligned_label, fold, line_above
from ingest.values import FoundDate, find_dates

_LABELS = (
    (
        3.0,
        r"factuurdatum|datum factuur|invoice date|date of invoice|date of issue|issue date|notadatum|"
        r"transactiedatum|transaction date|datum transactie|aankoopdatum|purchase date|"
        r"datum ondertekening|ondertekend|getekend|opgemaakt|date signed|signed|signature date|"
        r"rechnungsdatum|date de facture|facture n|factuur d\.?d\.?|briefdatum|letter date|"
        r"datum uitgifte|boekingsdatum|afschriftdatum|statement date|datum afgifte|verzenddatum",
    ),
    (2.0, r"datum|date|dated|d\.d\.|dd\.|op datum|per datum|bon|ticket|paid time|kassa"),
)
_PERIOD = re.compile(
    r"(?<![a-z])(?:loon)?periode|(?<![a-z])(?:pay )?period|tijdvak|salary month|maand(?![a-z])|month(?![a-z])"
)
_NEGATIVE = re.compile(
    r"vervaldatum|verval|due|uiterste|uiterlijk|betalen voor|te betalen voor|voor datum|pay before|payable by|"
    r"before|geboortedatum|geboren|geb\.|g\wb\.\s*datum|date of birth|birth|dob|afgedrukt|printed|print date|"
    r"gedrukt|aangemaakt|"
    r"gegenereerd|generated|geldig tot|geldig t/m|valid until|valid through|expires|expiry|vervalt|einddatum|end date|"
    r"ingangsdatum|start date|in dienst|date of employment|employed since|datum in dienst|leverdatum|delivery date|"
    r"orderdatum|order date|besteldatum|uw brief|your letter|uw e-mail|your e-mail|laatst gewijzigd|"
    r"entry time|incasso|prelevement|date limite|verzonden op|ontvangen op|received on|datum ontvangst|"
    r"gaat in|ingang|aanvang|commenc|effective|with effect|starts? on|start date|no later than|"
    r"(?<![a-z])(?:voor|before|by|tot|until|t/m)\s*$",
)
_RANGE = re.compile(r"[:;,.]?\s*(?:t/m|tot en met|tot|to|until|through|thru|-|–|—)?\s*")
_PAY_DATE = re.compile(r"uitbetal|pay ?date|payment date|betaaldatum|datum betaling|date paid")
_CITY_DATE = re.compile(r"^[A-Z][\w'’.-]+(?:[ -][A-Za-z][\w'’.-]+){0,2},\s*(?:[a-z]+dag\s+|[A-Z][a-z]+day,?\s+)?$")
_POS = [(w, re.compile(r"(?<![a-z])(?:" + p + r")")) for w, p in _LABELS]


@dataclass(frozen=True)
class DateChoice:
    """The chosen date with its confidence and where it stood."""

    found: FoundDate
    line: Line
    confidence: float


def choose_date(lines: Sequence[Line], document_type: str | None) -> DateChoice | None:
    """Return the document's own date, or None when only distractors were found."""
    best: tuple[float, int, FoundDate, Line] | None = None
    total = max(len(lines), 1)
    taken = 0  # how much of this line's start a date split over the line above took
    for i, line in enumerate(lines):
        dates = [d for d in find_dates(line.text) if d.start >= taken] or _numbered_period(lines, i)
        split, taken = _split_date(lines, i, dates)
        if split is not None:
            dates = [*dates, split]
        for k, found in enumerate(dates):
            score = _score(lines, i, found, k, dates, document_type) + 0.8 * (1.0 - i / total)
            if best is None or score > best[0]:
                best = (score, i, found, line)
    if best is None or best[0] < 0.0:
        return None
    score, _, found, line = best
    return DateChoice(found, line, round(min(0.45 + 0.12 * score, 0.95), 3))


def _score(
    lines: Sequence[Line], i: int, found: FoundDate, k: int, dates: list[FoundDate], document_type: str | None
) -> float:
    text = lines[i].text
    label = fold(text[dates[k - 1].end if k else 0 : found.start])[-50:]
    if not k and not re.search(r"[a-z]{2,}", label):
        label = (_row_label(lines, i) + " " + label).strip()[-50:]  # "Datum factuur :   09/05/20"
    over = line_above(lines, i)
    if not re.search(r"[a-z]{2,}", label) and over is not None and not find_dates(over.text):
        label = fold(aligned_label(over.text, text, found.start))[-50:]  # label above the value (tables, receipts)
    above = fold(over.text)[-50:] if over is not None else ""
    if _in_period(text, dates, k, above):
        # A pay period runs to its last day: the later date of a range, or a month's end.
        last = k == len(dates) - 1 or not _in_period(text, dates, k + 1, above)
        score = 2.5 + (0.8 if last else 0.0) + (0.7 if document_type == "payslip" else 0.0)
        return score - (0.0 if last or found.month_only else 1.0)
    if _NEGATIVE.search(label):
        return -3.0  # also "uiterste betaaldatum": the last day to pay, not a pay date
    if _PAY_DATE.search(label):
        return 0.5  # the day wages are paid: a payslip is about its period
    score = max((w for w, rx in _POS if rx.search(label)), default=0.0)
    if found.month_only or found.guessed_day:
        score -= 1.5  # half a date, or a day guessed from look-alike letters: a date read whole wins
    if _CITY_DATE.match(text[: found.start]) or (not label.strip() and found.start < 3 and i < 15):
        score = max(score, 2.5)  # "Amsterdam, 3 maart 2025" or a date alone at the top
    if len(dates) > 1 and k > 0 and dates[k - 1].end > found.start - 6 and score < 2.5:
        score -= 0.5  # second date of a range "van ... tot ..." is rarely the document date
    return score


# The last words of a line, where the first half of a date split over two lines stands.
_TAIL = re.compile(r"(?:\S+\s+){0,2}\S+$")


def _split_date(lines: Sequence[Line], i: int, dates: list[FoundDate]) -> tuple[FoundDate | None, int]:
    """A date a line break split ("signed on 25" / "December 2018."), on line i; and how much of the next it took.

    Read alone, the next line's "December 2018" would date the document the month's last
    day, and "op 3 maart" / "2025" would give no date at all.
    """
    if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page or not lines[i].text[-1:].isalnum():
        return None, 0
    text = lines[i].text
    tail = _TAIL.search(text)
    if tail is None or (dates and dates[-1].end > tail.start()):
        return None, 0
    cut = len(tail.group(0))
    for found in find_dates(tail.group(0) + " " + lines[i + 1].text):
        if found.start < cut < found.end:
            start = tail.start() + found.start
            split = FoundDate(found.value, start, len(text), text[start:], found.month_only, found.guessed_day)
            return split, found.end - cut - 1
    return None, 0


def _row_label(lines: Sequence[Line], i: int) -> str:
    """The pieces of a printed row before a date's piece, when none holds a date ("Factuurdatum:   3-4-2025")."""
    pieces: list[str] = []
    j = i - 1
    while j >= 0 and (lines[j].page, lines[j].row) == (lines[i].page, lines[i].row):
        if find_dates(lines[j].text):
            return ""
        pieces.insert(0, lines[j].text)
        j -= 1
    return fold(" ".join(pieces))


_PERIOD_NUMBER = re.compile(r"(?<![\d/.-])(?P<m>0?[1-9]|1[0-2])\s*[-/ ]\s*(?P<y>(?:19|20)\d{2})(?![\d/.-])")


def _in_period(text: str, dates: list[FoundDate], k: int, above: str) -> bool:
    """Whether the k-th date of a line belongs to a labelled period ("Periode: 1-3 t/m 31-3")."""
    if k == 0:
        lead = fold(text[: dates[0].start])
        return bool(_PERIOD.search(lead[-60:]) or (not re.search(r"[a-z]{2,}", lead) and _PERIOD.search(above)))
    between = fold(text[dates[k - 1].end : dates[k].start])
    short_link = len(between) <= 14 and ":" not in between and not re.search(r"dat|pay|betaal|print", between)
    if _RANGE.fullmatch(between) or short_link:  # "t/m", "tot en met" (even misread by OCR)
        return _in_period(text, dates, k - 1, above)
    return bool(_PERIOD.search(between))


def _numbered_period(lines: Sequence[Line], i: int) -> list[FoundDate]:
    # Payslips name the period by number: "Periode: 11-2026", "Periode 3 2025" (month 3).
    text = lines[i].text
    if "19" not in text and "20" not in text:
        return []  # no year of the pattern's centuries: far cheaper than its look-behind at every position
    match = _PERIOD_NUMBER.search(text)
    if not match:
        return []
    context = fold(text) + " " + (fold(lines[i - 1].text) if i else "")
    if not _PERIOD.search(context):
        return []
    year, month = int(match.group("y")), int(match.group("m"))
    last = calendar.monthrange(year, month)[1]
    return [FoundDate(date(year, month, last), match.start(), match.end(), match.group(0), month_only=True)]
