"""Case-blind word patterns find what IGNORECASE finds, on ASCII lines and on others."""

from __future__ import annotations

import re

import pytest

from ingest.facts.caseblind import CaseBlind

PATTERN = r"betaal|t\.?\s?n\.?\s?v|^van\s*:|cli[eë]nt|\b(?:kvk|iban)\b"
LINES = [
    "Gelieve te BETALEN op rekening t.n.v. Jansen",
    "Betaald door: de heer Jansen",
    "VAN : Gemeente Utrecht",
    "Gegevens CLIËNT",
    "Gegevens Cliënt İBAN NL91ABNA0417164300",
    "KvK 12345678",
    "Akvk 12345678",
    "",
    "Totaal te voldoen",
]


@pytest.mark.parametrize("line", LINES)
def test_found_where_ignorecase_finds_it(line):
    assert CaseBlind(PATTERN).found(line) == bool(re.search(PATTERN, line, re.IGNORECASE))


def test_a_line_that_is_not_ascii_is_searched_as_written():
    # "İ" lowers to two characters; IGNORECASE reads it as an i all the same.
    assert CaseBlind(r"iban").found("İBAN NL91ABNA0417164300")
    assert CaseBlind(r"ban\b").found("İBAN")


@pytest.mark.parametrize("pattern", [r"Betaal", r"[A-Z]{2}\d", "\u212a" + "vk", "\u017fofi"])
def test_patterns_the_quick_way_would_read_otherwise_are_refused(pattern):
    with pytest.raises(ValueError):
        CaseBlind(pattern)


def test_escapes_in_upper_case_are_no_letters():
    assert CaseBlind(r"van\S*\s*:").found("VANDAAG :")
