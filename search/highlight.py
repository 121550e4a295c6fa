"""Snippets: the part of a document's text where the query's words are, HTML-safe.

The text is escaped piece by piece and only the matched words are wrapped in
``<mark>``, so nothing from a document (``<script>`` included) reaches a page as markup.
Candidates are found with one regular expression over an accent-folded copy of the
text, then confirmed word by word with the index's own stemming — fast enough for a
page of twenty documents of any length.
"""

from __future__ import annotations

import html
import re
import unicodedata

from search.analysis import MIN_COMPOUND_WORD, MIN_PART, _stem_nl, fold, stems
from search.compile import Marks

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACE = re.compile(r"\s+")
_ELLIPSIS = "…"


def highlight(text: str, marks: Marks, width: int) -> str:
    """Return an HTML snippet of about ``width`` characters around the best matches.

    The text comes masked: citizen service numbers are hidden before it gets here.
    """
    spans = find_matches(text, marks) if (marks.stems or marks.prefixes) else []
    if not spans:
        return _render(text, 0, min(len(text), width), [])
    start, end = _best_window(spans, width, len(text))
    return _render(text, start, end, [s for s in spans if s[0] >= start and s[1] <= end])


def find_matches(text: str, marks: Marks) -> list[tuple[int, int]]:
    """Return the (start, end) character spans of the words in ``text`` that match."""
    folded = _fold_same_length(text)
    candidates = sorted({s for s in marks.stems if s} | set(marks.prefixes), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(c) for c in candidates))
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        found = pattern.search(folded, position)
        if found is None:
            return spans
        word = _WORD.match(folded, _word_start(folded, found.start()))
        if word is None or word.end() <= found.start():
            position = found.end()
            continue
        if _matches(word.group(), found.start() == word.start(), marks):
            spans.append((word.start(), word.end()))
        position = word.end()


def _word_start(text: str, index: int) -> int:
    while index > 0 and text[index - 1].isalnum():
        index -= 1
    return index


def _matches(word: str, at_start: bool, marks: Marks) -> bool:
    if at_start and (any(word.startswith(p) for p in marks.prefixes) or set(stems(word)) & marks.stems):
        return True
    stem = _stem_nl(word)
    return len(word) >= MIN_COMPOUND_WORD and any(len(s) >= MIN_PART and stem.endswith(s) for s in marks.stems)


def _fold_same_length(text: str) -> str:
    """Fold accents and case character by character, keeping every offset the same."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    base = "".join(c for c in unicodedata.normalize("NFKD", ch.lower()) if not unicodedata.combining(c))
    return base if len(base) == 1 else fold(ch)[:1] or " "


def _best_window(spans: list[tuple[int, int]], width: int, length: int) -> tuple[int, int]:
    """Return the window of ``width`` characters holding the most matches."""
    best, best_count, right = spans[0][0], 0, 0
    for left, (start, _end) in enumerate(spans):
        while right < len(spans) and spans[right][1] - start <= width:
            right += 1
        if right - left > best_count:
            best, best_count = start, right - left
    # Begin a little before the first match so it reads in context.
    lead = min(width // 4, best)
    begin = best - lead
    return begin, min(length, begin + width)


def _render(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    start, end = _snap(text, start, end)
    pieces = [_ELLIPSIS] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        pieces.append(html.escape(text[cursor:span_start]))
        pieces.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    if end < len(text):
        pieces.append(_ELLIPSIS)
    return _SPACE.sub(" ", "".join(pieces)).strip()


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Move the window's edges out of the middle of a word."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end
