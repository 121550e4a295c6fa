"""Batched background index writes: everything submitted is written, errors surface."""

from __future__ import annotations

import threading

import pytest

from archive.documents.index_feeder import IndexFeeder


def test_flush_waits_until_everything_is_written() -> None:
    written: list[list[int]] = []
    gate = threading.Event()

    def write(ids: list[int]) -> None:
        gate.wait(5)
        written.append(ids)

    feeder = IndexFeeder(write)
    feeder.submit([1])
    feeder.submit([2, 3])
    gate.set()
    feeder.flush()
    assert sorted(i for batch in written for i in batch) == [1, 2, 3]
    feeder.close()


def test_documents_submitted_during_a_commit_share_the_next_one() -> None:
    batches: list[list[int]] = []
    first_started, release = threading.Event(), threading.Event()

    def write(ids: list[int]) -> None:
        batches.append(ids)
        first_started.set()
        release.wait(5)

    feeder = IndexFeeder(write)
    feeder.submit([1])
    first_started.wait(5)
    feeder.submit([2])
    feeder.submit([3])
    release.set()
    feeder.flush()
    feeder.close()
    assert batches == [[1], [2, 3]]


def test_a_write_error_is_raised_by_flush_and_writing_goes_on() -> None:
    calls: list[list[int]] = []

    def write(ids: list[int]) -> None:
        calls.append(ids)
        if ids == [1]:
            raise OSError("disk full")

    feeder = IndexFeeder(write)
    feeder.submit([1])
    with pytest.raises(OSError, match="disk full"):
        feeder.flush()
    feeder.submit([2])
    feeder.flush()
    feeder.close()
    assert calls == [[1], [2]]


def test_close_writes_what_is_pending() -> None:
    written: list[int] = []
    feeder = IndexFeeder(lambda ids: written.extend(ids))
    feeder.submit([7, 8])
    feeder.close()
    assert written == [7, 8]


def test_a_busy_or_damaged_index_is_a_sentence_not_a_traceback(archive, monkeypatch) -> None:
    from archive.access.actors import SYSTEM
    from archive.errors import SearchUnavailable
    from search import SearchRequest
    from search.errors import IndexBusy

    def busy(request):
        raise IndexBusy("the index writer lock timed out")

    monkeypatch.setattr(archive.index, "search", busy)
    with pytest.raises(SearchUnavailable, match="not possible right now"):
        archive.search(SearchRequest(query="factuur"), SYSTEM)


def test_documents_of_a_batch_gather_longer_into_one_commit_and_a_flush_does_not_wait() -> None:
    batches: list[list[int]] = []
    written = threading.Event()

    def write(ids: list[int]) -> None:
        batches.append(ids)
        written.set()

    feeder = IndexFeeder(write, linger=0.01)
    with feeder.lingering(30.0):
        feeder.submit([1])
        assert not written.wait(0.3)  # well past the usual linger: still gathering
        feeder.submit([2])
        feeder.flush()  # someone searches: written now, not after the batch's linger
        assert batches == [[1, 2]]
    feeder.submit([3])
    assert written.wait(5)
    feeder.flush()
    feeder.close()
    assert batches == [[1, 2], [3]]
