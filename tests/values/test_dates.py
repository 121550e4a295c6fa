"""The date rule: every form a person types, and what documents print (OCR slips included)."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.values import NotADate, find_dates, parse_date, parse_period
from tests.values.cases import DATES, NOT_DATES, NOT_PERIODS, PERIODS


@pytest.mark.parametrize("typed, expected", DATES)
def test_typed_dates(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", NOT_DATES)
def test_not_dates(typed):
    with pytest.raises(NotADate):
        parse_date(typed)


@pytest.mark.parametrize("typed, first, last", PERIODS)
def test_periods(typed, first, last):
    assert parse_period(typed) == (first, last)


@pytest.mark.parametrize("typed", NOT_PERIODS)
def test_not_periods(typed):
    with pytest.raises(NotADate):
        parse_period(typed)


@pytest.mark.parametrize("typed, expected", DATES)
def test_a_typed_date_is_found_the_same_in_a_printed_line(typed, expected):
    assert [d.value for d in find_dates(f"Factuurdatum: {typed.strip()}")] == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("27 nov. 2026", date(2026, 11, 27)),
        ("dinsdag 3 maart 2025", date(2025, 3, 3)),
        ("09/08/17", date(2017, 8, 9)),
        ("14 MAR 2018 18:40", date(2018, 3, 14)),
        ("Tuesday, March 3, 2025", date(2025, 3, 3)),
        ("7. Mai 2014", date(2014, 5, 7)),
        ("22 oktobcr 2018", date(2018, 10, 22)),  # an OCR slip in a printed month name
        ("getekend te Eindhoven op 2015-05-05, Handtekening", date(2015, 5, 5)),  # a comma ends the clause
        ("Datum 12.03.2024, Utrecht", date(2024, 3, 12)),
        ("Signed at Utrecht on 25,02,2015.", date(2015, 2, 25)),  # a fax read the dots as commas
    ],
)
def test_printed_date_forms(text, expected):
    assert [d.value for d in find_dates(text)] == [expected]


def test_month_and_year_mean_the_last_day_of_the_month():
    (found,) = find_dates("Periode: februari 2024")
    assert found.value == date(2024, 2, 29) and found.month_only


@pytest.mark.parametrize(
    "text",
    [
        "Tel 03-6205 5386",
        "€ 1.234,56",
        "31-02-2024",
        "Factuur 2018",
        "1.2.3",
        "12.03.2024,50",
        "1,234,567",
        "12,50,2015",
    ],
)
def test_printed_things_that_are_not_dates(text):
    assert find_dates(text) == []


def test_a_printed_range_gives_both_ends():
    assert [d.value for d in find_dates("01.05.14-31.05.14")] == [date(2014, 5, 1), date(2014, 5, 31)]


@pytest.mark.parametrize(
    "printed, expected", [("12-02-2618 11:34:45 AM", date(2018, 2, 12)), ("09/03/2918 18:54", date(2018, 3, 9))]
)
def test_ocr_misread_century_in_a_printed_date(printed, expected):
    # Printed only: a person who types 2618 is told it is no date.
    assert [found.value for found in find_dates(printed)] == [expected]
    with pytest.raises(NotADate):
        parse_date(printed.split()[0])


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("12 Ju1y 2024", date(2024, 7, 12)),
        ("3 0ktober 2024", date(2024, 10, 3)),
        ("3 0ctober 2024", date(2024, 10, 3)),
        ("5 Jun1 2024", date(2024, 6, 5)),
        ("Ju1y 12, 2024", date(2024, 7, 12)),
    ],
)
def test_ocr_digits_for_the_letters_of_a_printed_month(printed, expected):
    # OCR reads o as 0 and l or i as 1; a word that so reads as one month is that month.
    assert [found.value for found in find_dates(printed)] == [expected]


@pytest.mark.parametrize("printed", ["3 Ju1e 2024", "3 Jule 2024"])
def test_a_misread_month_that_could_be_two_months_is_no_date(printed):
    # "Jule" is as near to June as to July: guessing would file a wrong date.
    assert find_dates(printed) == []


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("Invoice date:   S APR 2021", date(2021, 4, 5)),
        ("Pay before:   $ May 2021", date(2021, 5, 5)),
        ("Datum: l2 maart 2024", date(2024, 3, 12)),
        ("Datum: 2O januari 2024", date(2024, 1, 20)),
        ("Factuurdatum: B juni 2023", date(2023, 6, 8)),
    ],
)
def test_a_days_digits_read_as_letters_before_a_month_name(printed, expected):
    # Read as the month alone, "S APR 2021" would date the invoice the 30th.
    assert [found.value for found in find_dates(printed)] == [expected]


@pytest.mark.parametrize(
    "printed",
    [
        "Plan A mei 2024",
        "Hoofdstuk IV maart 2024",
        "O maart 2024",
        "SS juni 2024",
        "Periode | maart 2024",
        "l maart 2024",
    ],
)
def test_letters_that_are_no_day_leave_the_month_alone(printed):
    assert all(found.month_only for found in find_dates(printed))
