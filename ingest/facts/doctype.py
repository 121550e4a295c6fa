"""Document type from weighted cue words and phrases (config ``[extraction.types]``)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

from ingest.facts.amounts import CHANGE_LABEL, TENDER_LABEL
from ingest.facts.settings import TypeRule
from ingest.facts.text import Line, fold
from ingest.values.amounts import find_amounts
from ingest.values.dates import find_dates

# A line this short that holds a cue is the document's heading ("FACTUUR", "Loonstrook").
_HEADING_WORDS = 5
_HEADING_LINES = 12


@dataclass(frozen=True)
class TypeGuess:
    """The most likely type, its probability and the probabilities of all types."""

    document_type: str | None
    confidence: float
    scores: dict[str, float]
    cue: str = ""
    line: Line | None = None


@lru_cache(maxsize=512)
def _cue_word(cue: str) -> str:
    """The cue's first folded word: text without it cannot match, and a substring test is cheap."""
    return fold(cue).split()[0] if cue.strip() else ""


@lru_cache(maxsize=512)
def _cue_pattern(cue: str) -> re.Pattern[str]:
    folded = fold(cue)
    words = re.escape(folded).replace(r"\ ", r"\s+")
    # Long cues also match at the end of Dutch compounds (arbeidsovereenkomst, eindfactuur).
    if len(cue) >= 7 and " " not in cue:
        return re.compile(words + r"(?![a-z])")
    # Others start a word. The look-behind comes after the first word, not before it: a
    # pattern that starts with a literal word is scanned for quickly, one that starts with a
    # look-behind is tried at every position of the text (twice as slow over all the cues).
    first = re.escape(folded.split(" ")[0])
    return re.compile(first + r"(?<![a-z0-9]" + first + ")" + words[len(first) :] + r"(?![a-z])")


def score_types(lines: Sequence[Line], rules: Mapping[str, TypeRule], heading_weight: float) -> TypeGuess:
    """Return the type whose cues weigh most, with a softmax probability over all types."""
    folded = [fold(line.text) for line in lines]
    whole = "\n".join(folded)
    raw: dict[str, float] = {}
    best_cue: dict[str, tuple[float, str, Line | None]] = {}
    for name, rule in rules.items():
        total = 0.0
        for cue, weight in rule.cues.items():
            if _cue_word(cue) not in whole:
                continue
            pattern = _cue_pattern(cue)
            hits = pattern.findall(whole)
            if not hits:
                continue
            gained = weight * (1.0 + 0.25 * min(len(hits) - 1, 2))
            where = _heading_line(lines, folded, pattern)
            if where is not None:
                gained += weight * (heading_weight - 1.0)
            total += gained
            if gained > best_cue.get(name, (0.0, "", None))[0]:
                best_cue[name] = (gained, cue, where)
        raw[name] = total
    if "receipt" in rules:
        settled = receipt_structure(lines, folded)
        if settled:
            raw["receipt"] = raw.get("receipt", 0.0) + settled
            if settled > best_cue.get("receipt", (0.0, "", None))[0]:
                best_cue["receipt"] = (settled, "cash and change", None)
    return _guess(raw, best_cue)


_PRINTED_VALUE = re.compile(r"\d|€|(?<![a-z])(?:rm|eur)(?![a-z])", re.IGNORECASE)
_TIME = re.compile(r"(?<![\d:])(?:[01]?\d|2[0-3])[:.][0-5]\d(?::[0-5]\d)?(?![\d:])")


def receipt_structure(lines: Sequence[Line], folded: Sequence[str]) -> float:
    """Points for the shape of a till receipt, whatever words it uses (a "tax invoice" at a till too).

    Money handed over and change given back, and a date printed with the time of day,
    belong to a sale at a counter; an invoice is paid later and is dated, not timed.
    """
    points = 0.0
    tender = change = False
    rows: dict[tuple[int, int], str] = {}
    for line in lines:
        rows[(line.page, line.row)] = rows.get((line.page, line.row), "") + " " + line.text
    for line, text in zip(lines, folded):
        # The change given back is often nothing, faintly printed: ",00", "RM .00".
        change = change or bool(CHANGE_LABEL.search(text) and _PRINTED_VALUE.search(rows[(line.page, line.row)]))
        if not tender and TENDER_LABEL.search(text):
            tender = bool(find_amounts(rows[(line.page, line.row)]))  # the value may stand in its own column
    if tender and change:
        points += 3.0
    if any(_may_hold_time(line.text) and _TIME.search(line.text) and find_dates(line.text) for line in lines):
        # Timed at a counter; the more so when nothing asks for payment later.
        points += 1.0 if any(_LATER_PAYMENT.search(text) for text in folded) else 2.5
    return points


def _may_hold_time(text: str) -> bool:
    # A time of day is written with ":" or "."; most lines have neither, and a test for
    # them is far cheaper than the pattern's look-behind at every position.
    return ":" in text or "." in text


# What an invoice has and a till receipt has not: a term or an account to pay into later.
_LATER_PAYMENT = re.compile(
    r"vervaldatum|due date|payment terms|betalingstermijn|betalen voor|betalen binnen|pay before|pay within|"
    r"payable within|(?<![a-z])iban|bank account|rekeningnummer|bankrekening|within \d+ days|binnen \d+ dagen"
)


def _heading_line(lines: Sequence[Line], folded: Sequence[str], pattern: re.Pattern[str]) -> Line | None:
    for line, text in zip(lines[:_HEADING_LINES], folded[:_HEADING_LINES]):
        if len(text.split()) <= _HEADING_WORDS and pattern.search(text):
            return line
    return None


def _guess(raw: dict[str, float], best_cue: dict[str, tuple[float, str, Line | None]]) -> TypeGuess:
    if not raw or max(raw.values()) <= 0.0:
        return TypeGuess(None, 0.0, dict.fromkeys(raw, 0.0))
    # A softmax with a temperature: a lead of ~3 cue points is convincing.
    peak = max(raw.values())
    exps = {name: math.exp((value - peak) / 2.0) for name, value in raw.items()}
    norm = sum(exps.values())
    probs = {name: value / norm for name, value in exps.items()}
    top = max(probs, key=lambda name: probs[name])
    _, cue, line = best_cue.get(top, (0.0, "", None))
    return TypeGuess(top, probs[top], probs, cue, line)
