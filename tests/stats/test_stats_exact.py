"""Exact helpers: rates and durations to fixed decimals, none where there is nothing to measure."""

from __future__ import annotations

from archive.analysis.exact import duration_summary, rate, seconds_between


def test_rates_round_to_four_decimals_and_have_no_value_without_a_whole():
    assert (rate(1, 3), rate(2, 2), rate(0, 0)) == (0.3333, 1.0, None)


def test_durations_are_nearest_rank_to_the_millisecond():
    assert duration_summary([3.0004, 1.0, 2.0006]) == {"count": 3, "p50": 2.001, "p90": 3.0}
    assert duration_summary([]) == {"count": 0, "p50": None, "p90": None}
    assert seconds_between("2026-11-02T09:00:00.000000Z", "2026-11-03T09:00:00.500000Z") == 86400.5
