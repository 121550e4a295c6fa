"""The pure figures, fed plain rows whose answers are worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from archive.analysis.figures import (
    Change,
    Duplicate,
    Failure,
    Filing,
    History,
    OpenedFromSearch,
    Review,
    Search,
    ViewDay,
    compute,
    percentile,
    searches_opened,
)
from archive.analysis.period import Period

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.000000Z"


def filing(
    seq, doc, filed, arrived, clerk="anna", channel="upload", pages=1, kind="invoice", ocr=None, review=False
) -> Filing:
    return Filing(seq, doc, filed, arrived, clerk, channel, pages, kind, ocr, review)


def history(**parts) -> History:
    base = dict(
        filings=[],
        changes=[],
        reviews=[],
        failures=[],
        duplicates=[],
        searches=[],
        opened_from_search=[],
        view_days=[],
        queue_size=0,
        queue_oldest=None,
    )
    base.update(parts)
    return History(**base)


NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 10), "day")


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 50, None),
        ([7.0], 50, 7.0),
        ([7.0], 90, 7.0),
        ([1, 2, 3, 4], 50, 2),
        ([1, 2, 3, 4], 90, 4),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10),
    ],
)
def test_percentile_is_nearest_rank(values, p, expected):
    assert percentile(values, p) == expected


def test_filed_pages_types_and_arrival_times():
    filings = [
        filing(1, 1, at(2, 9, 1), at(2, 9, 0), pages=2),  # 60 s
        filing(2, 2, at(2, 10, 2), at(2, 10, 0), pages=3, kind="receipt"),  # 120 s
        filing(3, 3, at(3, 9, 10), at(3, 9, 0), clerk="bart", channel="inbox", kind=None),  # 600 s
    ]
    result = compute(history(filings=filings), NOVEMBER, NOW)
    assert (result["filed"], result["pages"]) == (3, 6)
    assert result["by_type"] == {"invoice": 1, "receipt": 1, "unknown": 1}
    assert result["arrival_to_filed_seconds"] == {"count": 3, "p50": 120.0, "p90": 600.0}
    assert result["by_clerk"]["anna"]["filed"] == 2 and result["by_clerk"]["anna"]["pages"] == 5
    assert result["by_clerk"]["bart"]["arrival_to_filed_seconds"]["p50"] == 600.0
    assert set(result["by_channel"]) == {"inbox", "upload"}
    assert result["series"][1] == {
        **result["series"][1],
        "period": "2026-11-02",
        "filed": 2,
        "pages": 5,
        "arrival_to_filed_p50": 60.0,
        "arrival_to_filed_p90": 120.0,
    }
    assert len(result["series"]) == 10 and result["series"][0]["filed"] == 0


def test_corrections_count_only_real_changes_after_filing():
    filings = [
        filing(10, 1, at(2, 9), at(2, 9)),
        filing(11, 2, at(2, 9), at(2, 9)),
        filing(12, 3, at(2, 9), at(2, 9)),
        filing(13, 4, at(2, 9), at(2, 9)),
    ]
    changes = [
        Change(20, at(3, 9), 1, "client_id", "K-1", "K-2"),
        Change(21, at(3, 9), 1, "amount", "10.00", "100.00"),
        Change(22, at(3, 9), 2, "document_type", "letter", "invoice"),
        Change(23, at(3, 9), 3, "document_date", "2026-01-01", "2026-01-01"),  # no real change
        Change(5, at(1, 9), 4, "amount", "1", "2"),  # before its filing
        Change(24, at(10, 13), 4, "amount", "1", "2"),  # after "now"
    ]
    result = compute(history(filings=filings, changes=changes), NOVEMBER, NOW)
    assert result["auto_filed"] == 2 and result["auto_filed_rate"] == 0.5
    assert result["corrected"] == {"client": 1, "type": 1, "date": 0, "amount": 1}
    assert result["correction_rate"] == {"client": 0.25, "type": 0.25, "date": 0.0, "amount": 0.25}
    # real corrections made in the period, whichever document: 20, 21, 22 and 5
    assert sum(row["corrections"] for row in result["series"]) == 4


def test_reviews_queue_failures_duplicates_and_ocr():
    filings = [
        filing(1, 1, at(2, 9), at(2, 8), ocr=95.5, review=True),
        filing(2, 2, at(2, 9), at(2, 8), ocr=42.0),
        filing(3, 3, at(2, 9), at(2, 8), ocr=100.0),
        filing(4, 4, at(2, 9), at(2, 8)),
    ]
    reviews = [Review(9, at(2, 10), "bart", 1, at(2, 8)), Review(10, at(2, 11), "anna", 1, at(2, 8))]
    failures = [
        Failure(5, at(3, 9), "The file is empty."),
        Failure(6, at(3, 9), "The file is empty."),
        Failure(7, at(4, 9), "This is not a PDF or an image."),
    ]
    result = compute(
        history(
            filings=filings,
            reviews=reviews,
            failures=failures,
            duplicates=[Duplicate(8, at(4, 9), "inbox")],
            queue_size=2,
            queue_oldest=at(9, 12),
        ),
        NOVEMBER,
        NOW,
    )
    assert result["needed_review"] == 1
    assert result["arrival_to_reviewed_seconds"] == {"count": 1, "p50": 7200.0, "p90": 7200.0}
    assert result["by_clerk"]["bart"]["reviewed"] == 1 and result["by_clerk"]["bart"]["filed"] == 0
    assert result["review_queue"] == {"size": 2, "oldest_age_seconds": 86400.0, "oldest_arrived_at": at(9, 12)}
    assert result["failed"] == 3
    assert result["failed_by_reason"] == {"The file is empty.": 2, "This is not a PDF or an image.": 1}
    assert result["duplicates"] == 1 and result["duplicates_by_channel"] == {"inbox": 1}
    ocr = result["ocr_confidence"]
    assert (ocr["count"], ocr["no_ocr"], ocr["p50"]) == (3, 1, 95.5)
    assert [b["count"] for b in ocr["bins"]] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 2]


def test_search_led_to_opening_only_before_the_next_search_by_the_same_user():
    searches = [
        Search(1, at(2, 9), "anna", 3),
        Search(3, at(2, 9), "anna", 0),
        Search(5, at(2, 9), "anna", 2),
        Search(6, at(3, 9), "bart", 1),
    ]
    opened = [
        OpenedFromSearch(2, at(2, 9), "bart"),  # before bart searched: opens nothing of anna's
        OpenedFromSearch(7, at(3, 9), "anna"),
        OpenedFromSearch(8, at(3, 9), "anna"),
        OpenedFromSearch(9, at(3, 9), "bart"),
    ]
    assert searches_opened(searches, opened) == {5, 6}
    result = compute(
        history(
            searches=searches,
            opened_from_search=opened,
            view_days=[ViewDay("2026-11-02", 2, 0, 0), ViewDay("2026-11-03", 3, 0, 0)],
        ),
        NOVEMBER,
        NOW,
    )
    assert result["searches"] == {"total": 4, "per_day": 0.4, "zero_results": 1, "opened": 2, "opened_rate": 0.5}
    rows = {row["period"]: row for row in result["series"]}
    assert (rows["2026-11-02"]["searches_opened"], rows["2026-11-03"]["searches_opened"]) == (1, 1)
    assert (rows["2026-11-02"]["views"], rows["2026-11-03"]["views"]) == (2, 3)


def test_documents_per_client_visit_day_add_up_over_days():
    days = [ViewDay("2026-11-02", 3, 2, 3), ViewDay("2026-11-03", 2, 1, 1), ViewDay("2026-11-20", 9, 9, 9)]
    result = compute(history(view_days=days), NOVEMBER, NOW)  # the 20th is outside the period
    assert result["retrieval"] == {"views": 5, "visit_days": 3, "documents_viewed": 4, "documents_per_visit_day": 1.33}
    assert [(r["views"], r["visit_days"], r["documents_viewed"]) for r in result["series"][1:3]] == [
        (3, 2, 3),
        (2, 1, 1),
    ]


def test_only_the_period_counts():
    filings = [
        filing(1, 1, at(1, 9), at(1, 9)),
        filing(2, 2, at(5, 9), at(5, 9)),
        filing(3, 3, at(9, 23, 59), at(9, 9)),
    ]
    searches = [Search(4, at(4, 23, 59, 59), "anna", 1), Search(5, at(5, 0), "anna", 1)]
    period = Period(date(2026, 11, 5), date(2026, 11, 9), "day")
    result = compute(history(filings=filings, searches=searches), period, NOW)
    assert result["filed"] == 2 and result["searches"]["total"] == 1
    assert result["period"] == {"since": "2026-11-05", "until": "2026-11-09", "by": "day", "days": 5}
    assert [row["period"] for row in result["series"]] == [f"2026-11-0{d}" for d in range(5, 10)]


def test_empty_history_has_no_rates_instead_of_zero():
    result = compute(history(), NOVEMBER, NOW)
    assert result["filed"] == 0 and result["auto_filed_rate"] is None
    assert result["arrival_to_filed_seconds"] == {"count": 0, "p50": None, "p90": None}
    assert result["correction_rate"] == dict.fromkeys(("client", "type", "date", "amount"))
    assert result["review_queue"]["oldest_age_seconds"] is None
    assert result["searches"]["opened_rate"] is None


def test_a_document_filed_twice_counts_once_at_its_first_filing():
    filings = [filing(9, 1, at(3, 9), at(2, 9), pages=2), filing(4, 1, at(2, 10), at(2, 9), pages=2)]
    result = compute(history(filings=filings), NOVEMBER, NOW)
    assert (result["filed"], result["pages"]) == (1, 2)
    assert result["arrival_to_filed_seconds"]["p50"] == 3600.0
