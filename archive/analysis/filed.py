"""The period's filings as columns: filed, pages, types, waiting times, corrections, OCR.

A quarter holds some 20,000 filings and every figure is broken down several ways (total,
clerk, channel, day). The filings are turned into columns once; each breakdown is a list
of row numbers, and its figures are sums, counts and sorts over the picked columns —
loops that run in C rather than a Python loop per filing per breakdown. Pure, like
``archive.stats``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from itertools import groupby
from operator import itemgetter, sub
from typing import NamedTuple

from archive.analysis.exact import duration_summary, percentile, rate
from archive.analysis.rows import Change, Filing

# The facts a clerk corrects, under the names the analysis reports them by.
FACT_KEYS = {
    "client_id": "client",
    "client": "client",
    "document_type": "type",
    "type": "type",
    "document_date": "date",
    "date": "date",
    "amount": "amount",
}
REPORTED_FACTS = ("client", "type", "date", "amount")
UNKNOWN = "unknown"
OCR_BIN_WIDTH = 10


class FiledColumns(NamedTuple):
    """The period's first filings as columns, one tuple per field in the same row order."""

    seq: tuple[int, ...]
    document_id: tuple[int, ...]
    filed_at: tuple[str, ...]
    clerk: tuple[str, ...]  # UNKNOWN where missing
    channel: tuple[str, ...]  # UNKNOWN where missing
    pages: tuple[int, ...]
    document_type: tuple[str, ...]  # UNKNOWN where missing
    ocr_confidence: tuple[float | None, ...]
    needed_review: tuple[bool, ...]
    waited: tuple[float, ...]  # seconds from arrival to filed


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


def take(column: tuple, rows: Sequence[int] | None) -> tuple:
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
    for seq, _, document_id, fact, before, after in changes:  # a Change or a plain tuple in its order
        after_seq = filed_seq.get(document_id)
        if after_seq is not None and seq > after_seq and before != after:
            changed[document_id].add(FACT_KEYS.get(fact, fact))
    return changed


def first_filings(filings: Iterable[Filing]) -> list[Filing]:
    """Return each document's first filing (a document filed again after a repair counts once)."""
    filings = list(filings)  # Filings or plain tuples in their order: read by position
    if len(set(map(itemgetter(1), filings))) == len(filings):
        return filings  # the usual case: nothing filed twice
    first: dict[int, Filing] = {}
    for f in filings:
        seq, document_id = f[0], f[1]
        if document_id not in first or seq < first[document_id][0]:
            first[document_id] = f
    return list(first.values())


def filing_summary(columns: FiledColumns, changed: Collection[int], rows: Sequence[int] | None = None) -> dict:
    """Return filed, pages, by type, arrival-to-filed and the automatic filing rate of the rows (None: all)."""
    ids = take(columns.document_id, rows)
    auto = len(ids) - len(set(ids).intersection(changed))  # a document appears once among first filings
    return {
        "filed": len(ids),
        "pages": sum(take(columns.pages, rows)),
        "by_type": dict(sorted(Counter(take(columns.document_type, rows)).items())),
        "arrival_to_filed_seconds": duration_summary(take(columns.waited, rows)),
        "auto_filed": auto,
        "auto_filed_rate": rate(auto, len(ids)),
    }


def correction_rates(columns: FiledColumns, changed: dict[int, set[str]]) -> tuple[dict, dict]:
    """Return (documents corrected, correction rate) per fact among the filings."""
    counts: Counter[str] = Counter(dict.fromkeys(REPORTED_FACTS, 0))
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
        "count": len(values),
        "no_ocr": len(columns.ocr_confidence) - len(values),
        "p50": percentile(values, 50),
        "bins": [{"from": i * OCR_BIN_WIDTH, "to": (i + 1) * OCR_BIN_WIDTH, "count": n} for i, n in enumerate(bins)],
    }


def grouped(columns: FiledColumns, keys: tuple[str, ...], changed: Collection[int]) -> dict[str, dict]:
    """Return a filing summary per value of a column (clerks or channels), by name."""
    return {name: filing_summary(columns, changed, rows) for name, rows in sorted(rows_by(keys).items())}
