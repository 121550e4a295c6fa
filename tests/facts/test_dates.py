"""Dates in the notations of Dutch and English documents; day-first unless impossible."""

from datetime import date

import pytest

from ingest.facts.dates import find_dates


@pytest.mark.parametrize("text, expected", [
    ("27-11-2026", date(2026, 11, 27)),
    ("27 november 2026", date(2026, 11, 27)),
    ("27 nov. 2026", date(2026, 11, 27)),
    ("dinsdag 3 maart 2025", date(2025, 3, 3)),
    ("2026-11-27", date(2026, 11, 27)),
    ("11/27/2026", date(2026, 11, 27)),
    ("05/04/2026", date(2026, 4, 5)),
    ("25/12/2018", date(2018, 12, 25)),
    ("09/08/17", date(2017, 8, 9)),
    ("11-05-16", date(2016, 5, 11)),
    ("14 MAR 2018 18:40", date(2018, 3, 14)),
    ("March 14, 2018", date(2018, 3, 14)),
    ("Tuesday, March 3, 2025", date(2025, 3, 3)),
    ("7. Mai 2014", date(2014, 5, 7)),
    ("22 oktobcr 2018", date(2018, 10, 22)),
])
def test_date_forms(text, expected):
    assert [d.value for d in find_dates(text)] == [expected]


def test_month_and_year_mean_the_last_day_of_the_month():
    (found,) = find_dates("Periode: februari 2024")
    assert found.value == date(2024, 2, 29) and found.month_only


@pytest.mark.parametrize("text", ["Tel 03-6205 5386", "€ 1.234,56", "31-02-2024", "Factuur 2018", "1.2.3"])
def test_not_dates(text):
    assert find_dates(text) == []


def test_a_range_gives_both_ends():
    assert [d.value for d in find_dates("01.05.14-31.05.14")] == [date(2014, 5, 1), date(2014, 5, 31)]
