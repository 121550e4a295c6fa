"""Which documents match a query, as a boolean array — without Whoosh's matchers.

Totals, facets and date order need *every* matching document. Whoosh would walk its
matcher tree posting by posting in Python; here each term's posting list is read a
block at a time straight into numpy (ids and term frequencies, which ranking reuses),
and AND / OR / NOT become array operations. An exact phrase is found in the
documents' word sequences (``phrases.py``). Deleted documents are not removed here:
the caller ANDs the result with the live-documents array.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from search._whoosh import posting_arrays
from search.lexicon import SegmentWords, prefix_frequencies
from search.phrases import SegmentTokens, phrase_matches, read_segment_tokens

# Most terms a prefix (huur*) expands to per field; beyond it the rarest are left out.
MAX_PREFIX_TERMS = 32
# The same for identifier fields (ref:F2024*, file:scan*): each of their terms is in one
# or a few documents, and someone typing such a prefix wants them listed, not the 32
# most common. Reading a term costs ~0.3 ms, so a thousand stay well under a second.
MAX_IDENTIFIER_PREFIX_TERMS = 1000
# Most postings (documents, summed over its terms) a prefix may read per field: a
# short prefix (ver*) can match thousands of words in nearly every document, and
# reading all of them took seconds. The most frequent words are taken first.
MAX_PREFIX_POSTINGS = 50_000
# Most terms looked at when expanding a prefix in a field without kept frequencies.
MAX_PREFIX_SCAN = 5000


class ExactPhrase(wq.And):
    """The AND of a phrase's words, plus the words as typed, to confirm the order."""

    def __init__(self, subqueries, surface: tuple[str, ...]) -> None:
        super().__init__(subqueries)
        self.surface = surface


@dataclass
class Postings:
    """The postings of one term over the whole index: global doc numbers and frequencies."""

    ids: np.ndarray
    weights: np.ndarray


@dataclass
class PostingReader:
    """Reads and remembers term postings for one search."""

    searcher: Searcher
    size: int
    words: list[SegmentWords] = field(default_factory=list)  # the view's words, for prefixes
    tokens: list[tuple[int, SegmentTokens]] | None = None  # (offset, word hashes) per segment, for phrases
    broad: set = field(default_factory=set)  # prefixes that were cut short (too many words)
    phrases: dict = field(default_factory=dict)  # surface words -> (docnums, occurrences), for ranking
    _seen: dict = field(default_factory=dict)
    _prefixes: dict = field(default_factory=dict)

    def term(self, fieldname: str, text: str) -> Postings:
        key = (fieldname, text)
        if key not in self._seen:
            self._seen[key] = self._read(fieldname, text)
        return self._seen[key]

    def prefix_terms(self, fieldname: str, prefix: str) -> list[str]:
        """Return the terms ``prefix`` expands to in ``fieldname`` (the most frequent, see the limits)."""
        key = (fieldname, prefix)
        if key not in self._prefixes:
            frequencies = prefix_frequencies(self.words, fieldname, prefix) if self.words else None
            limit = MAX_PREFIX_TERMS
            if frequencies is None:  # not a field of words: identifiers, names, tags
                frequencies = self._scan_prefix(fieldname, prefix)
                limit = MAX_IDENTIFIER_PREFIX_TERMS
            self._prefixes[key] = self._most_frequent(frequencies, prefix, limit)
        return self._prefixes[key]

    def _scan_prefix(self, fieldname: str, prefix: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for sub, _offset in self.searcher.reader().leaf_readers():
            if fieldname not in sub.indexed_field_names():
                continue
            for count, (term, info) in enumerate(sub.iter_prefix(fieldname, prefix)):
                if count >= MAX_PREFIX_SCAN:
                    self.broad.add(prefix)
                    break
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                found[text] = found.get(text, 0) + info.doc_frequency()
        return found

    def _most_frequent(self, frequencies: dict[str, int], prefix: str, limit: int) -> list[str]:
        chosen: list[str] = []
        postings = 0
        for term in sorted(frequencies, key=lambda t: (-frequencies[t], t)):
            if len(chosen) >= limit or (chosen and postings + frequencies[term] > MAX_PREFIX_POSTINGS):
                self.broad.add(prefix)
                break
            chosen.append(term)
            postings += frequencies[term]
        return sorted(chosen)

    def segment_tokens(self) -> list[tuple[int, SegmentTokens]]:
        """Return each segment's document offset and word hashes (read here when not given)."""
        if self.tokens is None:
            self.tokens = [
                (offset, read_segment_tokens(sub))
                for sub, offset in self.searcher.reader().leaf_readers()
                if sub.segment() is not None
            ]
        return self.tokens

    def _read(self, fieldname: str, text: str) -> Postings:
        ids, weights = [], []
        for sub, offset in self.searcher.reader().leaf_readers():
            if (fieldname, text) in sub:
                segment_ids, segment_weights = posting_arrays(sub.postings(fieldname, text))
                ids.append(segment_ids + offset)
                weights.append(segment_weights)
        if not ids:
            return Postings(np.zeros(0, np.int64), np.zeros(0, np.float32))
        return Postings(np.concatenate(ids), np.concatenate(weights))


def matching(query: wq.Query, postings: PostingReader, within: np.ndarray | None = None) -> np.ndarray:
    """Return a boolean array over all document numbers: True where ``query`` matches.

    Outside ``within`` (documents the caller will discard anyway) the answer may be
    wrong: exact phrases are only confirmed inside it, which is their costly part.
    """
    size = postings.size
    if isinstance(query, ExactPhrase):
        return _phrase(query, postings, within)
    if isinstance(query, wq.Term):
        mask = np.zeros(size, dtype=bool)
        mask[postings.term(query.fieldname, query.text).ids] = True
        return mask
    if isinstance(query, wq.Prefix):
        mask = np.zeros(size, dtype=bool)
        for text in postings.prefix_terms(query.fieldname, query.text):
            mask[postings.term(query.fieldname, text).ids] = True
        return mask
    if isinstance(query, wq.And):
        return _all(query.subqueries, postings, within)
    if isinstance(query, wq.Or):
        result = np.zeros(size, dtype=bool)
        for sub in query.subqueries:
            result |= matching(sub, postings, within)
        return result
    if isinstance(query, wq.AndNot):
        positive = matching(query.a, postings, within)
        return positive & ~matching(query.b, postings, positive if within is None else positive & within)
    if isinstance(query, wq.Not):
        return ~matching(query.query, postings, within)
    if isinstance(query, wq.Every):
        return np.ones(size, dtype=bool)
    return np.zeros(size, dtype=bool)  # NullQuery


def _all(queries, postings: PostingReader, within: np.ndarray | None) -> np.ndarray:
    """AND: the cheap parts first, then the phrases, confirmed only where still possible."""
    result = np.ones(postings.size, dtype=bool) if within is None else within.copy()
    for query in sorted(queries, key=lambda q: isinstance(q, ExactPhrase)):
        result &= matching(query, postings, result)
    return result


def _phrase(query: ExactPhrase, postings: PostingReader, within: np.ndarray | None) -> np.ndarray:
    """Documents whose words hold the phrase in order (which implies each of its words).

    The word sequences alone decide, without reading the words' posting lists: for a
    stock phrase those lists hold half the archive.
    """
    candidates = np.ones(postings.size, dtype=bool) if within is None else within
    docnums, occurrences = phrase_matches(postings.segment_tokens(), query.surface, candidates)
    postings.phrases[query.surface] = (docnums, occurrences)
    mask = np.zeros(postings.size, dtype=bool)
    mask[docnums] = True
    return mask
