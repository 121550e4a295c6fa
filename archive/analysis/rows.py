"""The rows one period's analysis reads: plain named tuples, filled by ``archive.analysis.load``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Filing(NamedTuple):
    """A document's first "file" entry in the period, with its row's facts."""

    seq: int
    document_id: int
    filed_at: str
    arrived_at: str  # documents.created_at: when its bytes were received
    clerk: str  # documents.created_by: who brought it in
    channel: str  # inbox | upload | api | cli
    pages: int
    document_type: str | None
    ocr_confidence: float | None
    needed_review: bool  # as filed: the review queue got it


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
    reason: str  # the English sentence the entry holds
    message: str | None = None  # the same as a message (JSON), to word it in each language; none in older entries


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

    Filings and changes, the numerous rows, are read by position: the loader passes the
    database's plain tuples in the fields' order. Python's garbage collector stops tracking a
    plain tuple of plain values, but scans named tuples on every full collection — some
    30,000 of them a quarter cost more than the figures themselves.
    """

    filings: Sequence[Filing]
    changes: Sequence[Change]
    reviews: Sequence[Review]
    failures: Sequence[Failure]
    duplicates: Sequence[Duplicate]
    searches: Sequence[Search]
    opened_from_search: Sequence[OpenedFromSearch]
    view_days: Sequence[ViewDay]
    queue_size: int  # filed documents waiting for review now
    queue_oldest: str | None  # arrival of the oldest of them
    search_days: Sequence[SearchDay] | None = None
