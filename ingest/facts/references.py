"""The document's reference: invoice, policy, case, contract or receipt number, or 'kenmerk'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ingest.facts.text import Line

# Labels by priority: the number that names this document beats one that names another.
_LABELS = (
    (
        5.0,
        r"factuur\s?(?:nummer|nr\.?|no\.?|#)|factuur\b(?=\s*[:#]?\s*[A-Z]*[-/]?\d)|"
        r"invoice\s?(?:number|no\.?|nr\.?|#|id)|"
        r"inv\.?\s?(?:no\.?|nr\.?|#)|nota\s?(?:nummer|nr\.?)|creditnota\s?(?:nummer|nr\.?)|"
        r"credit note (?:number|no\.?)|"
        r"rechnungs?\s?(?:nummer|nr\.?)|factu(?:re|ur)\s?n[°o]\.?|bill no\.?|receipt\s?(?:number|no\.?|#)|"
        r"bon\s?(?:nummer|nr\.?)|kwitantie\s?(?:nummer|nr\.?)|bonnr\.?|invoice(?=\s*[:#]\s*[A-Z]*[-/]?\d)",
    ),
    (
        4.0,
        r"polis\s?(?:nummer|nr\.?)|policy\s?(?:number|no\.?)|dossier\s?(?:nummer|nr\.?)|"
        r"case\s?(?:number|no\.?|ref(?:erence)?)|"
        r"zaak\s?(?:nummer|nr\.?)|contract\s?(?:nummer|nr\.?|number|no\.?)|agreement\s?(?:number|no\.?)|"
        r"overeenkomst\s?(?:nummer|nr\.?)|ons kenmerk|our ref(?:erence)?|kenmerk|referentie\s?(?:nummer|nr\.?)?|"
        r"reference\s?(?:number|no\.?)?|ref\.?(?:\s?nr\.?)?|aanvraag\s?(?:nummer|nr\.?)|application\s?(?:number|no\.?)|"
        r"formulier\s?(?:nummer|nr\.?)|form\s?(?:number|no\.?)|loonstrook\s?(?:nummer|nr\.?)|payslip\s?(?:number|no\.?)|"
        r"document\s?(?:nummer|nr\.?|number|no\.?)|volgnummer|transactie\s?(?:nummer|nr\.?)|transaction\s?(?:number|no\.?|id)|"
        r"slip|trans|(?:dossier|polis|policy|zaak|case)(?=\s*[:#]\s*[A-Z]*[-/]?\d)",
    ),
    (
        2.0,
        r"betalingskenmerk|payment reference|betalingsreferentie|^nr\.?|^no\.?|^number|^nummer|"
        r"order\s?(?:nummer|nr\.?|number|no\.?|id)|bestel\s?(?:nummer|nr\.?)",
    ),
)


def _tolerant(pattern: str) -> str:
    # OCR reads a small "nr" as "nn" or "nm" (a fax's r loses its tail): before a colon it is still "nr".
    return pattern.replace(r"nr\.?", r"(?:nr|n[mn](?=\s*[:;]))\.?")


_PATTERNS = [(w, re.compile(r"(?<![a-z])(?:" + _tolerant(p) + r")(?![a-z])", re.IGNORECASE)) for w, p in _LABELS]
# Most lines hold no label at all: one search for any of them passes those by.
_ANY_LABEL = re.compile(r"(?<![a-z])(?:" + "|".join(_tolerant(p) for _, p in _LABELS) + r")(?![a-z])", re.IGNORECASE)
_THEIRS = re.compile(r"(?:uw|your)\s*$", re.IGNORECASE)
_VALUE = re.compile(r"^[\s:;.#°…·_]*(?:n[°o]\.?\s*)?[:#]?\s*(?P<v>#?[A-Z0-9][A-Z0-9_./-]*)", re.IGNORECASE)
# A word OCR printed with 0 for its letter O ("T0TAAL", "0NTVANGEN"): only letters and
# zeros, and the zeros not a number after a short prefix ("AB000"), so a word, not a number.
_LETTERS_AND_ZEROS = re.compile(r"[A-Z0]*[A-Z]0[A-Z0]*|[A-Z0]*0[A-Z][A-Z0]*", re.IGNORECASE)
_NUMBERED = re.compile(r"[A-Z]{1,4}0{2,}", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^\d{1,4}[-./]\d{1,2}[-./]\d{2,4}$|^\d{1,3}(?:[.,]\d{3})*[.,]\d{2}$")  # dates, amounts


@dataclass(frozen=True)
class ReferenceChoice:
    """The chosen reference with its confidence and where it stood."""

    value: str
    line: Line
    confidence: float


# A letter, contract or form is named by its own kenmerk, dossier or contract number; an
# invoice number in it ("Betreft: factuur 2025-0099") names another document.
_OWN_NUMBER_FIRST = {5.0: 3.5, 4.0: 5.0, 2.0: 2.0}


def choose_reference(
    lines: Sequence[Line], client_number: str | None = None, document_type: str | None = None
) -> ReferenceChoice | None:
    """Return the reference of the document (without a leading '#'), or None."""
    best: tuple[float, int, str, Line] | None = None
    own_first = document_type in ("letter", "contract", "form")
    patterns = sorted(((_OWN_NUMBER_FIRST[w] if own_first else w, p) for w, p in _PATTERNS), key=lambda wp: -wp[0])
    for i, line in enumerate(lines):
        if _ANY_LABEL.search(line.text) is None:
            continue
        for weight, pattern in patterns:
            for order, match in enumerate(pattern.finditer(line.text)):
                value = _value_after(line.text[match.end() :]) or _value_below(lines, i, order, match.start())
                if value is None or (client_number and value.upper() == client_number.upper()):
                    continue
                if _THEIRS.search(line.text[: match.start()]):
                    continue  # "Uw kenmerk" is the addressee's own reference, not this document's
                if best is None or weight > best[0]:
                    best = (weight, i, value, line)
            if best is not None and best[0] >= weight:
                break
    if best is None:
        return _quoted(lines, client_number)
    weight, _, value, line = best
    return ReferenceChoice(value, line, round(0.5 + 0.08 * weight, 3))


# A payment instruction names the number to quote ("o.v.v. F2025-3829", "quoting 53067931"):
# the document's own number when OCR garbled its label.
_QUOTE = re.compile(r"(?<![a-z])(?:o\.\s?v\.\s?v\.?|ovv|onder vermelding van|quoting)(?![a-z])", re.IGNORECASE)


def _quoted(lines: Sequence[Line], client_number: str | None) -> ReferenceChoice | None:
    """The number a payment line asks to quote, when no label named the document's reference."""
    for line in lines:
        for match in _QUOTE.finditer(line.text):
            value = _value_after(line.text[match.end() :])
            if value is not None and not (client_number and value.upper() == client_number.upper()):
                return ReferenceChoice(value, line, 0.6)
    return None


def _value_after(rest: str) -> str | None:
    match = _VALUE.match(rest)
    if not match:
        return None
    value = match.group("v").strip().rstrip(".,/-").lstrip("#")
    if not re.search(r"\d", value) or len(value) < 3 or len(value) > 30 or _DATE_LIKE.match(value):
        return None
    if _is_misread_word(value):
        return None
    return value


def _is_misread_word(value: str) -> bool:
    """Whether a value is a word with OCR's 0 for O ("T0TAAL"), not a number."""
    letters = sum(ch.isalpha() for ch in value)
    return letters >= 3 and bool(_LETTERS_AND_ZEROS.fullmatch(value)) and not _NUMBERED.fullmatch(value)


def _value_below(lines: Sequence[Line], i: int, order: int, start: int = 0) -> str | None:
    # Table headers print labels in a row and the values on the line below, in the same order.
    label = lines[i]
    if i + 1 >= len(lines) or lines[i + 1].page != label.page:
        return None
    beside = lines[i + 1]
    if beside.row == label.row and beside.page == label.page:  # "Ons kenmerk      IB/2024/55123"
        value = _value_after(beside.text)
        if value is not None:
            return value
    below = [line for line in lines[i + 1 :] if line.page == label.page and line.row > label.row]
    if not below:
        return None
    next_row = [line for line in below if line.row == below[0].row]
    if len(next_row) > 1 or label.column:  # laid out in columns: the piece in the same column
        same = [line for line in next_row if line.column == label.column]
        return _value_after(same[0].text) if same else None
    tokens = next_row[0].text.split()
    words_before = len(label.text[:start].split())
    if len(tokens) == len(label.text.split()) and words_before < len(tokens):
        return _value_after(tokens[words_before])
    return _value_after(tokens[order]) if order < len(tokens) else None
