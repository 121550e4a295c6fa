"""A total OCR garbled or lost, rebuilt only where the rest of the document confirms it.

A total whose digits OCR mangled ("€ 31103" for 3.511,83) or lost altogether
("Te betalen: KEER]") is not read as printed. It is rebuilt from its parts (the
subtotal and the rows below it, or a payslip's gross less its deductions) when the
digits OCR kept agree with the sum, or when the VAT is a Dutch rate of the subtotal to
the cent; otherwise the document gets no amount rather than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from ingest.facts.amount_labels import (
    ADDED,
    STRONG_TOTAL,
    SUBTOTAL,
    AmountChoice,
    label_of,
    label_score,
    vat_at_dutch_rate,
)
from ingest.facts.text import Line, fold
from ingest.values import Amount, find_amounts, find_dates


@dataclass(frozen=True)
class _Garbled:
    """A row labelled as the total (or net pay) whose value OCR garbled past reading."""

    index: int  # the row's last line
    digits: str  # the digits that survived, in order
    score: float  # how strongly its label says total


# What is left of a garbled amount: digits, OCR's marks and letters for digits ("5:5605,,62",
# "5.6O5,62", "EUR? 3137,52"), or a bare run of digits that lost its decimal mark.
_GARBLED_CHARS = r"[\d.,:;‚„'’\sOoSlIB-]"


_GARBLED_VALUE = re.compile(rf"(?:€|eur|rm|\$)?[\s?]*(?P<v>{_GARBLED_CHARS}*\d{_GARBLED_CHARS}*)[\s?!*]*", re.I)


# Labels that name a number or a day beside the words of a total ("te betalen o.v.v. 75416805").
_NO_AMOUNT_LABEL = re.compile(
    r"(?<![a-z])(?:o\.?v\.?v|kenmerk|ref|nummer|nr|no|number|iban|rekening|account|voor|before|binnen|within|dagen|days)(?![a-z])"
)


_GROSS = re.compile(r"(?<![a-z])(?:bruto|gross)")


_DEDUCTION = re.compile(
    r"(?<![a-z])(?:inhouding|loonheffing|heffing|premie|pensioen|zvw|wga|whk|ww|wia|tax|deduct|pension|"
    r"social|insurance|national insurance|contribution)"
)


def garbled_total(lines: Sequence[Line], document_type: str | None) -> _Garbled | None:
    """The last printed row labelled as the total whose value no amount reading could make out."""
    rows: dict[tuple[int, int], list[Line]] = {}
    for line in lines:
        rows.setdefault((line.page, line.row), []).append(line)
    found: _Garbled | None = None
    gross: list[Decimal] = []
    for pieces in rows.values():
        text = "   ".join(piece.text for piece in pieces)
        digit = re.search(r"\d", text)
        if digit is None:
            continue
        amounts = find_amounts(text)
        if amounts:
            if document_type == "payslip":
                if _GROSS.search(fold(text[: amounts[-1].start])):
                    gross.append(amounts[-1].value)
                elif gross:
                    found = _net_beyond_gross(pieces, text, amounts[-1], gross[-1]) or found
            continue
        label, rest = fold(text[: digit.start()]), text[digit.start() :]
        value = _GARBLED_VALUE.fullmatch(rest)
        score = label_score(label[-40:])
        if value is None or score < STRONG_TOTAL or _NO_AMOUNT_LABEL.search(label) or find_dates(rest):
            continue
        digits = re.sub(r"\D", "", value.group("v"))
        marked = bool(re.search(r"[.,:;‚„'’]", value.group("v")))
        if not 3 <= len(digits) <= 9 or (not marked and len(digits) > 7):
            continue
        found = _Garbled(pieces[-1].index, digits, score)
    return found


# What OCR leaves of a total's value when it lost every digit: a short run of marks ("KEER]", "AA, Gh").
_LOST_VALUE = re.compile(r"[^\d\s]{1,6}(?:[ ,.]{1,2}[^\d\s]{1,3})?")


def lost_total(lines: Sequence[Line]) -> _Garbled | None:
    """The last printed row labelled strongly as the total whose value piece OCR read without a digit."""
    rows: dict[tuple[int, int], list[Line]] = {}
    for line in lines:
        rows.setdefault((line.page, line.row), []).append(line)
    found: _Garbled | None = None
    for pieces in rows.values():
        if len(pieces) < 2 or any(re.search(r"\d", piece.text) for piece in pieces):
            continue
        label = fold(" ".join(piece.text for piece in pieces[:-1]))[-40:]
        if not _LOST_VALUE.fullmatch(pieces[-1].text) or _NO_AMOUNT_LABEL.search(label):
            continue
        score = label_score(label)
        if score >= STRONG_TOTAL:
            found = _Garbled(pieces[-1].index, "", score)
    return found


def vat_sum(
    lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], lost: _Garbled
) -> AmountChoice | None:
    """A total whose digits were all lost, as the subtotal and its VAT at a Dutch rate: the one row between them."""
    found = _subtotal_above(lines, scored, lost.index)
    if found is None:
        return None
    start, base, line, below = found
    at = lines[lost.index]
    printed = {(x.page, x.row) for x in lines if start < x.index < lost.index} - {
        (line.page, line.row),
        (at.page, at.row),
    }
    added = [amount.value for _i, amount in below.values()]
    # Any other row between them (a charge, a discount, a row OCR could not read) leaves the sum unknown.
    if len(below) != 1 or set(below) != printed or not vat_at_dutch_rate(base.value, added):
        return None
    i, vat = next(iter(below.values()))
    if not ADDED.search(label_of(lines, i, vat)):
        return None
    total = base.value + vat.value
    amount = Amount(total, base.currency or vat.currency, 0, len(at.text), at.text, True)
    return AmountChoice(amount, at, 0.6, False)


def _net_beyond_gross(pieces: list[Line], text: str, net: Amount, gross: Decimal) -> _Garbled | None:
    """A payslip's net pay read larger than its gross pay ("€ 31103" for 3.511,83): garbled, not paid."""
    label = fold(text[: net.start])
    score = label_score(label[-40:])
    if score < STRONG_TOTAL or net.value <= gross:
        return None
    return _Garbled(pieces[-1].index, re.sub(r"\D", "", net.text), score)


def stands_after(labelled: list[tuple[float, int, Amount, Line]], best: AmountChoice | None, garbled: _Garbled) -> bool:
    """Whether a readable total labelled at least as strongly stands after the garbled one (the final total)."""
    if best is None:
        return False
    return any(score >= garbled.score and i > garbled.index for score, i, _amount, _line in labelled)


def from_its_parts(
    lines: Sequence[Line],
    scored: list[tuple[float, int, Amount, Line]],
    garbled: _Garbled,
    document_type: str | None,
) -> AmountChoice | None:
    """The garbled total as its parts sum up, when its surviving digits confirm the sum; else no amount.

    Subtotal plus the rows below it (VAT, charges), or a payslip's gross less its
    deductions: the sum stands only where the digits OCR kept agree with it, in order,
    at most one of them lost, added or misread.
    """
    total = _payslip_net(lines, scored, garbled) if document_type == "payslip" else None
    if total is None:
        total = _subtotal_and_below(lines, scored, garbled)
    if total is not None and total > 0 and digits_confirm(garbled.digits, total):
        line = lines[garbled.index]
        currency = next((item[2].currency for item in scored if item[2].currency), None)
        amount = Amount(total, currency, 0, len(line.text), line.text, True)
        return AmountChoice(amount, line, 0.6, False)
    return None


def _subtotal_above(
    lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], end: int
) -> tuple[int, Amount, Line, dict[tuple[int, int], tuple[int, Amount]]] | None:
    """The last subtotal before a line, and the last amount of each printed row between them."""
    subtotal = [item for item in scored if item[1] < end and SUBTOTAL.search(label_of(lines, item[1], item[2]))]
    if not subtotal:
        return None
    _, start, base, line = subtotal[-1]
    below = _rows_between(scored, start, end)
    below.pop((line.page, line.row), None)
    return start, base, line, below


def _rows_between(
    scored: list[tuple[float, int, Amount, Line]], start: int, end: int
) -> dict[tuple[int, int], tuple[int, Amount]]:
    """The last amount of each printed row between two lines."""
    rows: dict[tuple[int, int], tuple[int, Amount]] = {}
    for _score_value, i, amount, line in scored:
        if start < i < end:
            rows[(line.page, line.row)] = (i, amount)
    return rows


def _subtotal_and_below(
    lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], garbled: _Garbled
) -> Decimal | None:
    found = _subtotal_above(lines, scored, garbled.index)
    if found is None or not found[3]:
        return None
    _start, base, _line, below = found
    return base.value + sum(amount.value for _i, amount in below.values())


def _payslip_net(
    lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], garbled: _Garbled
) -> Decimal | None:
    """Gross pay less the deductions printed between it and the net, each of them read."""
    gross = [item for item in scored if item[1] < garbled.index and _GROSS.search(label_of(lines, item[1], item[2]))]
    if not gross:
        return None
    _, start, base, line = gross[-1]
    deductions = _rows_between(scored, start, garbled.index)
    deductions.pop((line.page, line.row), None)
    between = {(x.page, x.row) for x in lines if start < x.index < garbled.index and re.search(r"\d", x.text)}
    between.discard((line.page, line.row))
    between.discard((lines[garbled.index].page, lines[garbled.index].row))
    # A row that is no deduction, or whose amount was not read, leaves the net unknown.
    if not deductions or set(deductions) != between:
        return None
    if any(not _DEDUCTION.search(label_of(lines, i, amount)) for i, amount in deductions.values()):
        return None
    return base.value - sum(amount.value for _i, amount in deductions.values())


def digits_confirm(digits: str, value: Decimal) -> bool:
    """Whether the digits OCR kept of an amount agree with a value: in order, at most one lost, added or misread."""
    wanted = f"{abs(value):.2f}".replace(".", "")
    if len(wanted) < 3 or abs(len(digits) - len(wanted)) > 1:
        return False
    return _common(digits, wanted) >= len(wanted) - 1 and _common(digits, wanted) >= len(digits) - 1


def same_row(a: Line, b: Line) -> bool:
    return (a.page, a.row) == (b.page, b.row)


def not_contradicted(digits: str, value: Decimal) -> bool:
    """Whether the digits OCR kept of a total fit a value read elsewhere: all but one of them in it, in order."""
    return _common(digits, f"{abs(value):.2f}".replace(".", "")) >= len(digits) - 1


def _common(a: str, b: str) -> int:
    """The length of the longest common subsequence of two short digit strings."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for k, y in enumerate(b):
            current.append(previous[k] + 1 if x == y else max(previous[k + 1], current[k]))
        previous = current
    return previous[-1]
