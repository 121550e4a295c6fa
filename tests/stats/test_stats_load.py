"""Every figure of the known history (see conftest), loaded from a real SQLite file."""

from __future__ import annotations

from datetime import date

import pytest

from archive.access.actors import Actor
from archive.analysis.load import analyse
from archive.errors import PermissionDenied
from tests.stats.conftest import NOW

AUDITOR = Actor("ada", "auditor")


@pytest.fixture
def week(seeded_db) -> dict:
    return analyse(seeded_db, AUDITOR, NOW, since=date(2026, 11, 1), until=date(2026, 11, 6))


def test_filed_pages_types_clerks_and_channels(week):
    assert (week["filed"], week["pages"]) == (6, 12)
    # types as they stand after the clerks' corrections (#2 became an invoice)
    assert week["by_type"] == {"invoice": 4, "letter": 1, "payslip": 1}
    assert {name: (c["filed"], c["pages"], c["reviewed"]) for name, c in week["by_clerk"].items()} == {
        "anna": (3, 4, 1),
        "bart": (2, 5, 1),
        "system": (1, 3, 0),
    }
    assert {name: c["filed"] for name, c in week["by_channel"].items()} == {"api": 1, "cli": 1, "inbox": 1, "upload": 3}
    assert week["by_clerk"]["anna"]["by_type"] == {"invoice": 3}


def test_times_from_arrival(week):
    # filed after 10, 30, 60, 60, 120, 300 s: nearest rank 3 of 6 and 6 of 6
    assert week["arrival_to_filed_seconds"] == {"count": 6, "p50": 60.0, "p90": 300.0}
    assert week["by_clerk"]["bart"]["arrival_to_filed_seconds"] == {"count": 2, "p50": 10.0, "p90": 120.0}
    assert week["needed_review"] == 3
    # #4 reviewed 4 h after arrival, #2 two days and 60 s after
    assert week["arrival_to_reviewed_seconds"] == {"count": 2, "p50": 14400.0, "p90": 172860.0}


def test_automatic_filing_and_corrections(week):
    assert (week["auto_filed"], week["auto_filed_rate"]) == (3, 0.5)
    assert week["corrected"] == {"client": 1, "type": 1, "date": 0, "amount": 1}
    assert week["correction_rate"] == {"client": 0.1667, "type": 0.1667, "date": 0.0, "amount": 0.1667}
    assert week["by_channel"]["upload"]["auto_filed_rate"] == 0.3333


def test_queue_failures_duplicates_and_ocr(week):
    # only #6 still waits; it arrived on the 5th at 09:00, 27 hours before "now"
    assert week["review_queue"] == {
        "size": 1,
        "oldest_age_seconds": 97200.0,
        "oldest_arrived_at": "2026-11-05T09:00:00.000000Z",
    }
    assert week["failed"] == 2
    assert week["failed_by_reason"] == {"The file is empty.": 1, "This is not a PDF or an image.": 1}
    assert week["duplicates"] == 1 and week["duplicates_by_channel"] == {"inbox": 1}
    ocr = week["ocr_confidence"]
    assert (ocr["count"], ocr["no_ocr"], ocr["p50"]) == (4, 2, 72.5)
    assert {b["from"]: b["count"] for b in ocr["bins"] if b["count"]} == {40: 1, 70: 1, 80: 1, 90: 1}


def test_searches_and_retrieval(week):
    assert week["searches"] == {"total": 3, "per_day": 0.5, "zero_results": 1, "opened": 1, "opened_rate": 0.3333}
    # K-1 on the 4th (#1, #3 and #3 again) and K-2 on the 4th (#4): 3 documents over 2 visit-days
    assert week["retrieval"] == {"views": 4, "visit_days": 2, "documents_viewed": 3, "documents_per_visit_day": 1.5}


def test_series_per_day(week):
    rows = {row["period"]: row for row in week["series"]}
    assert list(rows) == [f"2026-11-0{d}" for d in range(1, 7)]
    assert (rows["2026-11-02"]["filed"], rows["2026-11-02"]["pages"]) == (3, 6)
    assert rows["2026-11-03"] == {
        "period": "2026-11-03",
        "filed": 2,
        "pages": 5,
        "by_type": {"invoice": 1, "payslip": 1},
        "reviewed": 1,
        "corrections": 2,
        "failed": 2,
        "duplicates": 1,
        "searches": 0,
        "searches_opened": 0,
        "views": 0,
        "visit_days": 0,
        "documents_viewed": 0,
        "arrival_to_filed_p50": 10.0,
        "arrival_to_filed_p90": 120.0,
    }
    assert (rows["2026-11-04"]["searches"], rows["2026-11-04"]["searches_opened"], rows["2026-11-04"]["views"]) == (
        3,
        1,
        4,
    )


def test_a_period_filter_counts_only_its_days(seeded_db):
    days = analyse(seeded_db, AUDITOR, NOW, since=date(2026, 11, 3), until=date(2026, 11, 4))
    assert (days["filed"], days["pages"], days["by_type"]) == (2, 5, {"invoice": 1, "payslip": 1})
    assert days["arrival_to_filed_seconds"] == {"count": 2, "p50": 10.0, "p90": 120.0}
    # of #4 and #5 only #4 was corrected (its client); #1's and #2's corrections are not theirs
    assert days["auto_filed_rate"] == 0.5 and days["correction_rate"]["client"] == 0.5
    assert days["correction_rate"]["amount"] == 0.0
    assert days["arrival_to_reviewed_seconds"]["count"] == 2
    assert (days["failed"], days["duplicates"]) == (2, 1)
    assert days["searches"]["per_day"] == 1.5
    assert days["review_queue"]["size"] == 1  # the queue is always as it stands now
    assert days["ocr_confidence"]["count"] == 1


def test_weeks_and_months(seeded_db):
    weeks = analyse(seeded_db, AUDITOR, NOW, since=date(2026, 10, 26), until=date(2026, 11, 8), by="week")
    assert [(row["period"], row["filed"]) for row in weeks["series"]] == [("2026-W44", 0), ("2026-W45", 6)]
    months = analyse(seeded_db, AUDITOR, NOW, since=date(2026, 10, 1), until=date(2026, 11, 30), by="month")
    assert [(row["period"], row["searches"]) for row in months["series"]] == [("2026-10", 0), ("2026-11", 3)]


def test_staff_and_clerks_may_not_see_the_analysis(seeded_db):
    for role in ("staff", "clerk", "records_manager"):
        with pytest.raises(PermissionDenied):
            analyse(seeded_db, Actor("x", role), NOW)
    assert analyse(seeded_db, Actor("root", "admin"), NOW)["filed"] == 6


def test_views_without_a_client_count_as_views_but_not_as_visits(tmp_path):
    from storage.database import Database
    from tests.stats.conftest import SARA, Seeder, moment

    db = Database.open(tmp_path / "views.sqlite3")
    s = Seeder(db)
    s.view(SARA, moment(2, 9), 1, None, False)
    s.view(SARA, moment(2, 10), 2, "K-9", False)
    s.view(SARA, moment(3, 10), 2, "K-9", False)
    s.at(moment(2, 11)).audit.record(SARA, "view", 3, client_id="")
    result = analyse(db, AUDITOR, NOW, since=date(2026, 11, 1), until=date(2026, 11, 6))
    db.close()
    assert result["retrieval"] == {"views": 4, "visit_days": 2, "documents_viewed": 2, "documents_per_visit_day": 1.0}
    assert [row["views"] for row in result["series"]][1:3] == [3, 1]
