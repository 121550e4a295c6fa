"""Which documents match a query, as a boolean array — without scoring anything.

Totals, facets and date order need *every* matching document. Whoosh would walk its
matcher tree posting by posting in Python; here each term's posting list is read a
block at a time straight into numpy, and AND / OR / NOT become array operations.
Only phrases (which need positions) are left to Whoosh. Deleted documents are not
removed here: the caller ANDs the result with the live-documents array.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher


def matching(query: wq.Query, searcher, size: int) -> np.ndarray:
    """Return a boolean array over all document numbers: True where ``query`` matches."""
    if isinstance(query, wq.Term):
        return _term(searcher, query.fieldname, query.text, size)
    if isinstance(query, wq.Prefix):
        return _prefix(searcher, query.fieldname, query.text, size)
    if isinstance(query, wq.And):
        return _all([matching(q, searcher, size) for q in query.subqueries], size)
    if isinstance(query, wq.Or):
        return _any([matching(q, searcher, size) for q in query.subqueries], size)
    if isinstance(query, wq.AndNot):
        return matching(query.a, searcher, size) & ~matching(query.b, searcher, size)
    if isinstance(query, wq.Not):
        return ~matching(query.query, searcher, size)
    if isinstance(query, wq.Every):
        return np.ones(size, dtype=bool)
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return np.zeros(size, dtype=bool)
    mask = np.zeros(size, dtype=bool)  # phrases and anything else: Whoosh's own matcher
    ids = np.fromiter(query.docs(searcher), dtype=np.int64)
    mask[ids[ids < size]] = True
    return mask


def _all(masks: list[np.ndarray], size: int) -> np.ndarray:
    result = np.ones(size, dtype=bool)
    for mask in masks:
        result &= mask
    return result


def _any(masks: list[np.ndarray], size: int) -> np.ndarray:
    result = np.zeros(size, dtype=bool)
    for mask in masks:
        result |= mask
    return result


def _term(searcher, field: str, text, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    for sub, offset in searcher.reader().leaf_readers():
        if (field, text) in sub:
            _mark(mask, sub, field, text, offset)
    return mask


def _prefix(searcher, field: str, prefix: str, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    for sub, offset in searcher.reader().leaf_readers():
        if field in sub.indexed_field_names():
            for text in list(sub.expand_prefix(field, prefix)):
                _mark(mask, sub, field, text, offset)
    return mask


def _mark(mask: np.ndarray, sub, field: str, text, offset: int) -> None:
    ids = posting_ids(sub.postings(field, text))
    mask[ids + offset] = True


def posting_ids(matcher) -> np.ndarray:
    """Return every document number of one term's postings (deleted ones included)."""
    if isinstance(matcher, FilterMatcher):  # the wrapper that hides deleted documents
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):  # short lists are held in memory
        return np.fromiter(matcher.all_ids(), dtype=np.int64)
    # Reads Whoosh's posting blocks whole (private attributes of W3LeafMatcher,
    # whoosh-reloaded 2.7.5): ~50x faster than stepping through them id by id.
    blocks = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        # A block stores its ids as differences from the previous one.
        blocks.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
        matcher._next_block()
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)


def scoring_query(query: wq.Query) -> wq.Query:
    """Return the positive leaves of ``query`` as one flat OR, for ranking a known set."""
    leaves: list[wq.Query] = []
    _collect_leaves(query, leaves)
    return leaves[0] if len(leaves) == 1 else wq.Or(leaves)


def _collect_leaves(query: wq.Query, leaves: list[wq.Query]) -> None:
    if isinstance(query, (wq.And, wq.Or)):
        for sub in query.subqueries:
            _collect_leaves(sub, leaves)
    elif isinstance(query, wq.AndNot):
        _collect_leaves(query.a, leaves)
    elif not isinstance(query, (wq.Not, wq.Every)) and query is not wq.NullQuery:
        leaves.append(query)
