"""The one module that reaches into Whoosh's internals: right version, and each piece still works.

On any Whoosh but the one search/_whoosh.py was written for, the first test fails with
what to do; the others check each internal against Whoosh's public API on a real index,
so a change of Whoosh's insides shows here, not as wrong search results.
"""

from __future__ import annotations

import numpy as np
import pytest
import whoosh
from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search import _whoosh, location
from search.phrases import TOKENS_FIELD
from search.schema import INDEX_NAME, document_fields
from tests.search.conftest import make_document


def test_whoosh_is_the_version_the_internals_were_written_for():
    assert whoosh.versionstring() == _whoosh.WRITTEN_FOR, (
        f"Whoosh is {whoosh.versionstring()}, search/_whoosh.py was written for {_whoosh.WRITTEN_FOR}: "
        "review every function there against the new Whoosh, then update WRITTEN_FOR."
    )


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    folder = tmp_path_factory.mktemp("internals")
    location.create_generation(folder)
    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    writer = SegmentWriter(ix, compound=False)
    for n in range(1, 301):  # over two posting blocks (128 a block) for "huur"
        text = "huur " * (1 + n % 3) + f"woord{n % 7} kantoor"
        writer.add_document(**document_fields(make_document(n, text, title=f"Brief {n}"), 20000))
    writer.commit(merge=False)
    return ix


def test_posting_arrays_equal_the_public_matcher(ix):
    with ix.searcher() as searcher:
        [(sub, _offset)] = searcher.reader().leaf_readers()
        ids, weights = _whoosh.posting_arrays(sub.postings("content_nl", "hur"))  # the Dutch stem of huur
        public = sub.postings("content_nl", "hur")
        expected = []
        while public.is_active():
            expected.append((public.id(), public.weight()))
            public.next()
        assert len(expected) == 300 and list(zip(ids.tolist(), weights.tolist())) == expected


def test_field_lengths_are_the_public_doc_field_lengths(ix):
    with ix.searcher() as searcher:
        [(sub, _offset)] = searcher.reader().leaf_readers()
        lengths = _whoosh.field_lengths(sub, "title")
        assert lengths is not None and len(lengths) == sub.doc_count_all()
        assert lengths.tolist() == [sub.doc_field_length(n, "title") for n in range(sub.doc_count_all())]
        assert _whoosh.field_lengths(sub, "id") is None  # not a scored field


def test_column_bytes_are_the_values_of_the_public_column(ix):
    with ix.searcher() as searcher:
        [(sub, _offset)] = searcher.reader().leaf_readers()
        column = sub.column_reader(TOKENS_FIELD, translate=False)
        sizes, blob = _whoosh.column_bytes(column, sub.doc_count_all())
        values = [bytes(v) for v in sub.column_reader(TOKENS_FIELD, translate=False)]
        assert sizes.tolist() == [len(v) for v in values] and blob == b"".join(values)


def test_frequency_bytes_are_what_whoosh_writes_in_a_posting():
    [(_term, _freq, _weight, encoded)] = list(fields.TEXT(phrase=False).index("kantoor kantoor kantoor"))
    assert _whoosh.frequency_bytes(3) == encoded


def test_refreshed_sees_deletions_in_an_unchanged_segment(tmp_path):
    location.create_generation(tmp_path)
    ix = whoosh_index.open_dir(str(tmp_path), indexname=INDEX_NAME)
    with ix.writer() as writer:
        for n in (1, 2, 3):
            writer.add_document(**document_fields(make_document(n, "archiefstuk"), 100))
    searcher = ix.searcher()
    with ix.writer() as writer:
        writer.delete_by_term("id", "2")
    fresh, generation = _whoosh.refreshed(ix, searcher)
    try:
        assert generation == ix.latest_generation()
        assert sorted(int(f["id"]) for f in fresh.all_stored_fields()) == [1, 3]
        assert len(_whoosh.segments(ix)) == len(list(fresh.reader().leaf_readers()))
    finally:
        fresh.close()


def test_the_rest_of_the_search_room_uses_no_private_whoosh_name():
    import ast
    from pathlib import Path

    import search

    offenders = []
    for path in Path(search.__file__).parent.glob("*.py"):
        if path.name == "_whoosh.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        whoosh_names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh")
            for alias in node.names
        }
        offenders += [f"{path.name}: imports {name}" for name in whoosh_names if name.startswith("_")]
        offenders += [
            f"{path.name}:{node.lineno}: {ast.unparse(node)}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", "index"))
        ]
    assert offenders == []


def test_numpy_arrays_come_back(ix):
    with ix.searcher() as searcher:
        [(sub, _offset)] = searcher.reader().leaf_readers()
        ids, weights = _whoosh.posting_arrays(sub.postings("title", "brief"))
        assert ids.dtype == np.int64 and weights.dtype == np.float32
