"""A view of the index at one commit: its searcher, its arrays and its words."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein
from whoosh.searching import Searcher

from search._whoosh import field_lengths
from search.analysis import _stem_en, _stem_nl
from search.columns import DocTable, Vocabulary
from search.compile import BILINGUAL_FIELDS
from search.lexicon import (
    COMPOUND_FIELD,
    SegmentWords,
    compounds,
    frequencies,
    near_words,
    read_segment_words,
)
from search.phrases import SegmentTokens, read_segment_tokens


@dataclass
class View:
    """One searcher and the arrays of its documents, used by one search at a time.

    The caches are shared by every view of the index (and other threads may prune
    them), so they are read with ``get``, never by checking first.
    """

    searcher: Searcher
    table: DocTable
    vocabulary: Vocabulary
    generation: int  # the index commit this view shows
    word_cache: dict = field(default_factory=dict)  # segment id -> SegmentWords, shared by views
    length_cache: dict = field(default_factory=dict)  # (segment id, field) -> lengths, shared
    _lengths: dict = field(default_factory=dict)  # field -> lengths of all documents of this view
    folder: Path | None = None  # the index generation folder it reads
    token_cache: dict = field(default_factory=dict)  # segment id -> SegmentTokens, shared by views

    def lengths(self, fieldname: str):
        """Return the length of ``fieldname`` in every document (None when it is not scored)."""
        if fieldname not in self._lengths:
            parts = []
            for sub, _offset in self.searcher.reader().leaf_readers():
                if sub.segment() is None:
                    continue
                key = (sub.segment().segment_id(), fieldname)
                lengths = self.length_cache.get(key)
                if lengths is None:
                    found = field_lengths(sub, fieldname)
                    lengths = found if found is not None else np.zeros(sub.doc_count_all(), np.float32)
                    self.length_cache[key] = lengths
                parts.append(lengths)
            self._lengths[fieldname] = np.concatenate(parts) if parts else None
        return self._lengths[fieldname]

    def words(self) -> list[SegmentWords]:
        """Return the words of every segment, reading the segments not seen before."""
        result = []
        for sub, _offset in self.searcher.reader().leaf_readers():
            if sub.segment() is None:
                continue
            key = sub.segment().segment_id()
            words = self.word_cache.get(key)
            if words is None:
                words = self.word_cache[key] = read_segment_words(sub)
            result.append(words)
        return result

    def tokens(self) -> list[tuple[int, SegmentTokens]]:
        """Return each segment's first document number and word hashes (for exact phrases)."""
        result = []
        for sub, offset in self.searcher.reader().leaf_readers():
            if sub.segment() is None:
                continue
            key = sub.segment().segment_id()
            tokens = self.token_cache.get(key)
            if tokens is None:
                tokens = self.token_cache[key] = read_segment_tokens(sub)
            result.append((offset, tokens))
        return result


class ViewLexicon:
    """The compiler's window on the indexed words (compounds, typo tolerance)."""

    # Most compounds one typed word expands to (a short part can end thousands of words).
    MAX_COMPOUNDS = 12

    def __init__(self, view: View) -> None:
        self._view = view
        self._reader = view.searcher.reader()

    def known(self, word: str, terms: tuple[str, ...]) -> bool:
        """Return True when ``word`` (or one of its stems) is in the index."""
        reader = self._reader
        if reader.doc_frequency("content_nl", _stem_nl(word)) or reader.doc_frequency("content_en", _stem_en(word)):
            return True
        return any(reader.doc_frequency(f, t) for f in BILINGUAL_FIELDS for t in terms)

    def compounds(self, stem: str) -> list[str]:
        """Return the most frequent indexed Dutch stems that end in ``stem``."""
        segments = self._view.words()
        found = compounds(segments, stem)
        if len(found) > self.MAX_COMPOUNDS:
            counts = frequencies(segments, COMPOUND_FIELD, sorted(found)) or {}
            return sorted(sorted(found, key=lambda s: (-counts.get(s, 0), s))[: self.MAX_COMPOUNDS])
        return sorted(found)

    def corrections(self, word: str) -> list[str]:
        """Return indexed words within one or two typing mistakes of ``word``, best first."""
        limit = 1 if len(word) <= 5 else 2
        candidates = near_words(self._view.words(), word, limit)
        reader = self._reader

        def frequency(candidate: str) -> int:
            return max(reader.doc_frequency(f, candidate) for f in ("content_nl", "content_en", "client_name"))

        ranked = sorted(candidates, key=lambda c: (Levenshtein.distance(word, c), -frequency(c), c))
        return ranked[:3]
