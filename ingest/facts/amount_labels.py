"""The label before an amount, read and weighed: what makes it a total, a subtotal or VAT.

Each amount is scored by the words before it on its line (or on the line above, for
receipts that print the label and the value on separate lines): totals and net pay
count, subtotals, VAT, unit prices, gross pay and change given do not. The amount
rules (``amounts``) and the repairs of a garbled total (``garbled_totals``) both read
labels this one way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from ingest.facts.text import Line, fold
from ingest.values import Amount, find_amounts

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


LETTERS = re.compile(r"[a-z]{2,}")


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


# A label scoring this much names the total itself ("Te betalen", "Totaal"), not a row near it.
STRONG_TOTAL = 3.0


# A subtotal's label: the sum before VAT and charges ("Subtotaal", "Totaal excl. btw").
SUBTOTAL = re.compile(r"(?<![a-z])(?:sub[\s-]?tota|subtotaal|tota(?:a?l)?\s+ex(?:cl|c\.|\.|cluding|clusief))")


# The Dutch VAT rates: a VAT row that is exactly one of them of the subtotal checks the
# sum, so a total OCR read with a digit lost or added ("83.695,11" for 3.695,11) is the sum.
_DUTCH_VAT_RATES = (Decimal("0.21"), Decimal("0.09"))


def vat_at_dutch_rate(subtotal: Decimal, added: list[Decimal]) -> bool:
    """Whether the only row added to the subtotal is its VAT at a Dutch rate, to the cent."""
    if len(added) != 1 or subtotal <= 0:
        return False
    return any(abs(subtotal * rate - added[0]) <= Decimal("0.005") for rate in _DUTCH_VAT_RATES)


# The rows between a subtotal and its total: VAT, service, rounding, discount.
ADDED = re.compile(
    r"(?<![a-z])(?:btw|vat|tax|gst|sst|service|servis|charge|toeslag|rounding|round|afronding|discount|korting|disc)"
)


def label_of(lines: Sequence[Line], i: int, amount: Amount) -> str:
    """The words labelling an amount: before it on its line, else the line above's."""
    before = fold(lines[i].text[: amount.start])
    if LETTERS.search(before):
        return before[-40:]
    return fold(label_above(lines, i))[-40:]


def is_label_only(line: Line) -> bool:
    return bool(LETTERS.search(fold(line.text))) and not find_amounts(line.text)


def _is_amount_only(line: Line) -> bool:
    amounts = find_amounts(line.text)
    return len(amounts) == 1 and not LETTERS.search(fold(line.text[: amounts[0].start] + line.text[amounts[0].end :]))


def label_above(lines: Sequence[Line], i: int) -> str:
    """Return the label printed above a bare amount, pairing a run of labels with a run of amounts.

    OCR reads a two-column table as a block of labels followed by a block of amounts: the
    k-th amount belongs to the k-th label, and when the runs differ in length nothing is sure.
    """
    beside = lines[i - 1] if i > 0 else None
    if beside is not None and (beside.page, beside.row) == (lines[i].page, lines[i].row) and is_label_only(beside):
        return _row_label(lines, i)  # the label column of the amount's own printed row
    first = i
    while first > 0 and _is_amount_only(lines[first - 1]):
        first -= 1
    labels_end = first
    start = labels_end
    while start > 0 and is_label_only(lines[start - 1]):
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
    while j >= 0 and (lines[j].page, lines[j].row) == (lines[i].page, lines[i].row) and is_label_only(lines[j]):
        pieces.insert(0, lines[j].text)
        j -= 1
    return " ".join(pieces)
