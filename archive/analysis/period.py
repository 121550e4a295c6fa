"""The period an analysis covers and how it is cut into days, weeks or months.

Days are UTC calendar days (the audit trail is kept in UTC; Dutch office hours fall
inside the same UTC day). Weeks are ISO weeks (Monday to Sunday), months calendar
months. Both ends of a period are included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cached_property, lru_cache

from archive.errors import InvalidInput

GROUPINGS = ("day", "week", "month")
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Period:
    """From ``since`` to ``until`` (both included), grouped by day, week or month."""

    since: date
    until: date
    by: str = "day"

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @cached_property
    def start(self) -> str:
        """The first moment of the period as an audit timestamp (inclusive)."""
        return _stamp(self.since)

    @cached_property
    def end(self) -> str:
        """The first moment after the period as an audit timestamp (exclusive)."""
        return _stamp(self.until + timedelta(days=1))

    def contains(self, at: str) -> bool:
        """Return whether an audit timestamp falls inside the period."""
        return self.start <= at < self.end

    def bucket(self, at: str) -> str:
        """Return the label of the day, week or month an audit timestamp falls in."""
        return bucket_label(at[:10], self.by)

    def day_labels(self) -> list[str]:
        """Return every day of the period as ``YYYY-MM-DD``."""
        return [(self.since + timedelta(days=n)).isoformat() for n in range(self.days)]

    def buckets(self) -> list[str]:
        """Return every bucket label of the period in order, empty ones included."""
        labels: list[str] = []
        day = self.since
        while day <= self.until:
            label = bucket_label(day.isoformat(), self.by)
            if not labels or labels[-1] != label:
                labels.append(label)
            day += timedelta(days=1)
        return labels

    def to_json(self) -> dict:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(), "by": self.by, "days": self.days}


@lru_cache(maxsize=4096)
def bucket_label(day: str, by: str) -> str:
    """Return ``2026-11-27`` (day), ``2026-W48`` (ISO week) or ``2026-11`` (month) for a day."""
    if by == "day":
        return day
    if by == "month":
        return day[:7]
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def make_period(since: date | None, until: date | None, by: str, today: date) -> Period:
    """Return the period asked for; the default is the 30 days ending today.

    Raises InvalidInput for an unknown grouping or a period that ends before it starts.
    """
    if by not in GROUPINGS:
        raise InvalidInput("analysis.bad_grouping", "Group by day, week or month, not '{by}'.", by=by)
    if until is None:
        until = today if since is None or since <= today else since
    if since is None:
        since = until - timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise InvalidInput(
            "analysis.period_reversed", "The period starts ({since}) after it ends ({until}).", since=since, until=until
        )
    return Period(since, until, by)


def parse_at(at: str) -> datetime:
    """Return an audit timestamp (``2026-11-27T09:00:00.000000Z``) as an aware datetime."""
    return datetime.fromisoformat(at)  # Python 3.11 reads the trailing Z


def _stamp(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
