"""The search index: one long-lived searcher per process, refreshed after each commit.

Writers are serialised by Whoosh's lock file (across processes) and a thread lock
(within one); a writer waits up to ``lock_timeout_seconds`` for another. Searches and
the refresh after a commit share one lock: a refreshed searcher reuses the segment
readers of the old one, which must not be in use while it is swapped; and as Whoosh
searches are pure Python, the GIL would serialise them anyway.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Iterable, Mapping

from whoosh import index as whoosh_index

from search import location
from search.columns import Vocabulary, build_table
from search.compile import compile_query
from search.documents import IndexedDocument, SearchRequest, SearchResults
from search.errors import IndexDamaged, QuerySyntaxError
from search.execute import run_plan
from search.query import parse_query
from search.readers import refreshed
from search.schema import INDEX_NAME, document_fields
from search.settings import SearchSettings
from search.view import View, ViewLexicon
from search.writing import open_writer

log = logging.getLogger(__name__)
# The most results one page may hold (the CLI's --limit allows as many).
MAX_PAGE_SIZE = 1000


class SearchIndex:
    """The full-text index of filed documents, with filters, facets and snippets."""

    def __init__(self, path: Path, settings: SearchSettings, type_aliases: Mapping[str, str],
                 created: bool) -> None:
        self.path = Path(path)
        self.settings = settings
        self.type_aliases = {k.lower(): v for k, v in type_aliases.items()}
        self.created = created  # True when open() found nothing and made an empty index
        self._write_lock = threading.Lock()
        self._view_lock = threading.RLock()
        self._segments: dict = {}  # cached column arrays per segment
        self._words: dict = {}  # cached SegmentWords per segment
        self._lengths: dict = {}  # cached field lengths per segment
        self._vocabulary = Vocabulary()
        self._folder: Path | None = None
        self._ix = None
        self._view: View | None = None

    @classmethod
    def open(cls, path: Path, settings: SearchSettings, type_aliases: Mapping[str, str] = {}) -> "SearchIndex":
        """Open the index at ``path``, creating it when absent; raise IndexDamaged when unreadable."""
        path = Path(path)
        created = location.is_absent(path)
        if created:
            location.create_empty(path)
        index = cls(path, settings, type_aliases, created)
        with index._view_lock:
            index._load()
        return index

    def _load(self) -> None:
        """(Re)open the live generation and a searcher on it; raise IndexDamaged."""
        folder = location.live_generation(self.path)
        try:
            ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
            generation = ix.latest_generation()
            searcher = ix.searcher()
            self._segments.clear()
            self._words.clear()
            self._lengths.clear()
            table = build_table(searcher.reader(), self._segments, self._vocabulary)
            view = View(searcher, table, self._vocabulary, generation, self._words, self._lengths)
            # Read the word lists now: it checks the term files, and spares the first
            # search the wait (about a second at 100,000 documents).
            view.words()
        except IndexDamaged:
            raise
        except Exception as exc:  # any failure to read the files means the same: rebuild
            log.error("search index in %s unreadable: %r", folder, exc)
            raise IndexDamaged(f"The search index in {self.path} is damaged; rebuild it with 'archive reindex'.") from exc
        old = self._view
        self._folder, self._ix, self._view = folder, ix, view
        if old is not None:
            old.searcher.close()

    def _fresh_view(self) -> View:
        """Return a view on the latest commit (of this or any other process)."""
        assert self._view is not None, "the search index is closed"
        if location.live_generation(self.path) != self._folder:
            self._load()  # a rebuild was swapped in
        elif self._ix.latest_generation() != self._view.generation:
            self._refresh()
        return self._view

    def _refresh(self) -> None:
        searcher, generation = refreshed(self._ix, self._view.searcher)
        table = build_table(searcher.reader(), self._segments, self._vocabulary)
        live = {sub.segment().segment_id() for sub, _ in searcher.reader().leaf_readers() if sub.segment()}
        for gone in set(self._words) - live:
            del self._words[gone]
        for gone in [key for key in self._lengths if key[0] not in live]:
            del self._lengths[gone]
        self._view = View(searcher, table, self._vocabulary, generation, self._words, self._lengths)

    def upsert(self, documents: Iterable[IndexedDocument]) -> None:
        """Add or replace documents in one commit; they are searchable when this returns."""
        chars = self.settings.stored_text_chars
        self._write(lambda writer: [writer.update_document(**document_fields(d, chars)) for d in documents])

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents from the index (disposal); unknown ids are ignored."""
        self._write(lambda writer: [writer.delete_by_term("id", str(i)) for i in ids])

    def _write(self, change) -> None:
        with self._write_lock:
            with self._view_lock:
                self._fresh_view()
                ix = self._ix
            writer = open_writer(ix, self.settings,
                                 "The search index is busy with another update; try again in a moment.")
            try:
                change(writer)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            with self._view_lock:
                self._fresh_view()

    def search(self, request: SearchRequest) -> SearchResults:
        """Return one page of results; raise QuerySyntaxError with a sentence on a bad query."""
        _check_request(request, self.settings)
        parsed = parse_query(request.query, self.type_aliases)
        with self._view_lock:
            view = self._fresh_view()
            plan = compile_query(parsed, request.query, ViewLexicon(view))
            return run_plan(view, plan, request, self.settings)

    def document_ids(self) -> set[int]:
        """Return the ids of every document in the index (any state)."""
        with self._view_lock:
            table = self._fresh_view().table
            return set(table.docid[table.live].tolist())

    def refresh(self) -> None:
        """Pick up commits made by other processes now rather than at the next search."""
        with self._view_lock:
            self._fresh_view()

    def close(self) -> None:
        """Release the searcher and its files."""
        with self._view_lock:
            if self._view is not None:
                self._view.searcher.close()
                self._view = None

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _check_request(request: SearchRequest, settings: SearchSettings) -> None:
    if request.sort not in ("relevance", "date"):
        raise QuerySyntaxError("Results can be ordered by relevance or by date only.")
    if not 1 <= request.page <= settings.max_page:
        raise QuerySyntaxError(f"Page numbers run from 1 to {settings.max_page}.")
    if not 1 <= request.page_size <= MAX_PAGE_SIZE:
        raise QuerySyntaxError(f"A page holds between 1 and {MAX_PAGE_SIZE} results.")
