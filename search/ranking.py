"""Relevance ranking of a known set of matches: BM25 over arrays.

The matching documents are already known (``docsets.py``), so ranking need not walk
Whoosh's matchers, which cost tens of microseconds per document and made a common
word take seconds. Each positive term adds its BM25 score (Whoosh's formula and
idf, the field's boost) to the documents that contain it, from the postings already
read; the best page is picked with a partial sort.
"""

from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as wq

from search.docsets import ExactPhrase, PostingReader
from search.phrases import token_lengths

K1, B = 1.2, 0.75


def scored_leaves(query: wq.Query | None) -> list[wq.Query]:
    """Return the positive Term and Prefix leaves of ``query`` (not those under a NOT)."""
    leaves: list[wq.Query] = []
    _collect(query, leaves)
    return leaves


def _collect(query, leaves: list) -> None:
    if isinstance(query, ExactPhrase):  # scored as a whole, by how often it occurs
        leaves.append(query)
    elif isinstance(query, (wq.And, wq.Or)):
        for sub in query.subqueries:
            _collect(sub, leaves)
    elif isinstance(query, wq.AndNot):
        _collect(query.a, leaves)
    elif isinstance(query, (wq.Term, wq.Prefix)):
        leaves.append(query)


def rank(
    postings: PostingReader, leaves: list[wq.Query], lengths, docnums: np.ndarray, tiebreak: np.ndarray, limit: int
) -> list[tuple[int, float]]:
    """Return the best ``limit`` (docnum, score) of ``docnums``; ties go to the larger ``tiebreak``."""
    if limit <= 0 or len(docnums) == 0:
        return []
    scores = np.zeros(postings.size, dtype=np.float32)
    searcher = postings.searcher
    for leaf in leaves:
        if isinstance(leaf, ExactPhrase):
            _add_phrase_bm25(scores, postings, leaf)
            continue
        terms = [leaf.text] if isinstance(leaf, wq.Term) else postings.prefix_terms(leaf.fieldname, leaf.text)
        for text in terms:
            _add_bm25(scores, searcher, postings, lengths, leaf.fieldname, text, leaf.boost)
    chosen = scores[docnums]
    keys = np.lexsort((tiebreak[docnums], chosen))[::-1]  # by score, then tiebreak, descending
    top = keys[:limit]
    return [(int(docnums[i]), float(chosen[i])) for i in top]


def _add_bm25(scores, searcher, postings: PostingReader, lengths, fieldname: str, text: str, boost: float) -> None:
    found = postings.term(fieldname, text)
    if len(found.ids) == 0:
        return
    field_boost = searcher.schema[fieldname].format.field_boost if fieldname in searcher.schema else 1.0
    # The postings read hold every document with the term (deleted ones too), which is
    # exactly Whoosh's document frequency, without looking it up in each segment again.
    idf = log(searcher.doc_count_all() / (len(found.ids) + 1)) + 1
    tf = found.weights
    field_lengths = lengths(fieldname)
    if field_lengths is None:
        scores[found.ids] += idf * boost * field_boost * tf
        return
    average = searcher.avg_field_length(fieldname) or 1.0
    fl = field_lengths[found.ids]
    scores[found.ids] += idf * boost * field_boost * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / average))


def _add_phrase_bm25(scores, postings: PostingReader, phrase: ExactPhrase) -> None:
    """Add BM25 of the phrase as if it were one term, weighing as much as its words together."""
    docnums, occurrences = postings.phrases.get(phrase.surface, (np.zeros(0, np.int64), None))
    if len(docnums) == 0:
        return
    lengths = token_lengths(postings.segment_tokens())
    idf = log(postings.searcher.doc_count_all() / (len(docnums) + 1)) + 1
    tf = occurrences.astype(np.float32)
    fl = lengths[docnums]
    average = float(lengths.mean()) or 1.0
    boost = len(phrase.subqueries)  # its words: a phrase of three weighs as three words
    scores[docnums] += boost * idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / average))
