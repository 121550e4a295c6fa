"""Cutting a stack into parts by what its pages are."""

from __future__ import annotations

from ingest.stacks import BLANK, CONTENT, SEPARATOR, PageKind, Separator, has_separators, split_stack


def _kinds(pattern: str) -> list[PageKind]:
    """'S' separator (facts: its index), 'B' blank, 'C' content."""
    kinds = []
    for number, letter in enumerate(pattern, start=1):
        if letter == "S":
            kinds.append(PageKind(number, SEPARATOR, Separator(f"K-{number}")))
        else:
            kinds.append(PageKind(number, BLANK if letter == "B" else CONTENT))
    return kinds


def test_parts_between_separators_with_the_facts_before_them():
    parts = split_stack(_kinds("SCCSCSCCC"), drop_blank_pages=False)
    assert [p.pages for p in parts] == [(2, 3), (5,), (7, 8, 9)]
    assert [p.separator.client_id for p in parts] == ["K-1", "K-4", "K-6"]
    assert (parts[2].first, parts[2].last) == (7, 9)


def test_pages_before_the_first_separator_are_a_document_without_facts():
    parts = split_stack(_kinds("CCSC"), drop_blank_pages=False)
    assert [(p.pages, p.separator) for p in parts] == [((1, 2), None), ((4,), Separator("K-3"))]


def test_the_blank_back_of_a_sheet_always_goes():
    parts = split_stack(_kinds("SBCBCSBC"), drop_blank_pages=False)
    assert [p.pages for p in parts] == [(3, 4, 5), (8,)]


def test_duplex_backs_go_when_asked():
    parts = split_stack(_kinds("SBCBCBSBCB"), drop_blank_pages=True)
    assert [p.pages for p in parts] == [(3, 5), (9,)]


def test_no_empty_parts_and_no_separator_means_one_part():
    assert [p.pages for p in split_stack(_kinds("SSCS"), drop_blank_pages=True)] == [(3,)]
    kinds = _kinds("CCBC")
    assert not has_separators(kinds)
    assert [p.pages for p in split_stack(kinds, drop_blank_pages=False)] == [(1, 2, 3, 4)]
    assert split_stack(_kinds("SB"), drop_blank_pages=False) == ()
