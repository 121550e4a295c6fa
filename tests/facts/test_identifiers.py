"""Identifiers are found only when their check digits hold."""

import pytest

from ingest.facts.identifiers import (
    find_bsns,
    find_emails,
    find_ibans,
    find_misread_ibans,
    find_vats,
    one_slip_iban,
    valid_bsn,
    valid_kvk,
)
from tests.values.cases import BSNS, NOT_BSNS


def test_iban_with_and_without_spaces():
    assert [f.value for f in find_ibans("IBAN NL50INGB0683251309 BIC INGBNL2A")] == ["NL50INGB0683251309"]
    assert [f.value for f in find_ibans("betaal op NL91 ABNA 0417 1643 00 t.n.v. X")] == ["NL91ABNA0417164300"]


def test_iban_failing_mod97_is_ignored():
    assert find_ibans("IBAN NL91 ABNA 0417 1643 01") == []


def test_bsn_eleven_check():
    assert valid_bsn("111222333") == "111222333"
    assert valid_bsn("123456789") is None
    assert [f.value for f in find_bsns("BSN: 1112.22.333")] == ["111222333"]


@pytest.mark.parametrize("written, digits", BSNS)
def test_the_client_matching_finds_a_bsn_however_written(written, digits):
    assert [f.value for f in find_bsns(f"Burgerservicenummer {written}")] == [digits]


@pytest.mark.parametrize("written", [w for w in NOT_BSNS if w])
def test_numbers_that_are_not_a_bsn(written):
    assert find_bsns(f"Nummer {written}") == []


def test_vat_kvk_and_email():
    assert [f.value for f in find_vats("BTW NL810433941B01")] == ["NL810433941B01"]
    assert [f.value for f in find_vats("UStId DE 232 446 240")] == ["DE232446240"]
    assert valid_kvk("24 330 087") == "24330087" and valid_kvk("1234567") is None
    assert [f.value for f in find_emails("mail: Jan.Jansen@Example.nl.")] == ["jan.jansen@example.nl"]


@pytest.mark.parametrize(
    "line",
    [
        "IBAN werknemerNL64 ASNB 9935 8104 05",  # glued to the label before it
        "IBAN werknemer:   NL64- ASNB 9935 8104 05",  # a gap read as a dash
        "Uitbetaald op rekening NL64 ASNB 9935, 8104.05",  # gaps read as a comma and a dot
        "Uitbetaald op rekening NLG4 ASNB 9935 8104 05",  # 6 read as G
        "Uitbetaald op rekening NIG4ASNB9935810405",  # L read as I: a Dutch bank code says NL
        "IBAN NE64 ASNB 9935 8104 05",
    ],
)
def test_an_iban_as_ocr_reads_a_fax_is_found_when_mod97_holds(line):
    assert [f.value for f in find_ibans(line)] == ["NL64ASNB9935810405"]


def test_a_misread_country_is_not_made_dutch_without_a_dutch_bank_code_or_the_check():
    assert find_ibans("IBAN NE64 XBNA 9935 8104 05") == []  # no Dutch bank's code
    assert find_ibans("IBAN NE65 ASNB 9935 8104 05") == []  # the check digits fail as NL too


@pytest.mark.parametrize(
    "printed",
    [
        "NL91 ABNA 0417 1643 0",  # the last digit lost
        "NL91 ABNA 0417 1643 000",  # a digit added
        "NL918 ABNA 0417 1643 00",  # a digit added to the check digits
        "NL91 ABNA 0817 1643 00",  # one digit misread
    ],
)
def test_an_iban_one_digit_off_is_the_one_iban_mod97_allows(printed):
    assert one_slip_iban(printed) == "NL91ABNA0417164300"
    assert [f.value for f in find_misread_ibans(f"Uw rekening {printed} t.n.v. A. de Boer")] == ["NL91ABNA0417164300"]


@pytest.mark.parametrize(
    "printed",
    [
        "NL91 ABNA 2417 1643 00",  # one digit misread, but two IBANs pass mod 97 one digit away
        "NL91 XBNA 0417 1643 0",  # no Dutch bank's code
        "NL91 ABNA 0417 1643 00",  # valid as read: somebody's account, no misreading
        "NL918 ABNA 0417 1643 0",  # a digit added and one lost: two slips
    ],
)
def test_an_iban_two_readings_explain_or_no_dutch_bank_is_not_repaired(printed):
    assert one_slip_iban(printed) is None
