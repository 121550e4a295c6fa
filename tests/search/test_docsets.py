"""Matching sets read straight from the posting blocks agree with Whoosh's own matchers."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from search.docsets import matching, scoring_query
from tests.search.conftest import make_document


def whoosh_ids(query, searcher) -> set[int]:
    return set(query.docs(searcher))


def test_sets_match_whoosh_across_segments_blocks_and_deletions(open_index):
    index = open_index()
    # > 128 postings per term, so posting lists span several blocks; three commits, three segments.
    for start in (0, 300, 600):
        index.upsert([make_document(n, "gemeen " + ("zeldzaam " if n % 7 == 0 else "") + f"w{n % 3}")
                      for n in range(start + 1, start + 301)])
    index.delete(range(5, 900, 11))
    view = index._fresh_view()
    searcher, size = view.searcher, view.table.size
    queries = [
        wq.Term("content_nl", "gemen"), wq.Term("content_nl", "zeldzam"),
        wq.Or([wq.Term("content_nl", "w0"), wq.Term("content_nl", "w1")]),
        wq.And([wq.Term("content_nl", "zeldzam"), wq.Term("content_nl", "w2")]),
        wq.AndNot(wq.Term("content_nl", "gemen"), wq.Term("content_nl", "w0")),
        wq.Prefix("content_nl", "w"), wq.Phrase("content_nl", ["zeldzam", "w1"]),
    ]
    for query in queries:
        found = set(np.flatnonzero(matching(query, searcher, size) & view.table.live).tolist())
        assert found == whoosh_ids(query, searcher), query
    assert not matching(wq.Term("content_nl", "afwezig"), searcher, size).any()


def test_scoring_query_keeps_only_positive_leaves():
    a, b, c = wq.Term("f", "a"), wq.Term("f", "b"), wq.Term("f", "c")
    flat = scoring_query(wq.And([a, wq.Or([b, wq.Not(c)])]))
    assert isinstance(flat, wq.Or) and flat.subqueries == [a, b]
    assert scoring_query(wq.AndNot(a, b)) == a
