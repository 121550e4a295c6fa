"""What a person types on a form, an option or a filter is read by the one rule, or refused in a sentence."""

from __future__ import annotations

from datetime import date

import pytest

from archive.errors import InvalidInput
from archive.typed import period_end, period_start, read_amount, read_bsn, read_date, read_optional_date
from tests.values.cases import AMOUNTS, BSNS, DATES, NOT_AMOUNTS, NOT_BSNS, NOT_DATES, NOT_PERIODS, PERIODS


@pytest.mark.parametrize("typed, stored", AMOUNTS)
def test_amounts(typed, stored):
    assert read_amount(typed) == stored


@pytest.mark.parametrize("typed", NOT_AMOUNTS)
def test_not_amounts(typed):
    with pytest.raises(InvalidInput, match="is not an amount; write it like 1234,56"):
        read_amount(typed)


@pytest.mark.parametrize("typed, day", DATES)
def test_dates(typed, day):
    assert read_date(typed) == day == read_optional_date(typed)


@pytest.mark.parametrize("typed", NOT_DATES)
def test_not_dates(typed):
    with pytest.raises(InvalidInput, match="is not a date; write it like 12-03-2024"):
        read_date(typed)


def test_nothing_typed_is_no_date():
    assert read_optional_date(None) is None and read_optional_date("  ") is None
    assert period_start(None) is None and period_end("") is None


@pytest.mark.parametrize("typed, first, last", PERIODS)
def test_periods(typed, first, last):
    assert (period_start(typed), period_end(typed)) == (first, last)


@pytest.mark.parametrize("typed", [t for t in NOT_PERIODS if t])
def test_not_periods(typed):
    with pytest.raises(InvalidInput, match="is not a date"):
        period_start(typed)


@pytest.mark.parametrize("typed, digits", BSNS)
def test_bsns(typed, digits):
    assert read_bsn(typed) == digits


@pytest.mark.parametrize("typed", NOT_BSNS)
def test_not_bsns_and_the_sentence_does_not_repeat_the_number(typed):
    with pytest.raises(InvalidInput) as caught:
        read_bsn(typed)
    assert str(caught.value) == "This is not a valid BSN."


def test_an_analysis_period_typed_the_dutch_way():
    assert (period_start("01-11-2026"), period_end("11-2026")) == (date(2026, 11, 1), date(2026, 11, 30))
