"""Snippets: escaped text, matches in <mark>, the best window."""

from __future__ import annotations

from search.analysis import stems
from search.compile import Marks
from search.highlight import find_matches, highlight


def marks(*words: str, prefixes: tuple[str, ...] = ()) -> Marks:
    return Marks(frozenset(s for w in words for s in stems(w)), prefixes)


def test_markup_in_the_text_stays_escaped():
    text = 'Factuur <script>alert("x")</script> & <b>vet</b> rekening'
    snippet = highlight(text, marks("rekening"), 240)
    assert "<script>" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in snippet
    assert snippet.endswith("<mark>rekening</mark>")


def test_a_matched_word_containing_markup_characters_is_escaped_inside_mark():
    snippet = highlight("zie <rekening>", marks("rekening"), 100)
    assert snippet == "zie &lt;<mark>rekening</mark>&gt;"


def test_plural_accent_compound_and_prefix_matches_are_marked():
    text = "De rekeningen van Café Zon, de huurovereenkomst en de tandartsnota; factuurnummer 12."
    snippet = highlight(text, marks("rekening", "cafe", "overeenkomst", "nota", prefixes=("factuu",)), 240)
    for word in ("rekeningen", "Café", "huurovereenkomst", "tandartsnota", "factuurnummer"):
        assert f"<mark>{word}</mark>" in snippet
    assert "<mark>Zon</mark>" not in snippet


def test_words_merely_starting_like_a_stem_are_not_marked():
    assert find_matches("rekenmachine", marks("rekening")) == []


def test_the_window_goes_where_the_matches_are():
    text = ("inleiding " * 100) + "hier staat de huurovereenkomst met de huur " + ("slot " * 100)
    snippet = highlight(text, marks("huur", "overeenkomst"), 120)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>huurovereenkomst</mark>" in snippet and "<mark>huur</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 140


def test_without_matches_the_start_of_the_text_is_shown():
    snippet = highlight("Eerste regel\n\nTweede   regel " + "x " * 300, Marks(), 40)
    assert snippet.startswith("Eerste regel Tweede regel") and snippet.endswith("…")
    assert "<mark>" not in snippet


def test_empty_text_gives_an_empty_snippet():
    assert highlight("", marks("huur"), 100) == ""
