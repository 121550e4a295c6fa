"""The BSN rule: found however it is written, masked one way."""

from __future__ import annotations

import pytest

from ingest.values import NotABsn, find_bsns, mask_bsn, mask_bsns, parse_bsn, valid_bsn
from tests.values.cases import BSNS, BSNS_IN_TEXT, NOT_BSNS


@pytest.mark.parametrize("written, digits", BSNS)
def test_every_way_of_writing_one(written, digits):
    assert parse_bsn(written) == digits
    assert [found.value for found in find_bsns(f"BSN {written} ")] == [digits]
    assert mask_bsns(written) == "*****" + digits[-4:]


@pytest.mark.parametrize("written", NOT_BSNS)
def test_not_a_bsn(written):
    with pytest.raises(NotABsn):
        parse_bsn(written)


@pytest.mark.parametrize("text, shown", BSNS_IN_TEXT)
def test_masked_in_any_text(text, shown):
    assert mask_bsns(text) == shown


def test_printed_without_its_leading_zero():
    # 010000008 passes the 11-check; printed, it lost its first digit. Typed, nine digits are asked for.
    assert valid_bsn("10000008") == "010000008"
    assert [found.value for found in find_bsns("BSN 10000008")] == ["010000008"]
    with pytest.raises(NotABsn):
        parse_bsn("10000008")


def test_mask_of_a_stored_value():
    assert mask_bsn("111222333") == "*****2333"
    assert mask_bsn(None) is None and mask_bsn("") == ""
