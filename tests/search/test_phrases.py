"""Exact phrases found in the documents' word sequences (word hashes)."""

from __future__ import annotations

import numpy as np

from search import SearchRequest
from search.phrases import SegmentTokens, phrase_mask, token_column, word_hash
from tests.search.conftest import make_document


def segment(*documents: tuple[list[str], list[str]]) -> SegmentTokens:
    values = [np.frombuffer(token_column(title, body), dtype="<u4") for title, body in documents]
    starts = np.concatenate([[0], np.cumsum([len(v) for v in values])])
    return SegmentTokens(np.concatenate(values), starts)


def test_phrase_mask_finds_words_in_order_within_one_document_only():
    first = segment((["brief"], "met vriendelijke groet jansen".split()), ([], "groet met vriendelijke".split()))
    second = segment((["met", "vriendelijke"], ["groet"]), ([], "zie met vriendelijke groet".split()))
    everything = np.ones(4, dtype=bool)
    found = phrase_mask([(0, first), (2, second)], 4, ("met", "vriendelijke", "groet"), everything)
    # not out of order (doc 1), not from title into body (doc 2)
    assert found.tolist() == [True, False, False, True]
    assert (
        phrase_mask(
            [(0, first), (2, second)], 4, ("met", "vriendelijke", "groet"), np.array([False, True, True, False])
        ).tolist()
        == [False] * 4
    )


def test_few_and_many_candidates_give_the_same_answer():
    rng = np.random.default_rng(7)
    vocabulary = ["de", "nota", "huur", "groet", "zie"]
    docs = [([], [vocabulary[i] for i in rng.integers(0, 5, 40)]) for _ in range(200)]
    tokens = segment(*docs)
    everything = np.ones(200, dtype=bool)
    all_found = phrase_mask([(0, tokens)], 200, ("nota", "huur"), everything)
    few = np.zeros(200, dtype=bool)
    few[[3, 50, 199]] = True
    assert (phrase_mask([(0, tokens)], 200, ("nota", "huur"), few) == (all_found & few)).all()
    expected = [any(b[i : i + 2] == ["nota", "huur"] for i in range(len(b))) for _, b in docs]
    assert all_found.tolist() == expected


def test_word_hashes_never_collide_with_the_separator():
    assert all(word_hash(w) != 0 for w in ["", "a", "groet", "café"])


def test_a_phrase_beyond_the_stored_text_is_found(open_index):
    index = open_index(stored_text_chars=50)
    filler = "woord " * 200
    index.upsert(
        [make_document(1, filler + "Met vriendelijke groet, Jansen"), make_document(2, filler + "groet vriendelijke")]
    )
    assert [h.id for h in index.search(SearchRequest('"met vriendelijke groet"')).hits] == [1]


def test_a_phrase_ignores_punctuation_and_accents_and_finds_titles(index):
    index.upsert([make_document(1, "Het café—terras, open"), make_document(2, "terras café", title="Open café terras")])
    assert index.search(SearchRequest('"cafe terras"')).total == 2  # 1 across a dash, 2 in its title
    assert [h.id for h in index.search(SearchRequest('"terras café"')).hits] == [2]
    assert [h.id for h in index.search(SearchRequest('"open cafe"')).hits] == [2]


def test_a_document_holding_the_phrase_more_often_ranks_first(index):
    index.upsert(
        [
            make_document(1, "met vriendelijke groet en verder niets " + "woord " * 5),
            make_document(2, "met vriendelijke groet; nogmaals met vriendelijke groet " + "woord " * 3),
        ]
    )
    results = index.search(SearchRequest('"met vriendelijke groet"'))
    assert [h.id for h in results.hits] == [2, 1] and results.hits[0].score > results.hits[1].score > 0
