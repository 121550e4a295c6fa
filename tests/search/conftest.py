"""Fixtures of the search tests: documents built on the spot and real indexes on tmp_path."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest

from archive.documents.indexing import VALUE_READERS
from search import IndexedDocument, SearchIndex
from search.settings import SearchSettings

# The value rules the archive hands the index (tests use the very same wiring).
VALUES = VALUE_READERS

TYPE_ALIASES = {
    "factuur": "invoice",
    "facturen": "invoice",
    "nota": "invoice",
    "brief": "letter",
    "bon": "receipt",
    "loonstrook": "payslip",
    "overeenkomst": "contract",
    "contract": "contract",
}


def make_document(id: int, content: str = "", **facts) -> IndexedDocument:
    """Return a filed document with sensible defaults; ``facts`` override any field."""
    values = dict(
        id=id,
        title=f"Document {id}",
        content=content,
        original_filename=f"scan_{id:04d}.pdf",
        mime_type="application/pdf",
        state="filed",
        created_at=datetime(2025, 1, 2, 9, 0),
        pages=1,
    )
    values.update(facts)
    if isinstance(values.get("amount"), (str, int, float)):
        values["amount"] = Decimal(str(values["amount"]))
    if isinstance(values.get("document_date"), str):
        values["document_date"] = date.fromisoformat(values["document_date"])
    return IndexedDocument(**values)


@pytest.fixture
def settings() -> SearchSettings:
    return SearchSettings(lock_timeout_seconds=5.0, rebuild_batch_size=3)


@pytest.fixture
def open_index(tmp_path: Path, settings: SearchSettings) -> Callable[..., SearchIndex]:
    """Open (and later close) indexes under tmp_path."""
    opened: list[SearchIndex] = []

    def opener(name: str = "index", **changes) -> SearchIndex:
        index = SearchIndex.open(tmp_path / name, dataclasses.replace(settings, **changes), TYPE_ALIASES, values=VALUES)
        opened.append(index)
        return index

    yield opener
    for index in opened:
        index.close()


@pytest.fixture
def index(open_index) -> SearchIndex:
    return open_index()
