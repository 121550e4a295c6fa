"""Money amounts in Dutch and English notation."""

from decimal import Decimal

import pytest

from ingest.facts.numbers import find_amounts, format_amount, parse_number


@pytest.mark.parametrize("text, value, currency", [
    ("Totaal € 1.234,56", "1234.56", "EUR"),
    ("EUR 99,-", "99.00", "EUR"),
    ("Total 1,234.56 USD", "1234.56", "USD"),
    ("RM4.00", "4.00", "MYR"),
    ("$8.20", "8.20", "USD"),
    ("€ 1 234,56", "1234.56", "EUR"),
    ("€ 450", "450.00", "EUR"),
    ("29.99 € TTC", "29.99", "EUR"),
    ("€ -9,32", "-9.32", "EUR"),
])
def test_amount_forms(text, value, currency):
    found = find_amounts(text)
    assert [(str(a.value), a.currency) for a in found] == [(value, currency)]


@pytest.mark.parametrize("text", ["14.01.2018", "21%", "Tel 03-6205 5386", "K-10023", "1.234", "Datum 01.05.14-31.05.14"])
def test_things_that_are_not_amounts(text):
    assert find_amounts(text) == []


def test_a_year_before_a_currency_mark_is_not_an_amount():
    found = find_amounts("iDEAL op 21 april 2015 € 717,97")
    assert [(str(a.value), a.currency) for a in found] == [("717.97", "EUR")]


def test_parse_and_format():
    assert parse_number("1.234.567,8") is not None
    assert parse_number("1,234.56") == Decimal("1234.56")
    assert format_amount(Decimal("5")) == "5.00"
