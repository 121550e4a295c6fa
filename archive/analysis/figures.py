"""Front-office analysis: every figure, computed from the period's audit entries and rows.

Pure: the caller loads a ``History`` (plain rows, see ``archive.stats_load``) and passes
"now" in. Nothing is estimated or sampled. Timestamps stay audit-trail strings
(``2026-11-27T09:00:00.000000Z``), which sort and slice by day as they are; only the
durations parse them.

The filing figures are in ``archive.stats_filed``, the exact helpers (nearest-rank
percentiles) in ``archive.stats_exact``.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby, repeat
from operator import attrgetter, itemgetter

# percentile is re-exported: the definitions of the figures are looked up here.
from archive.analysis.exact import duration_summary, percentile, rate, seconds_between  # noqa: F401
from archive.analysis.filed import (
    UNKNOWN,
    FiledColumns,
    changed_facts,
    correction_rates,
    filed_columns,
    filing_summary,
    first_filings,
    grouped,
    ocr_distribution,
    rows_by,
    take,
)
from archive.analysis.period import Period, bucket_label, parse_at
from archive.analysis.rows import (  # noqa: F401  (the row types are part of this module's interface)
    Change,
    Duplicate,
    Failure,
    Filing,
    History,
    OpenedFromSearch,
    Review,
    Search,
    SearchDay,
    ViewDay,
)
from archive.clock import iso

# Field getters that run in C: the loops over a quarter's entries are map(), sorted() and Counter().
# Every entry row has its timestamp second, a filing its filed_at third: by position, the getters
# read named tuples and the plain tuples the loader passes alike (see History).
_SEQ, _ACTOR = attrgetter("seq"), attrgetter("actor")
_AT, _FILED_AT, _DAY = itemgetter(1), itemgetter(2), itemgetter(slice(0, 10))


# -- reviews, searches, views --------------------------------------------------------


def first_reviews(reviews: Sequence[Review]) -> list[Review]:
    """Return each document's first review of the period."""
    seen: set[int] = set()
    first = []
    for review in sorted(reviews, key=lambda r: r.seq):
        if review.document_id not in seen:
            seen.add(review.document_id)
            first.append(review)
    return first


def searches_opened(searches: Sequence[Search], opened_views: Sequence[OpenedFromSearch]) -> set[int]:
    """Return the seqs of searches after which the same user opened a result before searching again."""
    searched = {actor: sorted(map(_SEQ, group)) for actor, group in groupby(sorted(searches, key=_ACTOR), _ACTOR)}
    opened: set[int] = set()
    for actor, views in groupby(sorted(opened_views, key=_ACTOR), _ACTOR):
        seqs = searched.get(actor, [])
        # How many of that user's searches came strictly before each view: the last of them led to it.
        before = set(map(bisect_left, repeat(seqs), map(_SEQ, views)))
        opened.update(seqs[n - 1] for n in before if n)
    return opened


def search_days(searches: Sequence[Search], opened_views: Sequence[OpenedFromSearch]) -> list[SearchDay]:
    """Return the searches counted per day (what the database counts for a loaded period)."""
    opened = searches_opened(searches, opened_views)
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for search in searches:
        counts = days[search.at[:10]]
        counts[0] += 1
        counts[1] += not search.total
        counts[2] += search.seq in opened
    return [SearchDay(day, *counts) for day, counts in sorted(days.items())]


def search_summary(days: Sequence[SearchDay], period_days: int) -> dict:
    """Return searches, searches per day, and the share after which a result was opened."""
    total, opened = sum(d.searches for d in days), sum(d.opened for d in days)
    return {
        "total": total,
        "per_day": round(total / period_days, 2) if period_days else None,
        "zero_results": sum(d.zero_results for d in days),
        "opened": opened,
        "opened_rate": rate(opened, total),
    }


def retrieval_summary(view_days: Sequence[ViewDay]) -> dict:
    """Return documents opened per client visit-day: distinct (client, day, document) / distinct (client, day)."""
    visit_days = sum(v.visit_days for v in view_days)
    documents = sum(v.documents_viewed for v in view_days)
    return {
        "views": sum(v.views for v in view_days),
        "visit_days": visit_days,
        "documents_viewed": documents,
        "documents_per_visit_day": round(documents / visit_days, 2) if visit_days else None,
    }


# -- the whole analysis -------------------------------------------------------------


def within(items: Sequence, start: str, end: str, stamp: itemgetter = _AT) -> list:
    """Return the items whose timestamp falls in [start, end) (all of them, without a loop, when they do)."""
    stamps = list(map(stamp, items))
    if not stamps or (start <= min(stamps) and max(stamps) < end):
        return list(items)  # as loaded: the database already kept to the period
    return [item for item, at in zip(items, stamps) if start <= at < end]


def compute(history: History, period: Period, now: datetime) -> dict:
    """Return every figure of the front-office analysis for the period (see the README)."""
    start, end = period.start, period.end
    filed = filed_columns(first_filings(within(history.filings, start, end, _FILED_AT)))
    now_at = iso(now)
    changes = _real_changes(history.changes, now_at)
    changed = changed_facts(filed, changes)
    corrected, correction_rate = correction_rates(filed, changed)
    reviews = first_reviews(within(history.reviews, start, end))
    failures, duplicates = within(history.failures, start, end), within(history.duplicates, start, end)
    first_day, last_day = period.since.isoformat(), period.until.isoformat()
    view_days = [v for v in history.view_days if first_day <= v.day <= last_day]
    searched = [d for d in _search_days(history, start, end) if first_day <= d.day <= last_day]
    return {
        "period": period.to_json(),
        "generated_at": now_at,
        **filing_summary(filed, changed),
        "by_clerk": _by_clerk(filed, reviews, changed),
        "by_channel": grouped(filed, filed.channel, changed),
        "needed_review": sum(map(bool, filed.needed_review)),
        "arrival_to_reviewed_seconds": duration_summary(seconds_between(r.arrived_at, r.at) for r in reviews),
        "corrected": corrected,
        "correction_rate": correction_rate,
        "review_queue": _queue(history, now),
        "failed": len(failures),
        "failed_by_reason": dict(Counter(f.reason for f in failures).most_common()),
        "failed_reasons": failure_reasons(failures),
        "ocr_confidence": ocr_distribution(filed),
        "duplicates": len(duplicates),
        "duplicates_by_channel": dict(sorted(Counter(d.channel or UNKNOWN for d in duplicates).items())),
        "searches": search_summary(searched, period.days),
        "retrieval": retrieval_summary(view_days),
        "series": _series(
            period,
            filed,
            {
                "reviewed": reviews,
                "failed": failures,
                "duplicates": duplicates,
                "corrections": within(changes, start, end),
            },
            view_days,
            searched,
        ),
    }


def _real_changes(changes: Sequence[Change], now_at: str) -> list[Change]:
    """Return the changes made up to now that really changed a fact (before ≠ after)."""
    return [change for change in changes if change[1] <= now_at and change[4] != change[5]]  # at; before, after


def _search_days(history: History, start: str, end: str) -> Sequence[SearchDay]:
    if history.search_days is not None:
        return history.search_days
    return search_days(within(history.searches, start, end), within(history.opened_from_search, start, end))


def _by_clerk(filed: FiledColumns, reviews: Sequence[Review], changed: dict[int, set[str]]) -> dict:
    clerks = grouped(filed, filed.clerk, changed)
    reviewed = Counter(r.actor for r in reviews)
    for name in reviewed.keys() - clerks.keys():
        clerks[name] = filing_summary(filed, changed, [])
    for name, summary in clerks.items():
        summary["reviewed"] = reviewed.get(name, 0)
    return dict(sorted(clerks.items()))


def _queue(history: History, now: datetime) -> dict:
    oldest = history.queue_oldest
    age = round((now - parse_at(oldest)).total_seconds(), 3) if oldest else None
    return {"size": history.queue_size, "oldest_age_seconds": age, "oldest_arrived_at": oldest}


def _series(
    period: Period,
    filed: FiledColumns,
    counted: dict[str, Sequence],
    view_days: Sequence[ViewDay],
    search_days: Sequence[SearchDay],
) -> list[dict]:
    """Return one row per day, week or month of the period, empty ones included.

    ``counted`` names the entries counted per row (each has ``at``).
    """
    rows = {label: _empty_row(label) for label in period.buckets()}
    # One dictionary look-up per day (its first 10 characters) to its bucket's row.
    row_of = {day: rows[bucket_label(day, period.by)] for day in period.day_labels()}
    label_of = {day: row["period"] for day, row in row_of.items()}
    for label, members in rows_by(list(map(label_of.__getitem__, map(_DAY, filed.filed_at)))).items():
        row, durations = rows[label], duration_summary(take(filed.waited, members))
        row["filed"], row["pages"] = len(members), sum(take(filed.pages, members))
        row["by_type"] = dict(Counter(take(filed.document_type, members)))
        row["arrival_to_filed_p50"], row["arrival_to_filed_p90"] = durations["p50"], durations["p90"]
    for name, items in counted.items():
        for day, count in Counter(map(_DAY, map(_AT, items))).items():
            row_of[day][name] += count
    for v in view_days:
        row = row_of[v.day]
        row["views"] += v.views
        row["visit_days"] += v.visit_days
        row["documents_viewed"] += v.documents_viewed
    for d in search_days:
        row = row_of[d.day]
        row["searches"] += d.searches
        row["searches_opened"] += d.opened
    return list(rows.values())


def _empty_row(label: str) -> dict:
    return {
        "period": label,
        "filed": 0,
        "pages": 0,
        "by_type": {},
        "reviewed": 0,
        "corrections": 0,
        "failed": 0,
        "duplicates": 0,
        "searches": 0,
        "searches_opened": 0,
        "views": 0,
        "visit_days": 0,
        "documents_viewed": 0,
        "arrival_to_filed_p50": None,
        "arrival_to_filed_p90": None,
    }


def failure_reasons(failures: Sequence[Failure]) -> list[dict]:
    """Return the failures grouped by reason, most frequent first, each with its message to word it.

    ``message`` is the reason as the archive raised it (code, template, values), or None
    for an entry written before failures kept one: that reason is shown as stored.
    """
    counts = Counter(f.reason for f in failures)
    messages: dict[str, dict | None] = {}
    for failure in failures:
        if messages.get(failure.reason) is None:
            messages[failure.reason] = _message(failure.message)
    return [{"reason": reason, "message": messages[reason], "count": count} for reason, count in counts.most_common()]


def _message(text: str | None) -> dict | None:
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("template"), str) else None
