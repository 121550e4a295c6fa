"""A search for an IBAN that cannot be one says so, instead of only "no documents"."""

from __future__ import annotations

import pytest

from web.search import mistyped_iban

HINT = "NL91 ABNA 0417 1643 01 is geen geldige IBAN: de controlecijfers kloppen niet."


@pytest.mark.parametrize(
    "typed", ["iban:NL91 ABNA 0417 1643 01", "iban:nl91abna0417164301", "rekeningnummer:NL91ABNA 0417 1643 01"]
)
def test_a_mistyped_iban_is_named_above_the_empty_results(no_csrf, login, filed, typed):
    page = login("staff").get("/", query_string={"q": typed}).get_data(as_text=True)
    assert "Geen documenten gevonden." in page and HINT in page


def test_a_right_iban_that_finds_nothing_gets_no_such_hint(no_csrf, login, filed):
    page = login("staff").get("/", query_string={"q": "iban:NL91 ABNA 0417 1643 00"}).get_data(as_text=True)
    assert "Geen documenten gevonden." in page and "geen geldige IBAN" not in page


@pytest.mark.parametrize(
    "text",
    [
        "iban:NL91ABNA0417164300 2024",  # a right IBAN, then a word
        "iban:NL91 huur",  # too short to be meant as a whole IBAN
        "factuur 2024 NL91 ABNA",  # no iban: at all
    ],
)
def test_only_an_iban_search_that_cannot_be_one_is_named(text):
    assert mistyped_iban(text) is None
