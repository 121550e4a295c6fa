"""The document text as numbered lines, the one shape every fact finder reads."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from rapidfuzz import fuzz, process

from ingest.values.dates import MONTHS

# Label words the fact finders look for. OCR misreads a letter in them ("Factuumummer",
# "keumerk"); a word within one slip of one of these is read as that label.
LABEL_WORDS = tuple(
    sorted(
        set(
            """
factuur factuurnummer factuurdatum vervaldatum totaal subtotaal kenmerk betreft geachte bedrag betalen
rekening klantnummer relatienummer debiteurnummer polisnummer dossiernummer contractnummer overeenkomst
overeenkomstnummer ondertekend getekend geboortedatum loonstrook salarisstrook loonheffing periode loonperiode werknemer
werkgever huurder verhuurder kwitantie formulier handtekening invoice receipt payslip agreement signature
reference number amount subtotal employee period signed customer vriendelijke aanvraagnummer
formuliernummer ordernummer orderdatum leverdatum uitbetaling inhouding pensioenpremie wisselgeld
betaald ontvangen opdrachtgever opdrachtnemer ondergetekenden overeengekomen artikel ingangsdatum
uiterlijk onderwerp sincerely regards statement burgerservicenummer personeelsnummer transactie
factuurnr kassabon pinbetaling voldaan inclusief exclusief aanmeldformulier intakeformulier
employer landlord tenant supplier customers invoices receipts amounts numbers periods payment employment
referentie references signing verhuur betaling betalingen datums constant montant facture rechnung
nummer totale clientnummer salary salaris""".split()
        )
    )
)
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{6,}")
# OCR breaks a label word at a wide letter gap ("Pay peri od", "Te beta len", "Factuur
# datum"): two or three pieces that join into a label word are read as that word.
_PIECES = re.compile(r"(?<![\w.@-])[A-Za-zÀ-ÿ]+(?: [A-Za-zÀ-ÿ]+)+(?![\w@-])")
_SPLIT_LABELS = frozenset(LABEL_WORDS) | {"datum", "total", "totaal"}
# A piece that starts a join is a proper beginning of a label word: most words are not one,
# and a set look-up spares them the joining and lowering of every pair and triple.
_LABEL_STARTS = frozenset(label[:end] for label in _SPLIT_LABELS for end in range(1, len(label)))
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
# Wide gaps separate columns in text laid out like the page (pdftotext -layout, some PDFs):
# each column piece is read as a line of its own.
_COLUMN_GAP = re.compile(r"(?:[ \u00a0]{3,}|\t+)")
# Dotted leaders between a label and its value ("Debiteurnummer ........ 00003", read by OCR
# as "… …" or "· · ·"; a form's "Naam: ______") stand for the gap they fill: a column gap.
# A fax's last dots may come out as a short word before the number ("....see C2016-6409",
# "... eee C2016-6409"); a month there is the value itself ("Periode ....... juni 2019").
_NO_MONTH = "(?!(?:" + "|".join(sorted((m for m in MONTHS if m.isalpha()), key=len, reverse=True)) + r")\b)"
_LEADER = re.compile(
    r"[ \t]*(?:(?:\.[ \t]?){3,}(?:"
    + _NO_MONTH
    + r"[a-z]{1,4}(?=[ \t]+\S*\d))?|(?:[\u2026\u00b7\u2022][ \t]?)+|(?:_[ \t]?){3,})[ \t]*"
)
_LEADER_MARKS = ("..", "\u2026", "\u00b7", "\u2022", "___")


@dataclass(frozen=True)
class Line:
    """One non-empty text line: its page (1-based), index in the document and text."""

    page: int
    index: int
    text: str
    lower: str
    block: int = 0  # blank lines separate blocks (an address block, a letterhead)
    row: int = 0  # the printed line this piece belongs to (several pieces when laid out in columns)
    column: int = 0  # which column piece of its printed line


def split_lines(pages: Sequence[str]) -> list[Line]:
    """Return the non-empty lines of all pages, in reading order."""
    lines: list[Line] = []
    block = 0
    for page_number, page in enumerate(pages, start=1):
        block += 1
        for row, raw in enumerate((page or "").splitlines()):
            if not raw.strip():
                block += 1
                continue
            if any(mark in raw for mark in _LEADER_MARKS):
                raw = _LEADER.sub("   ", raw)
            pieces = [p for p in (_single_spaced(piece).strip() for piece in _COLUMN_GAP.split(raw)) if p]
            for column, piece in enumerate(pieces):
                text = _fix_label_words(_join_split_labels(piece))
                lines.append(Line(page_number, len(lines), text, text.lower(), block, row, column))
    return lines


def _single_spaced(piece: str) -> str:
    # An ASCII piece without a double space or tab has nothing to replace: most pieces.
    if piece.isascii() and "  " not in piece and "\t" not in piece:
        return piece
    return _SPACES.sub(" ", piece)


# Words seen that no label fix changes (most words of most documents): a piece made only of
# them is left as it is without looking at each word again.
_UNCHANGED: set[str] = set()
_UNCHANGED_AT_MOST = 50_000


def _fix_label_words(text: str) -> str:
    if _UNCHANGED.issuperset(_WORD.findall(text)):
        return text
    return _WORD.sub(_fix_label_word, text)


def _join_split_labels(text: str) -> str:
    """The text with a label word OCR broke into pieces ("Te beta len") joined again."""
    if " " not in text:
        return text
    out: list[str] = []
    last = 0
    for run in _PIECES.finditer(text):
        out.append(text[last : run.start()])
        out.append(_joined(run.group(0).split(" ")))
        last = run.end()
    return "".join(out) + text[last:] if out else text


def _joined(words: list[str]) -> str:
    if _LABEL_STARTS.isdisjoint(word.lower() for word in words[:-1]):
        return " ".join(words)  # no word starts a label word: nothing to join
    kept: list[str] = []
    i = 0
    while i < len(words):
        if words[i].lower() not in _LABEL_STARTS:
            kept.append(words[i])
            i += 1
            continue
        for size in (3, 2):
            piece = "".join(words[i : i + size])
            if i + size <= len(words) and piece.lower() in _SPLIT_LABELS:
                kept.append(piece)
                i += size
                break
        else:
            kept.append(words[i])
            i += 1
    return " ".join(kept)


def _fix_label_word(match: re.Match[str]) -> str:
    word = match.group(0)
    fixed = _closest_label(fold(word))  # OCR's stray accents are no letters of their own ("Chéntnummer")
    if fixed is None:
        if len(_UNCHANGED) >= _UNCHANGED_AT_MOST:
            _UNCHANGED.clear()
        _UNCHANGED.add(word)
        return word
    return fixed.upper() if word.isupper() else fixed.capitalize() if word[0].isupper() else fixed


@lru_cache(maxsize=8192)
def _closest_label(word: str) -> str | None:
    if word in LABEL_WORDS:
        return None
    best = process.extractOne(word, LABEL_WORDS, scorer=fuzz.ratio, score_cutoff=83)
    if best and abs(len(best[0]) - len(word)) <= 1:
        return best[0]
    return _confused_label(word)


# Letters a faded or faxed print turns into one another (measured on read faxes: a→u, f→t,
# c→e, l→k, o→e, n→a, …). Two such slips in a label word weigh as one other slip: "Totuul"
# is "Totaal", "Levendutum" is "Leverdatum"; a name is rarely that close to a label word.
_CONFUSED = frozenset(
    pair
    for a, b in (
        tuple(p) for p in "au ao ae an ai oe ou ce cv cg ft fl lt lk li it tr dt dl db bh nm nu nr gp gy ev".split()
    )
    for pair in ((a, b), (b, a))
)
_CONFUSED_LABELS: dict[int, tuple[str, ...]] = {}
for _label in LABEL_WORDS:
    _CONFUSED_LABELS[len(_label)] = (*_CONFUSED_LABELS.get(len(_label), ()), _label)


def _confused_label(word: str) -> str | None:
    """The one label word of the same length a word is within one slip of, counting two confusable letters as one."""
    found = [
        label
        for label in _CONFUSED_LABELS.get(len(word), ())
        if _slips(word, label) <= 2  # in half slips
    ]
    return found[0] if len(found) == 1 else None


def _slips(word: str, label: str) -> int:
    cost = 0
    for a, b in zip(word, label):
        if a != b:
            cost += 1 if (a, b) in _CONFUSED else 2
            if cost > 2:
                break
    return cost


def fold(text: str) -> str:
    """Return lower-case text without accents, for matching names and labels."""
    lowered = text.lower()
    if lowered.isascii():  # most lines: nothing to decompose, and far cheaper than per character
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def line_above(lines: Sequence[Line], i: int) -> Line | None:
    """Return the line a label for line i would stand on: the same column of the row above, or the line before."""
    if i <= 0:
        return None
    first, last = _row_span(lines, i)
    if last > first and first > 0:  # laid out in columns: the header piece in the same column
        above_first, above_last = _row_span(lines, first - 1)
        if above_last - above_first == last - first and lines[above_first].page == lines[i].page:
            return lines[above_first + lines[i].column]
    return lines[i - 1]


def _row_span(lines: Sequence[Line], i: int) -> tuple[int, int]:
    def same(j: int) -> bool:
        return lines[j].page == lines[i].page and lines[j].row == lines[i].row

    first, last = i, i
    while first > 0 and same(first - 1):
        first -= 1
    while last + 1 < len(lines) and same(last + 1):
        last += 1
    return first, last


def aligned_label(above: str, text: str, start: int) -> str:
    """Return the word of a header row standing over the value at ``start`` (as many words as values), else the row."""
    labels, values = above.split(), text.split()
    if len(labels) == len(values) > 1:
        return labels[min(len(text[:start].split()), len(labels) - 1)]
    return above
