"""Matching sets read straight from the posting blocks agree with Whoosh's own matchers."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from search.docsets import ExactPhrase, PostingReader, matching
from search.ranking import scored_leaves
from tests.search.conftest import make_document


def test_sets_match_whoosh_across_segments_blocks_and_deletions(open_index):
    index = open_index()
    # > 128 postings per term, so posting lists span several blocks; three commits, three segments.
    for start in (0, 300, 600):
        index.upsert(
            [
                make_document(n, "gemeen " + ("zeldzaam " if n % 7 == 0 else "") + f"w{n % 3}")
                for n in range(start + 1, start + 301)
            ]
        )
    index.delete(range(5, 900, 11))
    view = index._borrow()
    searcher, size, live = view.searcher, view.table.size, view.table.live
    queries = [
        wq.Term("content_nl", "gemen"),
        wq.Term("content_nl", "zeldzam"),
        wq.Or([wq.Term("content_nl", "w0"), wq.Term("content_nl", "w1")]),
        wq.And([wq.Term("content_nl", "zeldzam"), wq.Term("content_nl", "w2")]),
        wq.AndNot(wq.Term("content_nl", "gemen"), wq.Term("content_nl", "w0")),
        wq.Prefix("content_nl", "w"),
    ]
    for query in queries:
        found = set(np.flatnonzero(matching(query, PostingReader(searcher, size)) & live).tolist())
        assert found == set(query.docs(searcher)), query
    assert not matching(wq.Term("content_nl", "afwezig"), PostingReader(searcher, size)).any()


def test_an_exact_phrase_needs_its_words_in_order(index):
    index.upsert(
        [
            make_document(1, "met vriendelijke groet, Jansen"),
            make_document(2, "groet vriendelijke"),
            make_document(3, "Met  vriendelijke\ngroet"),
            make_document(4, "iets", title="Vriendelijke groet"),
        ]
    )
    view = index._borrow()
    words = [
        wq.Or([wq.Term("content_nl", "vriendelijk"), wq.Term("title", "vriendelijk")]),
        wq.Or([wq.Term("content_nl", "groet"), wq.Term("title", "groet")]),
    ]
    mask = matching(ExactPhrase(words, ("vriendelijke", "groet")), PostingReader(view.searcher, view.table.size))
    found = {int(view.table.docid[d]) for d in np.flatnonzero(mask)}
    assert found == {1, 3, 4}


def test_scored_leaves_are_the_positive_terms():
    a, b, c = wq.Term("f", "a"), wq.Term("f", "b"), wq.Term("f", "c")
    assert scored_leaves(wq.And([a, wq.Or([b, wq.Not(c)])])) == [a, b]
    assert scored_leaves(wq.AndNot(a, b)) == [a]
