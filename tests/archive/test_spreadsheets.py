"""CSV that a spreadsheet opens without running any cell as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from archive.access.users import shown_login_name
from archive.spreadsheets import csv_text, safe_cell


@pytest.mark.parametrize("typed", ["=cmd|' /c calc'!a0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_run_is_made_inert(typed: str) -> None:
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize("value", ["anna", "K-10002", 12, 3.5, "", "2024-03-12"])
def test_plain_text_and_numbers_stay_as_they_are(value) -> None:
    assert safe_cell(value) == value


def test_csv_text_makes_every_cell_safe_and_keeps_the_rest() -> None:
    text = csv_text(["who", "n"], [['=HYPERLINK("x")', 4], [None, -1]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["who", "n"], ['\'=HYPERLINK("x")', "4"], ["", "-1"]]


def test_a_login_name_is_bounded_one_line_and_masks_a_bsn() -> None:
    assert shown_login_name("  Anna ") == "anna"
    assert shown_login_name("x" * 500) == "x" * 40 + "…"
    assert shown_login_name("a\nb\x00c") == "a b c"
    assert "123456782" not in shown_login_name("123456782") and "6782" in shown_login_name("123456782")
