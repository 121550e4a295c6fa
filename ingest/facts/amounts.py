"""The amount a document is about: total payable, amount paid or net pay.

Each amount is scored by the words before it on its line (or on the line above, for
receipts that print the label and the value on separate lines): totals and net pay
count, subtotals, VAT, unit prices, gross pay and change given do not.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from ingest.facts.text import Line, fold
from ingest.values import Amount, find_amounts, find_dates

_POSITIVE = (
    (
        3.0,
        r"totaal te betalen|te betalen|te voldoen|amount due|balance due|total due|still due|grand total|eindtotaal|"
        r"totaalbedrag|total amount|amount payable|amt payable|total amt incl|total incl|totaal incl|"
        r"totaal inclusief|total inclusive|total sales incl|total payable|netto ?loon|netto ?salaris|"
        r"netto uitbetaling|voor voldaan|"
        r"uit te betalen|uitbetaald|net pay|net salary|net amount paid|take home|nett? total|total rounded|"
        r"totaal incl|total incl|totaal bedrag|amount paid|betaald bedrag|te ontvangen|openstaand bedrag|"
        r"verschuldigd bedrag|total sales|totale kosten|total price|totaalprijs|montant ttc|somme a payer|"
        r"gesamtbetrag|total after|after adj",
    ),
    (
        2.0,
        r"totaal|total|tot\.|betaald|paid|netto|bedrag|amount|summe|bancontact|pin|maestro|v ?pay|visa|mastercard|"
        r"debit|credit card|contactloos|contactless|huurprijs|huur per maand|rent|salaris|loon|salary|"
        r"saldo|balance",
    ),
    (1.0, r"premie per|prijs|price|kosten|fee|vergoeding|som"),
)
_NEGATIVE = (
    (
        4.0,
        r"subtota|sub total|sub-total|excl|exclusief|zonder btw|ohne|exempt|bruto|gross|korting|discount|"
        r"wisselgeld|change|rounding|afronding|per stuk|per unit|unit price|stukprijs|eenheidsprijs|tarief|rate|"
        r"loonheffing|inhouding|deduction|reeds betaald|already paid|vooruitbetaald|aanbetaling|deposit|"
        r"vorige|previous|saldo vorige|besparing|saving|statiegeld|cashback|spaarpunten|tendered|cash|contant",
    ),
    (3.0, r"btw|vat|tax|gst|mwst|tva|pensioen|premie|zvw|wia|ww|heffingskorting|loonkosten|toeslag"),
)
# OCR's readings of a faint "Total" on a till receipt: "Tatal", "lotal", "Tota!", "Jota!".
_TOTAL_MISREAD = re.compile(r"(?<![a-z])(?:[tijlf][oa]ta[l1!i|]|t0ta[l1!])(?![a-z])")
_INCLUSIVE = re.compile(r"\b[il1]ncl|inclusive|including|inclusief")
_POS = [(w, re.compile(r"(?<![a-z])(?:" + p + r")")) for w, p in _POSITIVE]
_NEG = [(w, re.compile(r"(?<![a-z])(?:" + p + r")")) for w, p in _NEGATIVE]
_LETTERS = re.compile(r"[a-z]{2,}")
# Types whose amount may be the largest/most repeated one even without a label.
UNLABELLED_OK = frozenset({"invoice", "receipt", "payslip"})
# Letters, contracts and forms mention sums in their sentences (a monthly fee, an
# outstanding amount): that is no total of the document. Only a total set out as a
# label and its value counts for them.
_PROSE_TYPES = frozenset({"letter", "contract", "form"})
_SET_OUT_SCORE = 3.5


@dataclass(frozen=True)
class AmountChoice:
    """The chosen amount, its confidence, where it stood, and whether totals conflicted."""

    amount: Amount
    line: Line
    confidence: float
    conflicting: bool


def label_score(label: str) -> float:
    """Return how strongly the words before an amount say it is the document's total."""
    text = _TOTAL_MISREAD.sub("total", fold(label))
    pos = max((w for w, rx in _POS if rx.search(text)), default=0.0)
    neg = 0.0
    for weight, rx in _NEG:
        for match in rx.finditer(text):
            word = match.group(0)
            if weight == 3.0 and _INCLUSIVE.search(text) and word in ("btw", "vat", "tax", "gst", "mwst", "tva"):
                continue  # "totaal incl. btw" is the total, not the VAT
            neg = max(neg, weight)
    return pos - neg


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
    garbled = _garbled_total(lines, document_type)
    if garbled is None and document_type != "payslip":
        lost = _lost_total(lines)
        summed = _vat_sum(lines, scored, lost) if lost and not _stands_after(labelled, best, lost) else None
        if summed is not None:
            return summed
    if garbled is not None and not _stands_after(labelled, best, garbled):
        parts = _from_its_parts(lines, scored, garbled, document_type)
        settled = _settled(lines, scored, None) if parts is None and document_type in ("receipt", None) else None
        if parts is not None or settled is not None:
            return parts or settled
        # Another reading of the total stands only where the garbled digits do not say otherwise.
        other = best or (_most_repeated(scored) if document_type in UNLABELLED_OK else None)
        if other is None or _same_row(other.line, lines[garbled.index]):
            return None
        return other if _not_contradicted(garbled.digits, other.amount.value) else None
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
        label = _label_of(lines, i, amount) + " " + _row_before(lines, i, amount)
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
        if _TAX_WORD.search(_label_of(lines, item[1], item[2])) and any(
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
    if len(parts) != 2 or not _vat_at_dutch_rate(parts[0][1].value, [parts[1][1].value]):
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
    if _is_label_only(first):
        return first.text
    at, amount = first_amount
    if lines[at] is first:
        before = first.text[: amount.start]
        return before if _LETTERS.search(fold(before)) else ""
    return ""


# The heading of a tax summary table ("GST Summary", "Btw-specificatie", "Tax code  %  Amount").
_TAX_SUMMARY = re.compile(
    r"(?<![a-z])(?:(?:gst|sst|vat|btw|tax)[\s-]*(?:summary|specificatie|specification|overzicht|analysis|code)|"
    r"(?:summary|specificatie|overzicht) (?:of )?(?:gst|vat|btw|tax))(?![a-z])"
)
_SUMMARY_ROWS = 6
_STRONG_TOTAL = 3.0


def _in_tax_summary(lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]]) -> set[tuple[int, Amount]]:
    """The amounts in the rows of a tax summary table: its 'Total' row sums the net and the tax, not the bill.

    The table is the few printed rows below its heading (OCR's blank lines inside a faint
    receipt's table say nothing); a strongly labelled total there ("Te betalen") still stands.
    """
    headings = [line for line in lines if _TAX_SUMMARY.search(fold(line.text))]
    inside: set[tuple[int, Amount]] = set()
    for score, i, amount, line in scored:
        if score >= _STRONG_TOTAL:
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
        if 0 < gap <= _ROUNDING and i > best.line.index and _ROUNDED.search(_label_of(lines, i, amount)):
            return AmountChoice(amount, line, best.confidence, best.conflicting)
    return best


_SUBTOTAL = re.compile(r"(?<![a-z])(?:sub[\s-]?tota|subtotaal|tota(?:a?l)?\s+ex(?:cl|c\.|\.|cluding|clusief))")
# The Dutch VAT rates: a VAT row that is exactly one of them of the subtotal checks the
# sum, so a total OCR read with a digit lost or added ("83.695,11" for 3.695,11) is the sum.
_DUTCH_VAT_RATES = (Decimal("0.21"), Decimal("0.09"))


def _vat_at_dutch_rate(subtotal: Decimal, added: list[Decimal]) -> bool:
    """Whether the only row added to the subtotal is its VAT at a Dutch rate, to the cent."""
    if len(added) != 1 or subtotal <= 0:
        return False
    return any(abs(subtotal * rate - added[0]) <= Decimal("0.005") for rate in _DUTCH_VAT_RATES)


_ADDED = re.compile(
    r"(?<![a-z])(?:btw|vat|tax|gst|sst|service|servis|charge|toeslag|rounding|round|afronding|discount|korting|disc)"
)


def _summed(lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], best: AmountChoice) -> AmountChoice:
    """The total as subtotal plus tax, service and rounding, where OCR misread one digit of it.

    "SUB TOTAL 295.00, SERVICE 29.50, GST 19.47, ROUNDING -0.02, TOTAL 345.95": the sum is
    343.95. Only a total that differs from the sum in one digit is read as the sum; any
    other disagreement leaves the printed total as it is.
    """
    subtotal = [
        item for item in scored if item[1] < best.line.index and _SUBTOTAL.search(_label_of(lines, item[1], item[2]))
    ]
    if not subtotal:
        return best
    _, start, base, _line = subtotal[-1]
    added = [
        item[2].value
        for item in scored
        if start < item[1] < best.line.index and _ADDED.search(_label_of(lines, item[1], item[2]))
    ]
    if not added:
        return best
    total = base.value + sum(added)
    printed, summed = f"{best.amount.value:.2f}", f"{total:.2f}"
    one_misread = len(printed) == len(summed) and sum(a != b for a, b in zip(printed, summed)) == 1
    if not one_misread and not (
        _vat_at_dutch_rate(base.value, added) and _digits_confirm(printed.replace(".", ""), total)
    ):
        return best
    amount = Amount(total, best.amount.currency, best.amount.start, best.amount.end, best.amount.text, True)
    return AmountChoice(amount, best.line, round(best.confidence * 0.8, 3), best.conflicting)


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


def _garbled_total(lines: Sequence[Line], document_type: str | None) -> _Garbled | None:
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
        if value is None or score < _STRONG_TOTAL or _NO_AMOUNT_LABEL.search(label) or find_dates(rest):
            continue
        digits = re.sub(r"\D", "", value.group("v"))
        marked = bool(re.search(r"[.,:;‚„'’]", value.group("v")))
        if not 3 <= len(digits) <= 9 or (not marked and len(digits) > 7):
            continue
        found = _Garbled(pieces[-1].index, digits, score)
    return found


# What OCR leaves of a total's value when it lost every digit: a short run of marks ("KEER]", "AA, Gh").
_LOST_VALUE = re.compile(r"[^\d\s]{1,6}(?:[ ,.]{1,2}[^\d\s]{1,3})?")


def _lost_total(lines: Sequence[Line]) -> _Garbled | None:
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
        if score >= _STRONG_TOTAL:
            found = _Garbled(pieces[-1].index, "", score)
    return found


def _vat_sum(
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
    if len(below) != 1 or set(below) != printed or not _vat_at_dutch_rate(base.value, added):
        return None
    i, vat = next(iter(below.values()))
    if not _ADDED.search(_label_of(lines, i, vat)):
        return None
    total = base.value + vat.value
    amount = Amount(total, base.currency or vat.currency, 0, len(at.text), at.text, True)
    return AmountChoice(amount, at, 0.6, False)


def _net_beyond_gross(pieces: list[Line], text: str, net: Amount, gross: Decimal) -> _Garbled | None:
    """A payslip's net pay read larger than its gross pay ("€ 31103" for 3.511,83): garbled, not paid."""
    label = fold(text[: net.start])
    score = label_score(label[-40:])
    if score < _STRONG_TOTAL or net.value <= gross:
        return None
    return _Garbled(pieces[-1].index, re.sub(r"\D", "", net.text), score)


def _stands_after(
    labelled: list[tuple[float, int, Amount, Line]], best: AmountChoice | None, garbled: _Garbled
) -> bool:
    """Whether a readable total labelled at least as strongly stands after the garbled one (the final total)."""
    if best is None:
        return False
    return any(score >= garbled.score and i > garbled.index for score, i, _amount, _line in labelled)


def _from_its_parts(
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
    if total is not None and total > 0 and _digits_confirm(garbled.digits, total):
        line = lines[garbled.index]
        currency = next((item[2].currency for item in scored if item[2].currency), None)
        amount = Amount(total, currency, 0, len(line.text), line.text, True)
        return AmountChoice(amount, line, 0.6, False)
    return None


def _subtotal_above(
    lines: Sequence[Line], scored: list[tuple[float, int, Amount, Line]], end: int
) -> tuple[int, Amount, Line, dict[tuple[int, int], tuple[int, Amount]]] | None:
    """The last subtotal before a line, and the last amount of each printed row between them."""
    subtotal = [item for item in scored if item[1] < end and _SUBTOTAL.search(_label_of(lines, item[1], item[2]))]
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
    gross = [item for item in scored if item[1] < garbled.index and _GROSS.search(_label_of(lines, item[1], item[2]))]
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
    if any(not _DEDUCTION.search(_label_of(lines, i, amount)) for i, amount in deductions.values()):
        return None
    return base.value - sum(amount.value for _i, amount in deductions.values())


def _digits_confirm(digits: str, value: Decimal) -> bool:
    """Whether the digits OCR kept of an amount agree with a value: in order, at most one lost, added or misread."""
    wanted = f"{abs(value):.2f}".replace(".", "")
    if len(wanted) < 3 or abs(len(digits) - len(wanted)) > 1:
        return False
    return _common(digits, wanted) >= len(wanted) - 1 and _common(digits, wanted) >= len(digits) - 1


def _same_row(a: Line, b: Line) -> bool:
    return (a.page, a.row) == (b.page, b.row)


def _not_contradicted(digits: str, value: Decimal) -> bool:
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


def _label_of(lines: Sequence[Line], i: int, amount: Amount) -> str:
    """The words labelling an amount: before it on its line, else the line above's."""
    before = fold(lines[i].text[: amount.start])
    if _LETTERS.search(before):
        return before[-40:]
    return fold(_label_above(lines, i))[-40:]


# A short token right before a number that is no word of a label: a currency mark OCR
# misread ("FUR 4,405.55", "RN 12,50").
_MISREAD_CURRENCY = re.compile(r"(?<![a-z])(?!(?:btw|vat|tax|net|pay|due|gst|sst|tot|incl?|ex)\b)[a-z]{2,3}\.?\s*$")


def _score(lines: Sequence[Line], i: int, amount: Amount) -> float:
    before = lines[i].text[: amount.start]
    if not _LETTERS.search(_MISREAD_CURRENCY.sub("", fold(before))):
        before = ""
    if _LETTERS.search(fold(before)):
        score = label_score(before[-40:])
    else:
        # Receipts and laid-out tables print the label on the line above or after the value.
        after = lines[i].text[amount.end :]
        above = _label_above(lines, i)
        scores = [label_score(above[-40:])] if _LETTERS.search(fold(above)) else []
        if _LETTERS.search(fold(after)) and not find_amounts(after):
            scores.append(label_score(after[:40]))
        # No label is no evidence either way; a label that says "cash" or "subtotal" counts against.
        score = max(scores, default=0.0)
    if score > 0 and len(lines[i].text.split()) <= 7:
        score += 0.5  # a label right beside its amount, not a word in a sentence
    if amount.value <= 0:
        score -= 5.0
    return score


def _is_label_only(line: Line) -> bool:
    return bool(_LETTERS.search(fold(line.text))) and not find_amounts(line.text)


def _is_amount_only(line: Line) -> bool:
    amounts = find_amounts(line.text)
    return len(amounts) == 1 and not _LETTERS.search(fold(line.text[: amounts[0].start] + line.text[amounts[0].end :]))


def _label_above(lines: Sequence[Line], i: int) -> str:
    """Return the label printed above a bare amount, pairing a run of labels with a run of amounts.

    OCR reads a two-column table as a block of labels followed by a block of amounts: the
    k-th amount belongs to the k-th label, and when the runs differ in length nothing is sure.
    """
    beside = lines[i - 1] if i > 0 else None
    if beside is not None and (beside.page, beside.row) == (lines[i].page, lines[i].row) and _is_label_only(beside):
        return _row_label(lines, i)  # the label column of the amount's own printed row
    first = i
    while first > 0 and _is_amount_only(lines[first - 1]):
        first -= 1
    labels_end = first
    start = labels_end
    while start > 0 and _is_label_only(lines[start - 1]):
        start -= 1
    labels = lines[start:labels_end]
    if not labels:
        return ""
    last = i
    while last + 1 < len(lines) and _is_amount_only(lines[last + 1]):
        last += 1
    amounts = last - first + 1
    if len(labels) == amounts:
        return labels[i - first].text
    if first == i and abs(len(labels) - amounts) <= 1:
        return labels[-1].text  # a label without a value nearby ("Afronding:") or a second column
    return ""


def _row_label(lines: Sequence[Line], i: int) -> str:
    """The label pieces before an amount on its printed row, joined ("Grand Total   fi   3.90").

    OCR reads specks between a label column and its value as a piece of their own; the
    label is the row's words up to the value, not the speck beside it.
    """
    pieces: list[str] = []
    j = i - 1
    while j >= 0 and (lines[j].page, lines[j].row) == (lines[i].page, lines[i].row) and _is_label_only(lines[j]):
        pieces.insert(0, lines[j].text)
        j -= 1
    return " ".join(pieces)


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
