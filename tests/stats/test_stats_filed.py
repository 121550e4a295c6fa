"""Filings as columns: the breakdowns pick rows, and every figure stays exact."""

from __future__ import annotations

from archive.analysis.figures import Change, Filing
from archive.analysis.filed import (
    UNKNOWN,
    changed_facts,
    filed_columns,
    filing_summary,
    first_filings,
    grouped,
    ocr_distribution,
    rows_by,
    take,
)


def filing(seq, doc, filed, arrived, clerk="anna", channel="upload", pages=1, kind="invoice", ocr=None) -> Filing:
    return Filing(seq, doc, filed, arrived, clerk, channel, pages, kind, ocr, False)


def test_columns_hold_each_wait_to_the_microsecond_and_name_what_is_missing():
    columns = filed_columns(
        [
            filing(1, 1, "2026-11-02T09:00:01.000001Z", "2026-11-02T09:00:00.000000Z"),
            filing(
                2, 2, "2026-11-03T00:00:00.000000Z", "2026-11-02T23:59:59.999999Z", clerk=None, channel="", kind=None
            ),
        ]
    )
    assert columns.waited == (1.000001, 0.000001)
    assert (columns.clerk, columns.channel, columns.document_type) == (
        ("anna", UNKNOWN),
        ("upload", UNKNOWN),
        ("invoice", UNKNOWN),
    )
    assert filed_columns([]).waited == ()


def test_rows_are_grouped_by_key_in_order_and_picked_whatever_their_number():
    assert rows_by(("b", "a", "b", "c", "a")) == {"a": [1, 4], "b": [0, 2], "c": [3]}
    column = (10, 11, 12, 13)
    assert (take(column, []), take(column, [2]), take(column, [3, 0]), take(column, None)) == (
        (),
        (12,),
        (13, 10),
        column,
    )


def test_summaries_per_clerk_count_pages_types_waits_and_automatic_filings():
    columns = filed_columns(
        [
            filing(1, 1, "2026-11-02T09:01:00.000000Z", "2026-11-02T09:00:00.000000Z", pages=2),  # 60 s
            filing(2, 2, "2026-11-02T09:02:00.000000Z", "2026-11-02T09:00:00.000000Z", kind="letter"),  # 120 s
            filing(3, 3, "2026-11-02T09:10:00.000000Z", "2026-11-02T09:00:00.000000Z", clerk="bart", pages=3),
        ]
    )
    changed = changed_facts(
        columns,
        [
            Change(4, "2026-11-03T09:00:00.000000Z", 2, "client_id", None, "K-1"),
            Change(5, "2026-11-03T09:00:00.000000Z", 3, "amount", "1", "1"),
        ],
    )
    assert changed == {2: {"client"}}
    by_clerk = grouped(columns, columns.clerk, changed)
    assert by_clerk["anna"] == {
        "filed": 2,
        "pages": 3,
        "by_type": {"invoice": 1, "letter": 1},
        "arrival_to_filed_seconds": {"count": 2, "p50": 60.0, "p90": 120.0},
        "auto_filed": 1,
        "auto_filed_rate": 0.5,
    }
    assert by_clerk["bart"]["arrival_to_filed_seconds"] == {"count": 1, "p50": 600.0, "p90": 600.0}
    assert filing_summary(columns, changed, [])["auto_filed_rate"] is None


def test_a_refiled_document_keeps_its_first_filing_at_its_first_place():
    late, early, other = (
        filing(9, 1, "2026-11-03T09:00:00.000000Z", "2026-11-02T09:00:00.000000Z"),
        filing(4, 1, "2026-11-02T10:00:00.000000Z", "2026-11-02T09:00:00.000000Z"),
        filing(5, 2, "2026-11-02T11:00:00.000000Z", "2026-11-02T09:00:00.000000Z"),
    )
    assert first_filings([late, other, early]) == [early, other]


def test_ocr_bins_put_each_edge_in_the_bin_it_starts():
    values = [0, 9.99, 10, 42.5, 89.999, 90, 99.5, 100, 120.0]
    columns = filed_columns(
        [
            filing(n, n, "2026-11-02T09:00:00.000000Z", "2026-11-02T09:00:00.000000Z", ocr=value)
            for n, value in enumerate(values + [None], start=1)
        ]
    )
    ocr = ocr_distribution(columns)
    assert [b["count"] for b in ocr["bins"]] == [2, 1, 0, 0, 1, 0, 0, 0, 1, 4]
    assert (ocr["count"], ocr["no_ocr"], ocr["p50"]) == (9, 1, 89.999)
