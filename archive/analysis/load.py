"""Load one period's history from the database and compute the analysis over it."""

from __future__ import annotations

from datetime import date, datetime
from itertools import repeat
from typing import TypeVar, cast

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.analysis.figures import (
    Change,
    Duplicate,
    Failure,
    Filing,
    History,
    Review,
    SearchDay,
    ViewDay,
    compute,
)
from archive.analysis.period import Period, make_period
from storage import stats_repo
from storage.database import Database

T = TypeVar("T", bound=tuple)


def load_history(db: Database, period: Period) -> History:
    """Return the period's filings, reviews, failures, duplicates, searches and views.

    Searches and views are counted per day by the database (tens of thousands of entries a
    quarter); the rest are rows.

    Fact changes are loaded from the period's start until now: a document filed in
    the period and corrected after it still counts as corrected.
    """
    conn = db.read()
    start, end = period.start, period.end
    size, oldest = stats_repo.review_queue(conn)
    return History(
        # Plain tuples in the fields' order (see History): the collector soon stops tracking them.
        filings=cast("list[Filing]", stats_repo.filings(conn, start, end)),
        changes=cast("list[Change]", stats_repo.changes_since(conn, start)),
        reviews=_as(Review, stats_repo.reviews(conn, start, end)),
        failures=_as(Failure, stats_repo.entries(conn, "failures", start, end)),
        duplicates=_as(Duplicate, stats_repo.entries(conn, "duplicates", start, end)),
        searches=[],
        opened_from_search=[],
        view_days=_as(ViewDay, stats_repo.view_days(conn, start, end)),
        queue_size=size,
        queue_oldest=oldest,
        search_days=_as(SearchDay, stats_repo.search_days(conn, start, end)),
    )


def _as(kind: type[T], rows: list[tuple]) -> list[T]:
    """Return the rows as named tuples of that kind (what ``kind._make`` does, without a Python call per row)."""
    return list(map(tuple.__new__, repeat(kind), rows))


def analyse(
    db: Database, actor: Actor, now: datetime, since: date | None = None, until: date | None = None, by: str = "day"
) -> dict:
    """Return every figure for the period (default: the 30 days ending today).

    Raises PermissionDenied unless the actor may see the analysis, InvalidInput for a bad period.
    """
    require(actor, Permission.STATS)
    period = make_period(since, until, by, now.date())
    return compute(load_history(db, period), period, now)
