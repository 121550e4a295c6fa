"""The indexed words, held per segment in memory: compound parts and spelling suggestions.

Dutch compounds put their head last (huur|overeenkomst, tandarts|nota). Instead of
indexing every tail of every long word — which more than doubled indexing time — the
stems of the Dutch body field are read once per segment, kept sorted *backwards*, and
"stems ending in ``overeenkomst``" becomes a binary search. The same stems, grouped
by first letter, are the candidates for "did you mean". Segments never change, so
each is read once and cached for the life of the index.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz import distance, process

from search.analysis import MIN_PART

# A compound's head must be at least this long: "e|nota" is not a compound of nota.
MIN_HEAD = 3
# Fields whose terms are read: the Dutch body (compounds, spelling) and client names (spelling).
COMPOUND_FIELD = "content_nl"
SPELLING_FIELDS = ("content_nl", "content_en", "client_name")


@dataclass(frozen=True)
class SegmentWords:
    """The stems of one segment: backwards and sorted, and by first letter."""

    backwards: list[str]
    by_letter: dict[str, list[str]]


def read_segment_words(reader) -> SegmentWords:
    """Return the words of one segment reader (slow: once per segment)."""
    compound_terms = [_text(t) for t in reader.lexicon(COMPOUND_FIELD)] if _has(reader, COMPOUND_FIELD) else []
    by_letter: dict[str, list[str]] = {}
    seen: set[str] = set()
    for field in SPELLING_FIELDS:
        if not _has(reader, field):
            continue
        for term in reader.lexicon(field):
            word = _text(term)
            if word not in seen and word.isalpha():
                seen.add(word)
                by_letter.setdefault(word[0], []).append(word)
    return SegmentWords(sorted(t[::-1] for t in compound_terms if t.isalpha()), by_letter)


def _has(reader, field: str) -> bool:
    return field in reader.indexed_field_names()


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def compounds(segments: list[SegmentWords], stem: str) -> set[str]:
    """Return the indexed stems that end in ``stem`` after a head of MIN_HEAD+ letters."""
    if len(stem) < MIN_PART - 1:
        return set()
    key = stem[::-1]
    found: set[str] = set()
    for words in segments:
        position = bisect_left(words.backwards, key)
        while position < len(words.backwards) and words.backwards[position].startswith(key):
            candidate = words.backwards[position]
            if len(candidate) >= len(key) + MIN_HEAD:
                found.add(candidate[::-1])
            position += 1
    return found


def near_words(segments: list[SegmentWords], word: str, max_distance: int) -> set[str]:
    """Return indexed words within ``max_distance`` edits of ``word`` (same first letter)."""
    found: set[str] = set()
    for words in segments:
        choices = words.by_letter.get(word[:1], [])
        for choice, _score, _index in process.extract(
            word, choices, scorer=distance.Levenshtein.distance, score_cutoff=max_distance, limit=10
        ):
            found.add(choice)
    return found
