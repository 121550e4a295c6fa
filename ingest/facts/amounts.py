"""The amount a document is about: total payable, amount paid or net pay.

Each amount is scored by the words before it on its line (or on the line above, for
receipts that print the label and the value on separate lines): totals and net pay
count, subtotals, VAT, unit prices, gross pay and change given do not.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Sequence

from ingest.facts.amount_labels import (
    ADDED,
    LETTERS,
    STRONG_TOTAL,
    SUBTOTAL,
    AmountChoice,
    is_label_only,
    label_above,
    label_of,
    label_score,
    vat_at_dutch_rate,
)
from ingest.facts.garbled_totals import (
    digits_confirm,
    from_its_parts,
    garbled_total,
    lost_total,
    not_contradicted,
    same_row,
    stands_after,
    vat_sum,
)
from ingest.facts.text import Line, fold
from ingest.values import Amount, find_amounts

# Types whose amount may be the largest/most repeated one even without a label.
UNLABELLED_OK = frozenset({"invoice", "receipt", "payslip"})
# Letters, contracts and forms mention sums in their sentences (a monthly fee, an
# outstanding amount): that is no total of the document. Only a total set out as a
# label and its value counts for them.
_PROSE_TYPES = frozenset({"letter", "contract", "form"})
_SET_OUT_SCORE = 3.5


def choose_amount(lines: Sequence[Line], document_type: str | None) -> AmountChoice | None:
    """Return the total payable / paid / net pay of the document, or None."""
    scored: list[tuple[float, int, Amount, Line]] = []
    for i, line in enumerate(lines):
        for amount in find_amounts(line.text):
            scored.append((_score(lines, i, amount), i, amount, line))
    shares = _net_and_tax(scored) | _in_tax_summary(lines, scored)
    scored = [
        (score - _TAX_ROW_PENALTY if (i, amount) in shares else score, i, amount, line)
        for score, i, amount, line in scored
    ]
    sums = _column_sums(lines, scored)
    scored = [
        (sums[(i, amount)][0], i, sums[(i, amount)][1], line) if (i, amount) in sums else (score, i, amount, line)
        for score, i, amount, line in scored
    ]
    if not scored:
        return None
    labelled = [item for item in scored if item[0] > 0]
    if document_type in _PROSE_TYPES:
        labelled = [item for item in labelled if item[0] >= _SET_OUT_SCORE]
        return _best_labelled(labelled) if labelled else None
    labelled = _without_tax_shares(lines, labelled)
    best = _best_labelled(labelled) if labelled else None
    if best is not None:
        best = _rounded(lines, scored, best)
        best = _summed(lines, scored, best)
    garbled = garbled_total(lines, document_type)
    if garbled is None and document_type != "payslip":
        lost = lost_total(lines)
        summed = vat_sum(lines, scored, lost) if lost and not stands_after(labelled, best, lost) else None
        if summed is not None:
            return summed
    if garbled is not None and not stands_after(labelled, best, garbled):
        parts = from_its_parts(lines, scored, garbled, document_type)
        settled = _settled(lines, scored, None) if parts is None and document_type in ("receipt", None) else None
        if parts is not None or settled is not None:
            return parts or settled
        # Another reading of the total stands only where the garbled digits do not say otherwise.
        other = best or (_most_repeated(scored) if document_type in UNLABELLED_OK else None)
        if other is None or same_row(other.line, lines[garbled.index]):
            return None
        return other if not_contradicted(garbled.digits, other.amount.value) else None
    if document_type in ("receipt", None):
        settled = _settled(lines, scored, best)
        if settled is not None:
            return settled
    if best is not None:
        return best
    if document_type in UNLABELLED_OK:
        return _most_repeated(scored)
    return None


# A till receipt settles the bill: what was handed over (cash, card) less the change
# given back is what was paid, the total as rounded at the till. It holds when OCR
# garbled the total's own line, and it tells the total from the cash tendered.
TENDER_LABEL = re.compile(
    r"(?<![a-z])(?:cash|tunai|contant|kontant|paid|payment|betaald|tendered|received|ontvangen|"
    r"credit|card|visa|master\s?card|maestro|debit|pin|amex|tender)(?![a-z])"
)
CHANGE_LABEL = re.compile(r"(?<![a-z])(?:chan[gq]e|cha[nr]ye|wisselgeld|terug|retour|baki|kembali|wang baki)(?![a-z])")
_ROUNDING = 0.06


def _settled(
    lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], best: AmountChoice | None
) -> AmountChoice | None:
    """The total as tender minus change, when the receipt prints both and the sum agrees with an amount."""
    tenders, changes = [], []
    for _score_value, i, amount, line in scored:
        label = label_of(lines, i, amount) + " " + _row_before(lines, i, amount)
        if CHANGE_LABEL.search(label) and amount.value >= 0:
            changes.append((i, amount))
        elif TENDER_LABEL.search(label) and amount.value > 0:
            tenders.append((i, amount, line))
    if not tenders or not changes:
        return None
    # The change is printed after what was handed over.
    for change_at, change in changes:
        before = [t for t in tenders if t[0] < change_at and t[1].value >= change.value]
        if not before:
            continue
        tender_at, tender, line = before[-1]
        paid = tender.value - change.value
        if paid <= 0:
            continue
        same = [item for item in scored if item[2].value == paid and item[1] < tender_at]
        if same:
            _, _, amount, at = max(same, key=lambda item: (item[0], item[1]))
            return AmountChoice(amount, at, 0.85, False)
        amount = Amount(paid, tender.currency, tender.start, tender.end, f"{paid}", True)
        # The total as rounded at the till: a total printed before the tender, a few cents off.
        near = [item for item in scored if item[0] >= 2.0 and item[1] < tender_at and _within_rounding(item[2], paid)]
        if near or (best is not None and _within_rounding(best.amount, paid)):
            return AmountChoice(amount, line, 0.75, False)
        pointless = _total_without_point(lines, tender_at, paid)
        if pointless is not None:
            return AmountChoice(amount, pointless, 0.7, False)
    return None


def _row_before(lines: Sequence[Line], i: int, amount: Amount) -> str:
    """The printed row's words before an amount, over its column pieces ("CASH  /,  2 py 55.10").

    OCR splits a faint till row into pieces; the piece holding the amount may carry only
    specks ("2 py") while the row's first piece says what the amount is.
    """
    pieces = [x.text for x in lines[max(i - 4, 0) : i] if (x.page, x.row) == (lines[i].page, lines[i].row)]
    return fold(" ".join([*pieces, lines[i].text[: amount.start]]))[-40:]


def _within_rounding(amount: Amount, paid: Decimal) -> bool:
    return abs(float(amount.value - paid)) <= _ROUNDING


_LAST_NUMBER = re.compile(r"(\d{3,})\W*$")


def _total_without_point(lines: Sequence[Line], tender_at: int, paid: Decimal) -> Line | None:
    """The total's line above the tender, its value read without the decimal point ("TOTAL 5510" for 55.10).

    OCR drops the faint point of a thermal print; tender less change says where it stood.
    """
    digits = f"{paid:.2f}".replace(".", "")
    for j in range(tender_at - 1, max(tender_at - 8, -1), -1):
        number = _LAST_NUMBER.search(lines[j].text)
        if number is None or find_amounts(lines[j].text) or not number.group(1).endswith(digits):
            continue
        row = " ".join(x.text for x in lines if (x.page, x.row) == (lines[j].page, lines[j].row) and x.index <= j)
        if label_score(row[: len(row) - len(number.group(0))][-40:]) >= 2.0:
            return lines[j]
    return None


_TAX_WORD = re.compile(r"(?<![a-z])(?:btw|vat|tax|gst|sst|mwst|tva|iva)(?![a-z])")
_TAX_RATES = (0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.19, 0.2, 0.21)
_ROUNDED = re.compile(
    r"(?<![a-z])(?:round|afgerond|afronding|final total|nett? total|totaal afgerond|"
    r"after (?:adj|round))"
)


def _without_tax_shares(lines: Sequence[Line], labelled: list[tuple[float, int, Amount, Line]]):
    """Drop a 'total includes X% tax' amount that is the tax share of another labelled total.

    "TOTAL INCLUDES 6% GST 1.66" and "waarvan btw 9% € 0,83" read like totals but name
    the tax in one: their value is the tax on (or in) another total on the receipt.
    """
    values = [item[2].value for item in labelled]
    kept = []
    for item in labelled:
        value = float(item[2].value)
        if _TAX_WORD.search(label_of(lines, item[1], item[2])) and any(
            _is_tax_of(value, float(other)) for other in values if other > item[2].value
        ):
            continue
        kept.append(item)
    return kept


# A tax summary's row prints the net amount and its tax side by side ("Total 83.93 5.04",
# "Totaal 100,00 21,00"): neither is what was paid, whatever the row is called.
_TAX_ROW_PENALTY = 4.0


def _net_and_tax(scored: list[tuple[float, int, Amount, Line]]) -> set[tuple[int, Amount]]:
    """The amounts that are a net amount followed, on the same printed row, by the tax on it."""
    rows: dict[tuple[int, int], list[tuple[int, Amount]]] = {}
    for _score_value, i, amount, line in scored:
        rows.setdefault((line.page, line.row), []).append((i, amount))
    shares: set[tuple[int, Amount]] = set()
    for row in rows.values():
        for k, (i, net) in enumerate(row):
            for j, tax in row[k + 1 :]:
                if 0 < tax.value < net.value and any(
                    abs(float(tax.value) - float(net.value) * rate) <= 0.015 for rate in _TAX_RATES
                ):
                    shares.update(((i, net), (j, tax)))
    return shares


def _column_sums(
    lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]]
) -> dict[tuple[int, Amount], tuple[float, Amount]]:
    """The total of a row of column totals ("Totaal   6.838,32   1.436,05   8.274,37"): its last amount, their sum.

    A table set out in columns (excl. VAT, VAT, incl. VAT) totals each column in one row
    under one label; the amount that is the sum of the others is what the label names.
    When the columns are a net amount and its VAT at a Dutch rate to the cent, that
    checksum confirms their sum also where OCR misread one digit of the last.
    """
    rows: dict[tuple[int, int], list[tuple[int, Amount]]] = {}
    for _score_value, i, amount, line in scored:
        rows.setdefault((line.page, line.row), []).append((i, amount))
    scores: dict[tuple[int, Amount], tuple[float, Amount]] = {}
    for (page, row), amounts in rows.items():
        if len(amounts) < 3:
            continue
        *parts, (last_at, last) = amounts
        label = _row_total_label(lines, page, row, amounts[0])
        total = sum((amount.value for _i, amount in parts), Decimal(0))
        if not label or not (total == last.value or _vat_checked_misread(parts, last, total)):
            continue
        score = label_score(label[-40:])
        if score > 0:
            scores[(last_at, last)] = (score + 0.5, _with_value(last, total))
            scores.update({part: (-_TAX_ROW_PENALTY, part[1]) for part in parts})
    return scores


def _vat_checked_misread(parts: list[tuple[int, Amount]], last: Amount, total: Decimal) -> bool:
    """Whether a row's last amount is one misread digit from net plus VAT, the VAT a Dutch rate of the net."""
    if len(parts) != 2 or not vat_at_dutch_rate(parts[0][1].value, [parts[1][1].value]):
        return False
    printed, summed = f"{last.value:.2f}", f"{total:.2f}"
    return len(printed) == len(summed) and sum(a != b for a, b in zip(printed, summed)) == 1


def _with_value(amount: Amount, value: Decimal) -> Amount:
    if amount.value == value:
        return amount
    return Amount(value, amount.currency, amount.start, amount.end, amount.text, True)


def _row_total_label(lines: Sequence[Line], page: int, row: int, first_amount: tuple[int, Amount]) -> str:
    """The label of a row of column totals: its first piece, or what stands before its first amount.

    OCR may join the label and the first column's total into one piece ("Totalen €2.981,90").
    """
    first = next(line for line in lines if (line.page, line.row) == (page, row))
    if is_label_only(first):
        return first.text
    at, amount = first_amount
    if lines[at] is first:
        before = first.text[: amount.start]
        return before if LETTERS.search(fold(before)) else ""
    return ""


# The heading of a tax summary table ("GST Summary", "Btw-specificatie", "Tax code  %  Amount").
_TAX_SUMMARY = re.compile(
    r"(?<![a-z])(?:(?:gst|sst|vat|btw|tax)[\s-]*(?:summary|specificatie|specification|overzicht|analysis|code)|"
    r"(?:summary|specificatie|overzicht) (?:of )?(?:gst|vat|btw|tax))(?![a-z])"
)
_SUMMARY_ROWS = 6


def _in_tax_summary(lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]]) -> set[tuple[int, Amount]]:
    """The amounts in the rows of a tax summary table: its 'Total' row sums the net and the tax, not the bill.

    The table is the few printed rows below its heading (OCR's blank lines inside a faint
    receipt's table say nothing); a strongly labelled total there ("Te betalen") still stands.
    """
    headings = [line for line in lines if _TAX_SUMMARY.search(fold(line.text))]
    inside: set[tuple[int, Amount]] = set()
    for score, i, amount, line in scored:
        if score >= STRONG_TOTAL:
            continue
        if any(h.index < i and h.page == line.page and 0 <= line.row - h.row <= _SUMMARY_ROWS for h in headings):
            inside.add((i, amount))
    return inside


def _is_tax_of(tax: float, total: float) -> bool:
    return any(abs(tax - total * rate / (1 + rate)) <= 0.015 or abs(tax - total * rate) <= 0.015 for rate in _TAX_RATES)


def _rounded(lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], best: AmountChoice) -> AmountChoice:
    """The total as rounded at the till ("Total Rounded 29.30" after "Total 29.28"), when printed."""
    for _score_value, i, amount, line in scored:
        gap = abs(float(amount.value - best.amount.value))
        if 0 < gap <= _ROUNDING and i > best.line.index and _ROUNDED.search(label_of(lines, i, amount)):
            return AmountChoice(amount, line, best.confidence, best.conflicting)
    return best


def _summed(lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], best: AmountChoice) -> AmountChoice:
    """The total as subtotal plus tax, service and rounding, where OCR misread one digit of it.

    "SUB TOTAL 295.00, SERVICE 29.50, GST 19.47, ROUNDING -0.02, TOTAL 345.95": the sum is
    343.95. Only a total that differs from the sum in one digit is read as the sum; any
    other disagreement leaves the printed total as it is.
    """
    subtotal = [
        item for item in scored if item[1] < best.line.index and SUBTOTAL.search(label_of(lines, item[1], item[2]))
    ]
    if not subtotal:
        return best
    _, start, base, _line = subtotal[-1]
    added = [
        item[2].value
        for item in scored
        if start < item[1] < best.line.index and ADDED.search(label_of(lines, item[1], item[2]))
    ]
    if not added:
        return best
    total = base.value + sum(added)
    printed, summed = f"{best.amount.value:.2f}", f"{total:.2f}"
    one_misread = len(printed) == len(summed) and sum(a != b for a, b in zip(printed, summed)) == 1
    if not one_misread and not (
        vat_at_dutch_rate(base.value, added) and digits_confirm(printed.replace(".", ""), total)
    ):
        return best
    amount = Amount(total, best.amount.currency, best.amount.start, best.amount.end, best.amount.text, True)
    return AmountChoice(amount, best.line, round(best.confidence * 0.8, 3), best.conflicting)


# A short token right before a number that is no word of a label: a currency mark OCR
# misread ("FUR 4,405.55", "RN 12,50").
_MISREAD_CURRENCY = re.compile(r"(?<![a-z])(?!(?:btw|vat|tax|net|pay|due|gst|sst|tot|incl?|ex)\b)[a-z]{2,3}\.?\s*$")


def _score(lines: Sequence[Line], i: int, amount: Amount) -> float:
    before = lines[i].text[: amount.start]
    if not LETTERS.search(_MISREAD_CURRENCY.sub("", fold(before))):
        before = ""
    if LETTERS.search(fold(before)):
        score = label_score(before[-40:])
    else:
        # Receipts and laid-out tables print the label on the line above or after the value.
        after = lines[i].text[amount.end :]
        above = label_above(lines, i)
        scores = [label_score(above[-40:])] if LETTERS.search(fold(above)) else []
        if LETTERS.search(fold(after)) and not find_amounts(after):
            scores.append(label_score(after[:40]))
        # No label is no evidence either way; a label that says "cash" or "subtotal" counts against.
        score = max(scores, default=0.0)
    if score > 0 and len(lines[i].text.split()) <= 7:
        score += 0.5  # a label right beside its amount, not a word in a sentence
    if amount.value <= 0:
        score -= 5.0
    return score


def _best_labelled(labelled: list[tuple[float, int, Amount, Line]]) -> AmountChoice:
    top = max(item[0] for item in labelled)
    tier = [item for item in labelled if item[0] == top]
    # Two differently valued amounts, both labelled as the total, are for a clerk to settle.
    values = {item[2].value for item in labelled if item[0] >= 3.0 and item[0] >= top - 0.5}
    # Among equally good totals the last printed is the final one (after subtotals, discounts).
    score, _, amount, line = max(tier, key=lambda item: (item[1], item[2].value))
    conflicting = len(values) > 1
    confidence = min(0.5 + 0.12 * score, 0.95) * (0.6 if conflicting else 1.0)
    return AmountChoice(amount, line, round(confidence, 3), conflicting)


# A unit price ("@19.50", "2 x 26.50", "1 X 9.90"): an item bought once prints its price
# twice (the price and the line's amount), which is no repetition of a total.
_UNIT_PRICE = re.compile(r"(?:@|(?<![\w.,])\d{1,3}\s?[x×*])\s*(?:[a-z]{2,3}\s?)?$", re.IGNORECASE)


def _most_repeated(scored: list[tuple[float, int, Amount, Line]]) -> AmountChoice | None:
    # An amount labelled as something else (cash tendered, a subtotal, the VAT) is no total.
    usable = [item for item in scored if item[0] >= 0.0 and item[2].value > 0]
    counted = [item for item in usable if not _UNIT_PRICE.search(item[3].text[: item[2].start])]
    if not counted:
        return None
    counts = Counter(item[2].value for item in counted)
    value = max(counts, key=lambda v: (counts[v], v))
    if counts[value] < 2 and len({item[2].value for item in usable}) > 1:
        return None  # the largest of unlabelled amounts is as often the cash handed over as the total
    _, _, amount, line = next(item for item in counted if item[2].value == value)
    return AmountChoice(amount, line, 0.4, False)


def document_currency(lines: Sequence[Line]) -> str | None:
    """Return the currency printed most often with amounts in the document, or None."""
    counts = Counter(a.currency for line in lines for a in find_amounts(line.text) if a.currency)
    return counts.most_common(1)[0][0] if counts else None


def is_value(value: Decimal) -> bool:
    """Return True for a plausible document amount (not zero, not absurd)."""
    return Decimal("0") < value < Decimal("100000000")
