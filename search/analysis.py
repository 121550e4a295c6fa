"""Text analysis shared by indexing and querying: Dutch and English, accents folded.

Every word is lower-cased, stripped of accents (``café`` -> ``cafe``) and indexed
under its Dutch *and* English Snowball stem at the same position, so ``rekeningen``
finds ``rekening`` and ``invoices`` finds ``invoice`` whatever the document's language.
Long Dutch compounds are split by indexing the tails of their stems in a separate
field (``huurovereenkomst`` -> ``overeenkomst``, ``tandartsnota`` -> ``nota``): Dutch
puts the head of a compound last, so the tail is what a person searches for.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Iterator

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

STOP_WORDS = frozenset(stoplists["nl"]) | frozenset(stoplists["en"])
# A compound's tail must be at least this long to be indexed on its own ("nota").
MIN_PART = 4
# ... and follow a head of at least this many letters ("tand|artsnota" is skipped).
MIN_HEAD = 3
# Words shorter than this are not split at all.
MIN_COMPOUND = 8

_stem_nl = lru_cache(maxsize=200_000)(stemmer_for_language("nl"))
_stem_en = lru_cache(maxsize=200_000)(stemmer_for_language("en"))


def fold(text: str) -> str:
    """Return ``text`` lower-cased with accents removed (``Café`` -> ``cafe``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stems(word: str) -> tuple[str, ...]:
    """Return the distinct index terms of one folded word: Dutch stem first."""
    dutch, english = _stem_nl(word), _stem_en(word)
    return (dutch,) if dutch == english else (dutch, english)


def compound_parts(stem: str) -> Iterator[str]:
    """Yield the tails of a long stem that may stand as words on their own."""
    if len(stem) < MIN_COMPOUND:
        return
    for start in range(MIN_HEAD, len(stem) - MIN_PART + 1):
        yield stem[start:]


class FoldFilter(Filter):
    """Strips accents, after lower-casing."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if not text.isascii():
                token.text = fold(text)
            yield token


class BilingualStemFilter(Filter):
    """Emits the Dutch stem, then the English one at the same position when it differs."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            word = token.text
            dutch = _stem_nl(word)
            token.text = dutch
            yield token
            english = _stem_en(word)
            if english != dutch:
                token.text = english
                yield token


class CompoundPartFilter(Filter):
    """Replaces each long word by the tails of its Dutch stem (nothing for short words)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            for part in compound_parts(_stem_nl(token.text)):
                token.text = part
                yield token


def _base():
    return RegexTokenizer() | LowercaseFilter() | FoldFilter() | StopFilter(STOP_WORDS, minsize=1)


def text_analyzer():
    """Analyzer of title and content: words, folded, stop words out, both stems."""
    return _base() | BilingualStemFilter()


def compound_analyzer():
    """Analyzer of the compound-parts field."""
    return _base() | CompoundPartFilter()


def word_analyzer():
    """Analyzer of the spelling field: whole folded words, unstemmed, 3+ letters."""
    return RegexTokenizer() | LowercaseFilter() | FoldFilter() | StopFilter(STOP_WORDS, minsize=3)


def words(text: str) -> list[str]:
    """Return the folded words of ``text`` the way the index splits them (stop words kept)."""
    return [token.text for token in (RegexTokenizer() | LowercaseFilter() | FoldFilter())(text)]
