"""The in-memory stem lexicon: compounds by their last part, spelling neighbours."""

from __future__ import annotations

from search.lexicon import SegmentWords, compounds, near_words


def segment(*words: str) -> SegmentWords:
    by_letter: dict[str, list[str]] = {}
    for word in words:
        by_letter.setdefault(word[0], []).append(word)
    return SegmentWords(sorted(w[::-1] for w in words), by_letter)


def test_compounds_end_in_the_stem_after_a_real_head():
    words = [segment("huurovereenkomst", "overeenkomst", "arbeidsovereenkomst"), segment("tandartsnota", "enota")]
    assert compounds(words, "overeenkomst") == {"huurovereenkomst", "arbeidsovereenkomst"}
    assert compounds(words, "nota") == {"tandartsnota"}  # "e|nota" has no head
    assert compounds(words, "no") == set()


def test_near_words_within_the_distance_and_same_first_letter():
    words = [segment("vlinderdossier", "vlinder", "dossier"), segment("vlinderdossiers")]
    assert near_words(words, "vlinderdosier", 2) == {"vlinderdossier", "vlinderdossiers"}
    assert near_words(words, "flinderdossier", 2) == set()
