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
from dataclasses import dataclass, field

from rapidfuzz import distance, process

from search.analysis import MIN_PART

# A compound's head must be at least this long: "e|nota" is not a compound of nota.
MIN_HEAD = 3
# Fields whose terms are read: the Dutch body (compounds, spelling) and client names (spelling).
COMPOUND_FIELD = "content_nl"
SPELLING_FIELDS = ("content_nl", "content_en", "client_name")
# Fields whose terms are kept sorted with their document frequencies: a prefix (ver*)
# can expand to thousands of body words, and picking the most frequent needs each
# one's frequency, which is slow to look up term by term.
PREFIX_FIELDS = ("content_nl", "content_en")


@dataclass(frozen=True)
class SegmentWords:
    """The stems of one segment: backwards and sorted, by first letter, and per field sorted with frequencies."""

    backwards: list[str]
    by_letter: dict[str, list[str]]
    sorted_terms: dict[str, tuple[list[str], list[int]]] = field(default_factory=dict)  # field -> (terms, doc freqs)


def read_segment_words(reader) -> SegmentWords:
    """Return the words of one segment reader (slow: once per segment)."""
    sorted_terms: dict[str, tuple[list[str], list[int]]] = {}
    for name in PREFIX_FIELDS:
        if _has(reader, name):
            pairs = [(_text(term), info.doc_frequency()) for term, info in reader.iter_field(name)]
            sorted_terms[name] = ([t for t, _ in pairs], [n for _, n in pairs])
    by_letter: dict[str, list[str]] = {}
    seen: set[str] = set()
    for name in SPELLING_FIELDS:
        terms = (
            sorted_terms[name][0]
            if name in sorted_terms
            else ([_text(t) for t in reader.lexicon(name)] if _has(reader, name) else [])
        )
        for word in terms:
            if word not in seen and word.isalpha():
                seen.add(word)
                by_letter.setdefault(word[0], []).append(word)
    compound_terms = sorted_terms.get(COMPOUND_FIELD, ([], []))[0]
    return SegmentWords(sorted(t[::-1] for t in compound_terms if t.isalpha()), by_letter, sorted_terms)


def frequencies(segments: list[SegmentWords], name: str, terms: list[str]) -> dict[str, int] | None:
    """Return the document frequency of each of ``terms`` in field ``name`` (None: not kept, see PREFIX_FIELDS)."""
    if name not in PREFIX_FIELDS:
        return None
    found = dict.fromkeys(terms, 0)
    for words in segments:
        kept, counts = words.sorted_terms.get(name, ([], []))
        for term in terms:
            position = bisect_left(kept, term)
            if position < len(kept) and kept[position] == term:
                found[term] += counts[position]
    return found


def prefix_frequencies(segments: list[SegmentWords], name: str, prefix: str) -> dict[str, int] | None:
    """Return the terms of field ``name`` starting with ``prefix`` and their document frequencies.

    None when the field's terms are not kept (see PREFIX_FIELDS).
    """
    if name not in PREFIX_FIELDS:
        return None
    found: dict[str, int] = {}
    for words in segments:
        terms, frequencies = words.sorted_terms.get(name, ([], []))
        position = bisect_left(terms, prefix)
        while position < len(terms) and terms[position].startswith(prefix):
            term = terms[position]
            found[term] = found.get(term, 0) + frequencies[position]
            position += 1
    return found


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
