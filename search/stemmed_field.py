"""A text field that indexes by counting words instead of streaming tokens.

Whoosh indexes a text field by running its analyzer token by token and counting the
tokens in a dict; for a body of a few hundred words that loop was the largest cost
of building the index. A field without word positions only needs the counts, which
``analysis.term_counts`` gives directly — the same terms, frequencies and weights.
"""

from __future__ import annotations

from functools import lru_cache

from whoosh import fields, formats

from search._whoosh import frequency_bytes
from search.analysis import FastTextTokenizer, term_counts


@lru_cache(maxsize=4096)
def _packed(count: int) -> bytes:
    return frequency_bytes(count)  # one shared bytes object per count: less memory per posting


@lru_cache(maxsize=65536)
def _encoded(term: str) -> bytes:
    return term.encode("utf-8")


class StemmedText(fields.TEXT):
    """TEXT analysed by a FastTextTokenizer; indexed from word counts when it has no positions.

    The value may also be the text's words as ``analysis.words`` returns them, when the
    caller has split the text already (for the phrase column).
    """

    def index(self, value, **kwargs):
        """Return (term bytes, frequency, weight, encoded frequency) per distinct term."""
        if not (isinstance(self.analyzer, FastTextTokenizer) and type(self.format) is formats.Frequency):
            yield from super().index(value if isinstance(value, str) else " ".join(value), **kwargs)
            return
        boost = self.format.field_boost
        for term, count in term_counts(value, self.analyzer.stem).items():
            yield _encoded(term), count, count * boost, _packed(count)
