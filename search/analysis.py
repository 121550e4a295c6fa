"""Text analysis shared by indexing and querying: Dutch and English, accents folded.

Every word is lower-cased and stripped of accents (``café`` -> ``cafe``). A document's
body is stemmed in its own language (Dutch unless its stop words say English) into
``content_nl`` or ``content_en``; a query word is looked up under both its Dutch and
its English stem, so ``rekeningen`` finds ``rekening`` and ``invoices`` finds
``invoice``. Stemming each body once, not twice, keeps indexing fast.

Dutch compounds put their head last, so ``overeenkomst`` finds ``huurovereenkomst``
by looking up the indexed stems that *end* in the typed word (see ``lexicon.py``);
nothing extra is indexed for it, which keeps indexing fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

# Letters and digits, with inner dots kept (3.141, f.a.q); underscores split words,
# so the file name scan_0012.pdf is the words scan, 0012, pdf.
_WORD_PATTERN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*", re.UNICODE)
STOP_WORDS = frozenset(stoplists["nl"]) | frozenset(stoplists["en"])
# A compound's last part must be at least this long to be looked for on its own ("nota").
MIN_PART = 4
# Only words at least this long are taken for compounds (huur+nota).
MIN_COMPOUND_WORD = 6

_stem_nl = lru_cache(maxsize=200_000)(stemmer_for_language("nl"))
_stem_en = lru_cache(maxsize=200_000)(stemmer_for_language("en"))


_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Return ``text`` lower-cased with accents removed (``Café`` -> ``cafe``)."""
    if text.isascii():  # most text: no accents to remove
        return text.lower()
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))


def stems(word: str) -> tuple[str, ...]:
    """Return the distinct index terms of one folded word: Dutch stem first."""
    dutch, english = _stem_nl(word), _stem_en(word)
    return (dutch,) if dutch == english else (dutch, english)


class FastTextTokenizer(Tokenizer):
    """Fold, split, drop stop words and stem in one pass (``stem`` = "nl", "en" or "both").

    The same result as the filter chain ``_base() | StemFilter``, at about half the cost
    per word: a body of text is folded once as a whole rather than word by word, and
    no generator is stacked per step. Indexing speed is bounded by this loop.
    """

    def __init__(self, stem: str) -> None:
        self.stem = stem  # a name, not the function: Whoosh pickles the schema

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.stem == self.stem

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        dutch = self.stem in ("nl", "both")
        english = self.stem in ("en", "both")
        position = start_pos
        for match in _WORD_PATTERN.finditer(fold(value) if chars is False else value.lower()):
            word = match.group()
            if chars:
                word = fold(word)
            if removestops and word in STOP_WORDS:
                continue
            if positions:
                token.pos = position
            position += 1
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            first = _stem_nl(word) if dutch else _stem_en(word)
            token.text = first
            yield token
            if dutch and english:
                second = _stem_en(word)
                if second != first:
                    token.text = second
                    yield token


def term_counts(text: str | list[str], stem: str) -> dict[str, int]:
    """Return how often each index term occurs: what FastTextTokenizer(stem) yields, counted.

    ``text`` is a text, or its words as ``words`` returns them (split once for all
    uses). Indexing needs only these counts (the body fields keep no positions), and
    counting the words first stems each distinct word once rather than every occurrence.
    """
    dutch = stem in ("nl", "both")
    both = dutch and stem == "both"
    first_stem = _stem_nl if dutch else _stem_en
    result: dict[str, int] = {}
    for word, count in Counter(words(text) if isinstance(text, str) else text).items():
        if word in STOP_WORDS:
            continue
        first = first_stem(word)
        result[first] = result.get(first, 0) + count
        if both:
            second = _stem_en(word)
            if second != first:
                result[second] = result.get(second, 0) + count
    return result


def text_analyzer():
    """Analyzer of short fields (title, names): words, folded, stop words out, both stems."""
    return FastTextTokenizer("both")


def language_analyzer(language: str):
    """Analyzer of a document's body in its own language ("nl" or "en")."""
    return FastTextTokenizer(language)


def words(text: str) -> list[str]:
    """Return the folded words of ``text`` the way the index splits them (stop words kept)."""
    return _WORD_PATTERN.findall(fold(text))


_NL_MARKERS = frozenset(stoplists["nl"]) - frozenset(stoplists["en"])
_EN_MARKERS = frozenset(stoplists["en"]) - frozenset(stoplists["nl"])


def detect_language(text: str, sample_chars: int = 1500) -> str:
    """Return "en" when ``text`` reads as English (more English stop words), else "nl"."""
    sample = text[:sample_chars].lower().split()
    english = sum(1 for w in sample if w in _EN_MARKERS)
    dutch = sum(1 for w in sample if w in _NL_MARKERS)
    return "en" if english > dutch else "nl"
