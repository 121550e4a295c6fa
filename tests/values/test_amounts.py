"""The amount rule: typed and printed amounts, Dutch and English, read the same way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.values import NotAnAmount, find_amounts, format_amount, parse_amount, read_number, stored_amount
from tests.values.cases import AMOUNTS, NOT_AMOUNTS, PRINTED_AMOUNTS


@pytest.mark.parametrize("typed, stored", AMOUNTS)
def test_typed_amounts(typed, stored):
    assert format_amount(parse_amount(typed)) == stored


@pytest.mark.parametrize("typed", NOT_AMOUNTS)
def test_not_amounts(typed):
    with pytest.raises(NotAnAmount) as caught:
        parse_amount(typed)
    assert caught.value.text == typed and isinstance(caught.value, ValueError)


@pytest.mark.parametrize("line, value, currency", PRINTED_AMOUNTS)
def test_printed_amounts(line, value, currency):
    assert [(str(a.value), a.currency) for a in find_amounts(line)] == [(value, currency)]


@pytest.mark.parametrize(
    "text",
    ["14.01.2018", "21%", "Tel 03-6205 5386", "K-10023", "1.234", "Datum 01.05.14-31.05.14", "artikelen 1, 20 en 30"],
)
def test_printed_numbers_that_are_not_amounts(text):
    assert find_amounts(text) == []


def test_a_year_before_a_currency_mark_is_not_an_amount():
    found = find_amounts("iDEAL op 21 april 2015 € 717,97")
    assert [(str(a.value), a.currency) for a in found] == [("717.97", "EUR")]


def test_a_printed_amount_and_the_same_amount_typed_agree():
    # What the clerk reads on the document and types into the form is one value.
    for line, value, _currency in PRINTED_AMOUNTS:
        if "€" in line:
            printed = find_amounts(line)[0]
            assert parse_amount(printed.text) == Decimal(value), line


def test_reading_and_the_stored_form():
    assert read_number(".02") == Decimal("0.02")
    assert read_number("1\u2009234,56") == Decimal("1234.56")
    assert read_number("1,234.567") is None  # two kinds of thousands separator
    assert format_amount(Decimal("5")) == "5.00"
    assert stored_amount("1234.56") == Decimal("1234.56") and stored_amount("-9.32") == Decimal("-9.32")
    # A stored amount is canonical text; nothing else is read as one.
    assert stored_amount(None) is None and stored_amount("1.234,56") is None and stored_amount("NaN") is None


@pytest.mark.parametrize("line, value", [("Rounding RM 177, 20", "177.20"), ("TOTAL € 65. 20", "65.20")])
def test_ocr_space_after_the_decimal_mark_beside_a_currency_mark(line, value):
    # Printed only: OCR's slip, never a form a person types.
    assert [str(amount.value) for amount in find_amounts(line)] == [value]


@pytest.mark.parametrize("line, value", [("TOTAL (Including GST)   79. 35", "79.35"), ("Stapler   7. 30 T", "7.30")])
def test_ocr_space_after_the_decimal_point_of_an_amount_ending_its_line(line, value):
    assert [str(amount.value) for amount in find_amounts(line)] == [value]


@pytest.mark.parametrize("text", ["artikelen 1, 20 en 30", "zie artikel 4. 12 maanden", "in 2019. 25 mensen"])
def test_a_number_a_sentence_goes_on_after_is_no_spaced_amount(text):
    # Only a number ending its line (a receipt's amount column) is read with OCR's space after the point.
    assert find_amounts(text) == []


@pytest.mark.parametrize(
    "line, value",
    [("Totaal EUR 3. 682,80", "3682.80"), ("Total USD 12, 345.67", "12345.67"), ("Te betalen   1. 234,56", "1234.56")],
)
def test_ocr_space_after_the_thousands_mark_of_a_printed_amount(line, value):
    # One mark groups thousands and the other gives the cents: no reading but one amount.
    assert [str(amount.value) for amount in find_amounts(line)] == [value]


def test_a_spaced_number_a_sentence_goes_on_after_is_no_amount():
    assert find_amounts("zie artikel 3. 682,80 van de regeling") == []
