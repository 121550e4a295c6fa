"""Per-document values as arrays, for filters, facets and date order without Whoosh.

Whoosh evaluates date ranges and facet counts document by document in Python, its
slowest paths. Instead each segment's columns (type, client, state, date, amount) are
read once into numpy arrays — segments never change, so the arrays are cached by
segment — and a search then filters, counts and sorts its matching documents with a
few vectorised operations.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Iterable

import numpy as np

from search.schema import NO_AMOUNT, NO_DATE

CODED = {"type": "type", "client": "client_id", "state": "state"}  # array -> column


class Vocabulary:
    """Codes for the distinct values of the coded columns; code 0 is 'no value'."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {"": 0}
        self.values: list[str] = [""]
        self._lock = threading.Lock()

    def code(self, value: str) -> int:
        """Return the code of ``value``, adding it when new."""
        found = self._codes.get(value)
        if found is None:
            with self._lock:
                found = self._codes.setdefault(value, len(self.values))
                if found == len(self.values):
                    self.values.append(value)
        return found

    def codes(self, values: Iterable[str]) -> np.ndarray:
        """Return the codes of known ``values`` (unknown ones are left out)."""
        return np.array([self._codes[v] for v in values if v in self._codes], dtype=np.int32)


@dataclass(frozen=True)
class SegmentColumns:
    """The column values of one segment, indexed by the segment's document number."""

    type: np.ndarray
    client: np.ndarray
    state: np.ndarray
    date: np.ndarray  # day ordinal, NO_DATE when unknown
    amount: np.ndarray  # cents, NO_AMOUNT when unknown
    docid: np.ndarray  # the archive's document id


@dataclass(frozen=True)
class DocTable:
    """Column values of every document of one searcher, plus which are live."""

    type: np.ndarray
    client: np.ndarray
    state: np.ndarray
    date: np.ndarray
    amount: np.ndarray
    docid: np.ndarray
    live: np.ndarray  # False for deleted documents

    @property
    def size(self) -> int:
        return len(self.live)


def read_segment(reader, vocabulary: Vocabulary) -> SegmentColumns:
    """Return the arrays of one segment reader (slow: once per segment)."""
    coded = {
        name: np.fromiter((vocabulary.code(_text(v)) for v in reader.column_reader(column)), dtype=np.int32)
        for name, column in CODED.items()
    }
    return SegmentColumns(
        date=np.fromiter(reader.column_reader("date"), dtype=np.int64),
        amount=np.fromiter(reader.column_reader("amount"), dtype=np.int64),
        docid=np.fromiter(reader.column_reader("docid"), dtype=np.int64),
        **coded,
    )


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def build_table(reader, cache: dict, vocabulary: Vocabulary) -> DocTable:
    """Return the DocTable of ``reader``, reusing cached segment arrays; prunes ``cache``."""
    parts: list[SegmentColumns] = []
    live: list[np.ndarray] = []
    keep = set()
    for sub, _offset in reader.leaf_readers():
        if sub.segment() is None:  # an empty index has a reader without segments
            continue
        key = (sub.segment().segment_id(), sub.doc_count_all())
        keep.add(key)
        if key not in cache:
            cache[key] = read_segment(sub, vocabulary)
        parts.append(cache[key])
        alive = np.ones(sub.doc_count_all(), dtype=bool)
        deleted = sub.deleted_docs_set if sub.has_deletions() else ()
        if deleted:
            alive[np.fromiter(deleted, dtype=np.int64)] = False
        live.append(alive)
    for key in set(cache) - keep:
        del cache[key]
    return _concatenate(parts, live)


def _concatenate(parts: list[SegmentColumns], live: list[np.ndarray]) -> DocTable:
    def joined(name: str, dtype) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts]) if parts else np.zeros(0, dtype)

    return DocTable(
        type=joined("type", np.int32),
        client=joined("client", np.int32),
        state=joined("state", np.int32),
        date=joined("date", np.int64),
        amount=joined("amount", np.int64),
        docid=joined("docid", np.int64),
        live=np.concatenate(live) if live else np.zeros(0, bool),
    )


def date_mask(table: DocTable, start: date, end: date) -> np.ndarray:
    """Return which documents have a document date within [start, end]."""
    return (table.date >= start.toordinal()) & (table.date <= end.toordinal()) & (table.date != NO_DATE)


def amount_mask(
    table: DocTable, low: int | None, high: int | None, low_inclusive: bool, high_inclusive: bool
) -> np.ndarray:
    """Return which documents have an amount (in cents) within the bounds."""
    mask = table.amount != NO_AMOUNT
    if low is not None:
        mask &= (table.amount >= low) if low_inclusive else (table.amount > low)
    if high is not None:
        mask &= (table.amount <= high) if high_inclusive else (table.amount < high)
    return mask


def years(table: DocTable, docnums: np.ndarray) -> np.ndarray:
    """Return the year of each document's date (0 when unknown)."""
    ordinals = table.date[docnums]
    # numpy's datetime64 counts days from 1970-01-01, which is ordinal 719163.
    days = (ordinals - 719163).astype("datetime64[D]")
    result = days.astype("datetime64[Y]").astype(np.int64) + 1970
    result[ordinals == NO_DATE] = 0
    return result
