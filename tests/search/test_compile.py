"""From the query model to a plan: Whoosh queries, array filters, marks, suggestions."""

from __future__ import annotations

from datetime import date

import pytest
from whoosh import query as wq

from search.compile import _calendar_query, compile_query
from search.errors import QuerySyntaxError
from search.query import DateRange, parse_query
from tests.search.conftest import VALUES


class FakeLexicon:
    """A handful of indexed words, as the compiler sees them."""

    def __init__(self, words=("vlinderdossier", "huurovereenkomst", "overeenkomst", "jansen")):
        self.words = set(words)

    def known(self, word, terms):
        return word in self.words

    def corrections(self, word):
        from rapidfuzz.distance import Levenshtein

        return sorted(w for w in self.words if Levenshtein.distance(w, word) <= 2)

    def compounds(self, stem):
        return sorted(w for w in self.words if w.endswith(stem) and len(w) >= len(stem) + 3)


def plan(text, lexicon=None):
    return compile_query(parse_query(text, VALUES), text, lexicon)


def terms_of(query) -> set[tuple[str, str]]:
    return {(field, text if isinstance(text, str) else text.decode()) for field, text in query.iter_all_terms()}


def test_a_word_is_looked_up_under_both_stems_in_the_body_fields():
    terms = terms_of(plan("rekeningen").positive)
    assert ("content_nl", "reken") in terms and ("content_en", "rekeningen") in terms
    assert ("title", "reken") in terms


def test_words_are_all_required_and_negations_are_kept_apart():
    result = plan("huur jansen -herinnering")
    assert isinstance(result.positive, wq.And) and len(result.positive.subqueries) == 2
    assert ("content_nl", "herinner") in terms_of(result.negative)
    assert result.ranked


def test_only_negations_search_everything_else():
    result = plan("-huur")
    assert result.positive is None and result.negative is not None and not result.ranked


def test_stop_words_alone_mean_every_document():
    assert plan("de het een").positive is None


def test_unknown_word_is_corrected_and_suggested():
    result = plan("Vlinderdosier huur", FakeLexicon())
    assert result.suggestion == "vlinderdossier huur"
    assert ("content_nl", "vlinderdossier") in terms_of(result.positive)


def test_known_words_get_no_suggestion():
    assert plan("jansen", FakeLexicon()).suggestion is None


def test_compounds_ending_in_the_word_are_searched_too():
    terms = terms_of(plan("overeenkomst", FakeLexicon()).positive)
    assert ("content_nl", "huurovereenkomst") in terms


def test_a_code_like_word_is_compared_with_reference_client_and_iban():
    terms = terms_of(plan("F2024-0012").positive)
    assert {("ref", "f2024-0012"), ("client", "f2024-0012"), ("iban", "f2024-0012")} <= terms


def test_field_terms_are_normalised():
    assert terms_of(plan("client:K-10023").positive) == {("client", "k-10023")}
    assert terms_of(plan('ref:"F 2024 0012"').positive) == {("ref", "f20240012")}
    assert isinstance(plan("client:K-100*").positive, wq.Prefix)


def test_whole_calendar_units_become_terms_and_other_ranges_array_filters():
    assert terms_of(plan("date:2024").positive) == {("year", "2024")}
    assert terms_of(plan("date:2024-03").positive) == {("month", "2024-03")}
    assert terms_of(plan("date:2024-03-05").positive) == {("day", "2024-03-05")}
    ranged = plan("date:[2024-01-15 to 2024-03-31] huur")
    assert ranged.date_ranges == ((DateRange(date(2024, 1, 15), date(2024, 3, 31)), False),)


def test_date_range_inside_or_is_covered_exactly_by_calendar_terms():
    query = _calendar_query(DateRange(date(2023, 12, 30), date(2025, 2, 2)))
    assert terms_of(query) == {
        ("day", "2023-12-30"),
        ("day", "2023-12-31"),
        ("year", "2024"),
        ("month", "2025-01"),
        ("day", "2025-02-01"),
        ("day", "2025-02-02"),
    }


def test_amount_ranges_are_array_filters_and_not_allowed_inside_or():
    assert len(plan("amount:>100 -amount:>500").amount_ranges) == 2
    with pytest.raises(QuerySyntaxError, match="cannot be one side of OR"):
        plan("amount:>100 OR huur")


def test_marks_hold_the_stems_and_prefixes_to_highlight():
    marks = plan('rekeningen "vriendelijke groet" huurover* -koop').marks
    assert {"reken", "vriendelijk", "groet"} <= marks.stems
    assert marks.prefixes == ("huurover",)
    assert "koop" not in marks.stems
