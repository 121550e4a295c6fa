"""The query parser: text -> model, and its messages for mistakes (no index involved)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.compile import compile_query
from search.errors import QuerySyntaxError
from search.query import (
    AmountRange,
    AnyOf,
    DateRange,
    FieldTerm,
    Not,
    ParsedQuery,
    Phrase,
    Word,
    parse_query,
)
from tests.search.conftest import VALUES
from tests.values.cases import AMOUNTS, DATES, NOT_AMOUNTS, NOT_PERIODS, PERIODS


def clauses(text: str, aliases=None) -> tuple:
    return parse_query(text, VALUES, aliases).clauses


def test_plain_words_all_required_in_order_typed():
    assert clauses("huur  Jansen") == (Word("huur"), Word("Jansen"))


def test_empty_query_has_no_clauses():
    assert parse_query("   ", VALUES) == ParsedQuery(())


def test_phrase_and_prefix():
    assert clauses('"met vriendelijke groet" huurover*') == (
        Phrase("met vriendelijke groet"),
        Word("huurover", prefix=True),
    )


def test_or_binds_the_neighbours_and_minus_excludes():
    assert clauses("factuur OR nota OR bon -herinnering jansen") == (
        AnyOf((Word("factuur"), Word("nota"), Word("bon"))),
        Not(Word("herinnering")),
        Word("jansen"),
    )


def test_not_and_niet_keywords_negate_the_next_clause():
    assert clauses("NOT huur NIET type:letter") == (Not(Word("huur")), Not(FieldTerm("type", "letter")))


def test_lowercase_or_is_an_ordinary_word():
    assert clauses("huur or koop") == (Word("huur"), Word("or"), Word("koop"))


def test_field_filters_english_and_dutch_names():
    assert clauses("client:K-10023 klant:K-2 ref:F2024-0012 kenmerk:X1 iban:NL91ABNA0417164300 tag:urgent") == (
        FieldTerm("client", "K-10023"),
        FieldTerm("client", "K-2"),
        FieldTerm("ref", "F2024-0012"),
        FieldTerm("ref", "X1"),
        FieldTerm("iban", "NL91ABNA0417164300"),
        FieldTerm("tag", "urgent"),
    )


def test_type_alias_is_resolved():
    assert clauses("type:Factuur soort:bon", {"factuur": "invoice", "bon": "receipt"}) == (
        FieldTerm("type", "invoice"),
        FieldTerm("type", "receipt"),
    )


def test_unknown_field_name_is_searched_as_text():
    assert clauses("betreft:huur") == (Word("betreft:huur"),)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("date:2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("date:2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("datum:2024-03-05", date(2024, 3, 5), date(2024, 3, 5)),
        ("date:05-03-2024", date(2024, 3, 5), date(2024, 3, 5)),
        ("date:[2024-01-01 to 2024-03-31]", date(2024, 1, 1), date(2024, 3, 31)),
        ("date:[2024-01 tot 2024-03]", date(2024, 1, 1), date(2024, 3, 31)),
        ("date:2023..2024-06", date(2023, 1, 1), date(2024, 6, 30)),
        ("date:>2024-03", date(2024, 4, 1), date.max),
        ("date:>=2024-03", date(2024, 3, 1), date.max),
        ("date:<2024", date.min, date(2023, 12, 31)),
        ("date:<=2024-01-15", date.min, date(2024, 1, 15)),
    ],
)
def test_date_filters(text, start, end):
    assert clauses(text) == (DateRange(start, end),)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("amount:>100", AmountRange(Decimal("100"), None, False, True)),
        ("amount:>=100", AmountRange(Decimal("100"), None, True, True)),
        ("bedrag:<99,95", AmountRange(None, Decimal("99.95"), True, False)),
        ("amount:<=1.234,56", AmountRange(None, Decimal("1234.56"), True, True)),
        ("amount:100..200", AmountRange(Decimal("100"), Decimal("200"))),
        ("amount:[100 to 200.50]", AmountRange(Decimal("100"), Decimal("200.50"))),
        ("amount:€250", AmountRange(Decimal("250"), Decimal("250"))),
        ("amount:99,-", AmountRange(Decimal("99"), Decimal("99"))),
    ],
)
def test_amount_filters(text, expected):
    assert clauses(text) == (expected,)


def test_amounts_are_read_as_the_facts_form_reads_them():
    # 1.200 is twelve hundred, as on the facts form; >1,234.56 is above 1234.56, not 1.23456.
    assert clauses("amount:1.200") == (AmountRange(Decimal("1200"), Decimal("1200")),)
    assert clauses("amount:>1,234.56") == (AmountRange(Decimal("1234.56"), None, False, True),)
    assert clauses("bedrag:>=1.250,00") == (AmountRange(Decimal("1250"), None, True, True),)


@pytest.mark.parametrize("typed, stored", AMOUNTS)
def test_every_typed_amount(typed, stored):
    assert clauses(f'amount:"{typed}"') == (AmountRange(Decimal(stored), Decimal(stored)),)


@pytest.mark.parametrize("typed", [t for t in NOT_AMOUNTS if t])
def test_every_mistyped_amount_gets_the_sentence(typed):
    with pytest.raises(QuerySyntaxError, match="is not an amount"):
        clauses(f'amount:"{typed}"')


@pytest.mark.parametrize("typed, day", DATES)
def test_every_typed_date(typed, day):
    assert clauses(f'date:"{typed}"') == (DateRange(day, day),)


@pytest.mark.parametrize("typed, first, last", PERIODS)
def test_every_typed_period(typed, first, last):
    assert clauses(f'datum:"{typed}"') == (DateRange(first, last),)


@pytest.mark.parametrize("typed", [t for t in NOT_PERIODS if t])
def test_every_mistyped_date_gets_the_sentence(typed):
    with pytest.raises(QuerySyntaxError, match="is not a date"):
        clauses(f'date:"{typed}"')


@pytest.mark.parametrize(
    "typed, day",
    [
        ("14-03-2025", date(2025, 3, 14)),
        ("3-12-26", date(2026, 12, 3)),
        ("12/3/2024", date(2024, 3, 12)),
        ("2024-03-12", date(2024, 3, 12)),
    ],
)
def test_a_day_typed_bare_is_its_text_or_that_documents_date(typed, day):
    assert clauses(typed) == (AnyOf((Word(typed), DateRange(day, day))),)
    assert clauses(f"-{typed}") == (Not(AnyOf((Word(typed), DateRange(day, day)))),)
    assert clauses(f"brief OR {typed}") == (AnyOf((Word("brief"), Word(typed), DateRange(day, day))),)


@pytest.mark.parametrize("typed", ["2024", "12-3", "31-02-2025", "14-03-2025*", "F2024-03-12", "1.234,50"])
def test_what_is_no_whole_day_stays_a_word(typed):
    assert clauses(typed) == (Word(typed.rstrip("*"), prefix=typed.endswith("*")),)


def test_quoted_field_value():
    assert clauses('client:"K 10023"') == (FieldTerm("client", "K 10023"),)


def test_brackets_are_ignored():
    assert clauses("(huur OR koop) jansen") == (AnyOf((Word("huur"), Word("koop"))), Word("jansen"))


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('"met vriendelijke', "not closed"),
        ("OR huur", "OR needs a word on both sides"),
        ("huur OR", "OR needs a word on both sides"),
        ("huur OR OR koop", "OR needs a word on both sides"),
        ("client:", "Type a value after 'client:'"),
        ("date:2024-13", "is not a date"),
        ("date:31-02-2024", "is not a date"),
        ("date:[2024-01-01 to 2024-03-31", "not closed"),
        ("date:[2024-05-01 to 2024-03-31]", "comes after"),
        ("date:[2024]", "Write a range as"),
        ("amount:abc", "is not an amount"),
        ("amount:>", "Type a value after 'amount:>'"),
        ("amount:300..200", "larger than the second"),
        ("h*ur", "may only end a word"),
        ("h*", "at least two letters"),
        ("****6782 brief", "type the whole number again"),
        ("*****678", "type the whole number again"),
    ],
)
def test_mistakes_give_a_sentence(text, fragment):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text, VALUES)
    message = str(caught.value)
    assert fragment in message
    assert message.endswith(".") and "\n" not in message


def test_dates_beyond_the_calendar_give_a_sentence():
    for text in ("date:>9999-12-31", "date:<0001-01-01"):
        with pytest.raises(QuerySyntaxError, match="is not a date"):
            parse_query(text, VALUES)


_QUERY_ALPHABET = st.sampled_from(
    list('abcé019 -*:"[]().,<>=€') + ["OR", "NOT", "date:", "amount:", "client:", " to ", "..", "type:", "ref:"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_QUERY_ALPHABET, max_size=12).map("".join))
def test_any_typed_text_parses_or_gets_a_sentence(text):
    try:
        compile_query(parse_query(text, VALUES), text)
    except QuerySyntaxError as exc:
        assert str(exc).endswith(".")


def test_an_iban_typed_in_groups_is_one_filter_and_a_following_word_stays_a_word():
    parsed = parse_query("iban:NL91 ABNA 0417 1643 00 huur", VALUES)
    assert parsed.clauses == (FieldTerm("iban", "NL91ABNA0417164300"), Word("huur"))
    # Groups that make no valid IBAN are not glued on: they stay words to search for.
    assert parse_query("iban:NL91 ABNA huur", VALUES).clauses[1:] == (Word("ABNA"), Word("huur"))
