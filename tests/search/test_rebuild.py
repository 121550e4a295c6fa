"""rebuild_index: beside the live index, swapped in atomically, resumable, bounded batches."""

from __future__ import annotations

import pytest

from search import SearchIndex, SearchRequest, rebuild_index
from tests.search.conftest import VALUES, make_document


def documents(numbers, word="herbouwd"):
    return [make_document(n, f"{word} {n}", client_id="K-1") for n in numbers]


def test_rebuild_replaces_the_contents_and_reports_progress(tmp_path, settings):
    path = tmp_path / "index"
    with SearchIndex.open(path, settings, values=VALUES) as index:
        index.upsert(documents([1, 2], word="oud"))
    steps = []
    rebuild_index(path, settings, documents(range(1, 8)), 7, steps.append)
    assert sum(steps) == 7
    with SearchIndex.open(path, settings, values=VALUES) as index:
        assert index.document_ids() == set(range(1, 8))
        assert index.search(SearchRequest("oud")).total == 0
        assert index.search(SearchRequest("herbouwd")).total == 7
    assert len(list(path.glob("gen-*"))) == 1 and not (path / "build").exists()


def test_searches_keep_working_during_a_rebuild_and_see_the_new_index_after(tmp_path, settings):
    path = tmp_path / "index"
    live = SearchIndex.open(path, settings, values=VALUES)
    live.upsert(documents([1], word="oud"))
    answers = []

    def slow_documents():
        for document in documents(range(10, 16)):
            answers.append(live.search(SearchRequest("oud")).total)  # mid-rebuild
            yield document

    rebuild_index(path, settings, slow_documents(), 6)
    assert answers == [1] * 6
    assert live.search(SearchRequest("herbouwd")).total == 6
    assert live.search(SearchRequest("oud")).total == 0
    live.upsert(documents([99], word="daarna"))  # writes go to the new generation
    assert live.document_ids() == set(range(10, 16)) | {99}
    live.close()


def test_an_interrupted_rebuild_resumes_after_the_last_batch(tmp_path, settings):
    path = tmp_path / "index"
    with SearchIndex.open(path, settings, values=VALUES) as index:
        index.upsert(documents([1], word="oud"))

    def failing():
        yield from documents(range(1, 8))  # batches of 3: 1-3 and 4-6 are committed
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rebuild_index(path, settings, failing(), 10)
    with SearchIndex.open(path, settings, values=VALUES) as index:  # the live index is untouched
        assert index.document_ids() == {1} and index.search(SearchRequest("oud")).total == 1

    written = []

    def counting():
        for document in documents([2, 3, 4, 5, 6, 8, 9]):  # 1 and 7 were disposed meanwhile
            written.append(document.id)
            yield document

    rebuild_index(path, settings, counting(), 7)
    with SearchIndex.open(path, settings, values=VALUES) as index:
        assert index.document_ids() == {2, 3, 4, 5, 6, 8, 9}
        assert index.search(SearchRequest("herbouwd")).total == 7


def test_rebuild_of_a_damaged_or_missing_index(tmp_path, settings):
    path = tmp_path / "index"
    path.mkdir()
    (path / "CURRENT").write_text("gen-gone\n")
    rebuild_index(path, settings, documents([1, 2]), 2)
    with SearchIndex.open(path, settings, values=VALUES) as index:
        assert index.document_ids() == {1, 2}
    rebuild_index(tmp_path / "fresh", settings, documents([3]), 1)
    with SearchIndex.open(tmp_path / "fresh", settings, values=VALUES) as index:
        assert index.document_ids() == {3} and not index.created


def test_an_unusable_partial_build_is_started_over(tmp_path, settings):
    path = tmp_path / "index"
    (path / "build").mkdir(parents=True)
    (path / "build" / "junk.toc").write_text("not an index")
    rebuild_index(path, settings, documents([1]), 1)
    with SearchIndex.open(path, settings, values=VALUES) as index:
        assert index.document_ids() == {1}


def test_progress_adds_up_to_the_document_count(tmp_path, settings):
    steps = []
    rebuild_index(tmp_path / "index", settings, documents(range(1, 251)), 250, steps.append)
    assert steps == [100, 100, 50]
