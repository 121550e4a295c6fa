"""Front-office analysis: every figure, computed from the period's audit entries and rows.

Pure: the caller loads a ``History`` (plain rows, see ``archive.stats_load``) and passes
"now" in. Nothing is estimated or sampled. Timestamps stay audit-trail strings
(``2026-11-27T09:00:00.000000Z``), which sort and slice by day as they are; only the
durations parse them.

Percentiles are nearest-rank: of n values sorted ascending, the p-th percentile is
the value at rank ceil(p/100 * n) (1-based); there is none for n = 0. It is always one
of the measured values, never interpolated.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from itertools import groupby, repeat
from operator import attrgetter, itemgetter, sub
from typing import NamedTuple

from archive.clock import iso
from archive.stats_period import Period, bucket_label, parse_at

# The facts a clerk corrects, under the names the analysis reports them by.
FACT_KEYS = {
    "client_id": "client", "client": "client", "document_type": "type", "type": "type",
    "document_date": "date", "date": "date", "amount": "amount",
}
REPORTED_FACTS = ("client", "type", "date", "amount")
# Field getters that run in C: the loops over a quarter's entries are map(), sorted() and Counter().
_SEQ, _AT, _ACTOR, _DAY = attrgetter("seq"), attrgetter("at"), attrgetter("actor"), itemgetter(slice(0, 10))
UNKNOWN = "unknown"
OCR_BIN_WIDTH = 10


class Filing(NamedTuple):
    """A document's first "file" entry in the period, with its row's facts."""

    seq: int
    document_id: int
    filed_at: str
    arrived_at: str          # documents.created_at: when its bytes were received
    clerk: str               # documents.created_by: who brought it in
    channel: str             # inbox | upload | api | cli
    pages: int
    document_type: str | None
    ocr_confidence: float | None
    needed_review: bool      # as filed: the review queue got it


class Change(NamedTuple):
    """A "change" entry: one fact of a filed document corrected."""

    seq: int
    at: str
    document_id: int
    fact: str
    before: object
    after: object


class Review(NamedTuple):
    """A "review_done" entry: a clerk cleared a review item."""

    seq: int
    at: str
    actor: str
    document_id: int
    arrived_at: str


class Failure(NamedTuple):
    seq: int
    at: str
    reason: str


class Duplicate(NamedTuple):
    seq: int
    at: str
    channel: str


class Search(NamedTuple):
    seq: int
    at: str
    actor: str
    total: int


class OpenedFromSearch(NamedTuple):
    """A "view" entry with ``from_search``: a document opened from a result list."""

    seq: int
    at: str
    actor: str


class ViewDay(NamedTuple):
    """One day's views (counted in the database: views are the most numerous entries).

    Visit-days are distinct (client, day) pairs with views, documents distinct (client, day,
    document): both include the day, so the figures of several days simply add up.
    """

    day: str
    views: int
    visit_days: int
    documents_viewed: int


class SearchDay(NamedTuple):
    """One day's searches: how many, how many found nothing, after how many a result was opened."""

    day: str
    searches: int
    zero_results: int
    opened: int


class History(NamedTuple):
    """What one period's analysis reads. Changes run from the period's start to now.

    Searches come either as rows (``searches`` and ``opened_from_search``) or, as the
    database counts them, as ``search_days`` (then the rows are not read).
    """

    filings: Sequence[Filing]
    changes: Sequence[Change]
    reviews: Sequence[Review]
    failures: Sequence[Failure]
    duplicates: Sequence[Duplicate]
    searches: Sequence[Search]
    opened_from_search: Sequence[OpenedFromSearch]
    view_days: Sequence[ViewDay]
    queue_size: int              # filed documents waiting for review now
    queue_oldest: str | None     # arrival of the oldest of them
    search_days: Sequence[SearchDay] | None = None


# -- small exact helpers --------------------------------------------------------

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
    return {"count": len(values), "p50": None if p50 is None else round(p50, 3),
            "p90": None if p90 is None else round(p90, 3)}


# -- filings ----------------------------------------------------------------------
#
# A quarter holds some 20,000 filings and every figure is broken down several ways (total,
# clerk, channel, day). The filings are turned into columns once; each breakdown is a list
# of row numbers, and its figures are sums, counts and sorts over the picked columns —
# loops that run in C rather than a Python loop per filing per breakdown.

class FiledColumns(NamedTuple):
    """The period's first filings as columns, one tuple per field in the same row order."""

    seq: tuple[int, ...]
    document_id: tuple[int, ...]
    filed_at: tuple[str, ...]
    clerk: tuple[str, ...]                  # UNKNOWN where missing
    channel: tuple[str, ...]                # UNKNOWN where missing
    pages: tuple[int, ...]
    document_type: tuple[str, ...]          # UNKNOWN where missing
    ocr_confidence: tuple[float | None, ...]
    needed_review: tuple[bool, ...]
    waited: tuple[float, ...]               # seconds from arrival to filed


def filed_columns(filings: Sequence[Filing]) -> FiledColumns:
    """Return the filings as columns, with each one's seconds from arrival to filed."""
    if not filings:
        return FiledColumns(*([()] * len(FiledColumns._fields)))
    seq, ids, filed, arrived, clerks, channels, pages, kinds, ocr, review = zip(*filings)
    parse = datetime.fromisoformat  # Python 3.11 reads the trailing Z
    waited = tuple(map(timedelta.total_seconds, map(sub, map(parse, filed), map(parse, arrived))))
    return FiledColumns(seq, ids, filed, _named(clerks), _named(channels), pages, _named(kinds), ocr, review, waited)


def _named(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple([value or UNKNOWN for value in values])


def _take(column: tuple, rows: Sequence[int] | None) -> tuple:
    """Return the column's values at the given row numbers (all of them for None)."""
    if rows is None:
        return column
    if len(rows) < 2:
        return tuple(column[row] for row in rows)  # itemgetter wants two to return a tuple
    return itemgetter(*rows)(column)


def rows_by(keys: Sequence[str]) -> dict[str, list[int]]:
    """Return the row numbers of each distinct key (keys sorted, row numbers ascending)."""
    order = sorted(range(len(keys)), key=keys.__getitem__)  # stable: rows stay in order within a key
    return {key: list(rows) for key, rows in groupby(order, key=keys.__getitem__)}


def changed_facts(columns: FiledColumns, changes: Sequence[Change]) -> dict[int, set[str]]:
    """Return, per filed document, the facts (reported names) really changed after its filing."""
    filed_seq = dict(zip(columns.document_id, columns.seq))
    changed: dict[int, set[str]] = defaultdict(set)
    for change in changes:
        after_seq = filed_seq.get(change.document_id)
        if after_seq is not None and change.seq > after_seq and change.before != change.after:
            changed[change.document_id].add(FACT_KEYS.get(change.fact, change.fact))
    return changed


def first_filings(filings: Iterable[Filing]) -> list[Filing]:
    """Return each document's first filing (a document filed again after a repair counts once)."""
    filings = list(filings)
    if len(set(map(attrgetter("document_id"), filings))) == len(filings):
        return filings  # the usual case: nothing filed twice
    first: dict[int, Filing] = {}
    for f in filings:
        if f.document_id not in first or f.seq < first[f.document_id].seq:
            first[f.document_id] = f
    return list(first.values())


def filing_summary(columns: FiledColumns, changed: Collection[int], rows: Sequence[int] | None = None) -> dict:
    """Return filed, pages, by type, arrival-to-filed and the automatic filing rate of the rows (None: all)."""
    ids = _take(columns.document_id, rows)
    auto = len(ids) - len(set(ids).intersection(changed))  # a document appears once among first filings
    return {
        "filed": len(ids), "pages": sum(_take(columns.pages, rows)),
        "by_type": dict(sorted(Counter(_take(columns.document_type, rows)).items())),
        "arrival_to_filed_seconds": duration_summary(_take(columns.waited, rows)),
        "auto_filed": auto, "auto_filed_rate": rate(auto, len(ids)),
    }


def correction_rates(columns: FiledColumns, changed: dict[int, set[str]]) -> tuple[dict, dict]:
    """Return (documents corrected, correction rate) per fact among the filings."""
    counts: Counter[str] = Counter({fact: 0 for fact in REPORTED_FACTS})
    cohort = set(columns.document_id)
    counts.update(fact for document_id, facts in changed.items() if document_id in cohort for fact in facts)
    corrected = dict(counts)
    return corrected, {fact: rate(n, len(cohort)) for fact, n in corrected.items()}


def ocr_distribution(columns: FiledColumns) -> dict:
    """Return OCR mean confidences of the filings in bins of 10 points, with their median."""
    values = sorted([value for value in columns.ocr_confidence if value is not None])
    bins = [0] * (100 // OCR_BIN_WIDTH)
    below_zero = bisect_left(values, 0)
    for value in values[:below_zero]:  # never seen; counted by the same rule as ever
        bins[min(int(value // OCR_BIN_WIDTH), len(bins) - 1)] += 1
    # The values are sorted, so each bin is a slice: its edges are found by bisection.
    edges = [bisect_left(values, i * OCR_BIN_WIDTH) for i in range(len(bins))] + [len(values)]
    for i in range(len(bins)):
        bins[i] += edges[i + 1] - edges[i]
    return {
        "count": len(values), "no_ocr": len(columns.ocr_confidence) - len(values), "p50": percentile(values, 50),
        "bins": [{"from": i * OCR_BIN_WIDTH, "to": (i + 1) * OCR_BIN_WIDTH, "count": n} for i, n in enumerate(bins)],
    }


def grouped(columns: FiledColumns, keys: tuple[str, ...], changed: Collection[int]) -> dict[str, dict]:
    """Return a filing summary per value of a column (clerks or channels), by name."""
    return {name: filing_summary(columns, changed, rows) for name, rows in sorted(rows_by(keys).items())}


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
        "total": total, "per_day": round(total / period_days, 2) if period_days else None,
        "zero_results": sum(d.zero_results for d in days),
        "opened": opened, "opened_rate": rate(opened, total),
    }


def retrieval_summary(view_days: Sequence[ViewDay]) -> dict:
    """Return documents opened per client visit-day: distinct (client, day, document) / distinct (client, day)."""
    visit_days = sum(v.visit_days for v in view_days)
    documents = sum(v.documents_viewed for v in view_days)
    return {"views": sum(v.views for v in view_days), "visit_days": visit_days, "documents_viewed": documents,
            "documents_per_visit_day": round(documents / visit_days, 2) if visit_days else None}


# -- the whole analysis -------------------------------------------------------------

def within(items: Sequence, start: str, end: str, field: str = "at") -> list:
    """Return the items whose timestamp falls in [start, end) (all of them, without a loop, when they do)."""
    stamps = list(map(attrgetter(field), items))
    if not stamps or (start <= min(stamps) and max(stamps) < end):
        return list(items)  # as loaded: the database already kept to the period
    return [item for item, at in zip(items, stamps) if start <= at < end]


def compute(history: History, period: Period, now: datetime) -> dict:
    """Return every figure of the front-office analysis for the period (see the README)."""
    start, end = period.start, period.end
    filed = filed_columns(first_filings(within(history.filings, start, end, "filed_at")))
    now_at = iso(now)
    changes = [c for c in history.changes if c.at <= now_at and c.before != c.after]
    changed = changed_facts(filed, changes)
    corrected, correction_rate = correction_rates(filed, changed)
    reviews = first_reviews(within(history.reviews, start, end))
    failures, duplicates = within(history.failures, start, end), within(history.duplicates, start, end)
    first_day, last_day = period.since.isoformat(), period.until.isoformat()
    view_days = [v for v in history.view_days if first_day <= v.day <= last_day]
    searches = [d for d in _search_days(history, start, end) if first_day <= d.day <= last_day]
    return {
        "period": period.to_json(), "generated_at": now_at,
        **filing_summary(filed, changed),
        "by_clerk": _by_clerk(filed, reviews, changed),
        "by_channel": grouped(filed, filed.channel, changed),
        "needed_review": sum(map(bool, filed.needed_review)),
        "arrival_to_reviewed_seconds": duration_summary(seconds_between(r.arrived_at, r.at) for r in reviews),
        "corrected": corrected, "correction_rate": correction_rate,
        "review_queue": _queue(history, now),
        "failed": len(failures),
        "failed_by_reason": dict(Counter(f.reason for f in failures).most_common()),
        "ocr_confidence": ocr_distribution(filed),
        "duplicates": len(duplicates),
        "duplicates_by_channel": dict(sorted(Counter(d.channel or UNKNOWN for d in duplicates).items())),
        "searches": search_summary(searches, period.days),
        "retrieval": retrieval_summary(view_days),
        "series": _series(period, filed, {"reviewed": reviews, "failed": failures, "duplicates": duplicates,
                                          "corrections": within(changes, start, end)},
                          view_days, searches),
    }


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


def _series(period: Period, filed: FiledColumns, counted: dict[str, Sequence], view_days: Sequence[ViewDay],
            search_days: Sequence[SearchDay]) -> list[dict]:
    """Return one row per day, week or month of the period, empty ones included.

    ``counted`` names the entries counted per row (each has ``at``).
    """
    rows = {label: _empty_row(label) for label in period.buckets()}
    # One dictionary look-up per day (its first 10 characters) to its bucket's row.
    row_of = {day: rows[bucket_label(day, period.by)] for day in period.day_labels()}
    label_of = {day: row["period"] for day, row in row_of.items()}
    for label, members in rows_by(list(map(label_of.__getitem__, map(_DAY, filed.filed_at)))).items():
        row, durations = rows[label], duration_summary(_take(filed.waited, members))
        row["filed"], row["pages"] = len(members), sum(_take(filed.pages, members))
        row["by_type"] = dict(Counter(_take(filed.document_type, members)))
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
    return {"period": label, "filed": 0, "pages": 0, "by_type": {}, "reviewed": 0, "corrections": 0,
            "failed": 0, "duplicates": 0, "searches": 0, "searches_opened": 0, "views": 0, "visit_days": 0,
            "documents_viewed": 0,
            "arrival_to_filed_p50": None, "arrival_to_filed_p90": None}
