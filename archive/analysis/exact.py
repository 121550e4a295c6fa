"""Exact small figures of the analysis: nearest-rank percentiles, rates and durations.

Percentiles are nearest-rank: of n values sorted ascending, the p-th percentile is
the value at rank ceil(p/100 * n) (1-based); there is none for n = 0. It is always one
of the measured values, never interpolated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from archive.analysis.period import parse_at


def percentile(sorted_values: Sequence[float], p: int) -> float | None:
    """Return the nearest-rank p-th percentile of ascending values (None when empty)."""
    n = len(sorted_values)
    if n == 0:
        return None
    rank = max(1, -(-p * n // 100))  # ceil(p * n / 100) in integers: no float rounding
    return sorted_values[rank - 1]


def rate(part: int, whole: int) -> float | None:
    """Return part / whole rounded to 4 decimals (None when whole is 0)."""
    return round(part / whole, 4) if whole else None


def seconds_between(start: str, end: str) -> float:
    """Return the seconds from one audit timestamp to another."""
    return (parse_at(end) - parse_at(start)).total_seconds()


def duration_summary(seconds: Iterable[float]) -> dict:
    """Return count, p50 and p90 (nearest rank, seconds to the millisecond) of durations."""
    values = sorted(seconds)
    p50, p90 = percentile(values, 50), percentile(values, 90)
    return {
        "count": len(values),
        "p50": None if p50 is None else round(p50, 3),
        "p90": None if p90 is None else round(p90, 3),
    }
