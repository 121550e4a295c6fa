"""A search for an IBAN that cannot be one, or for a bare amount that finds nothing, says so,
instead of only "no documents"."""

from __future__ import annotations

import html
import re

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


@pytest.mark.parametrize("typed", ["1234,56", "factuur €1234,56"])
def test_a_bare_amount_that_finds_nothing_offers_the_amount_filter(no_csrf, login, filed, typed):
    # filed[0] totals € 1.234,56 and prints "1.234,56": typed without the dot (or with a € stuck
    # to it) the word matches no text, and "no documents" alone hid the invoice from the desk.
    staff = login("staff")
    page = staff.get("/", query_string={"q": typed}).get_data(as_text=True)
    assert "Geen documenten gevonden." in page and "Zoekt u documenten met het bedrag" in page
    address, offered = re.search(r'id="amount-as-filter">.*?<a href="([^"]+)">Zoek op ([^<]+)</a>', page).groups()
    assert "bedrag:1234,56" in offered
    assert f"/documents/{filed[0]}?" in staff.get(html.unescape(address)).get_data(as_text=True)


def test_an_amount_filter_or_a_code_with_cents_is_not_offered_again(no_csrf, login, filed):
    staff = login("staff")
    for typed in ("bedrag:99,95", "F2024-12,50", "1.234,56 huur"):  # the last is found as text
        assert "amount-as-filter" not in staff.get("/", query_string={"q": typed}).get_data(as_text=True), typed
