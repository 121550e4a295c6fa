"""Periods: defaults, grouping and the edges of a day."""

from __future__ import annotations

from datetime import date

import pytest

from archive.analysis.period import Period, make_period
from archive.errors import InvalidInput

TODAY = date(2026, 11, 27)


def test_default_is_the_thirty_days_ending_today():
    period = make_period(None, None, "day", TODAY)
    assert (period.since, period.until, period.days) == (date(2026, 10, 29), TODAY, 30)


def test_only_since_runs_to_today_and_only_until_runs_thirty_days_back():
    assert make_period(date(2026, 11, 1), None, "day", TODAY).until == TODAY
    assert make_period(None, date(2026, 1, 30), "day", TODAY).since == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("since", "until", "by"),
    [
        (date(2026, 11, 2), date(2026, 11, 1), "day"),
        (None, None, "year"),
    ],
)
def test_bad_periods_are_refused_in_a_sentence(since, until, by):
    with pytest.raises(InvalidInput):
        make_period(since, until, by, TODAY)


def test_both_ends_are_included_to_the_microsecond():
    period = Period(date(2026, 11, 2), date(2026, 11, 3))
    assert period.contains("2026-11-02T00:00:00.000000Z")
    assert period.contains("2026-11-03T23:59:59.999999Z")
    assert not period.contains("2026-11-04T00:00:00.000000Z")
    assert not period.contains("2026-11-01T23:59:59.999999Z")


def test_weeks_are_iso_weeks_and_months_calendar_months():
    weeks = Period(date(2026, 12, 27), date(2027, 1, 5), "week")
    assert weeks.buckets() == ["2026-W52", "2026-W53", "2027-W01"]
    assert weeks.bucket("2027-01-03T10:00:00.000000Z") == "2026-W53"
    months = Period(date(2026, 10, 30), date(2026, 12, 1), "month")
    assert months.buckets() == ["2026-10", "2026-11", "2026-12"]
