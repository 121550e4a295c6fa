"""The search index: long-lived searchers per process, refreshed after each commit.

Writers are serialised by Whoosh's lock file (across processes) and a thread lock
(within one); a writer waits up to ``lock_timeout_seconds`` for another.

Searches run concurrently. A Whoosh searcher reads its files with seek-then-read and
so must not be shared by two threads at once; instead each search borrows a view (a
searcher with its own open files) from a small pool, and gives it back. Views share
the per-segment arrays (columns, words, lengths), so a second view costs little more
than opening files. Only borrowing and returning take a (short) lock; a view that is
behind the latest commit is refreshed as it is borrowed, reusing its unchanged
segment readers, and a view of a replaced index generation is closed on return.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Iterable, Mapping

from whoosh import index as whoosh_index

from search import location
from search._whoosh import refreshed
from search.columns import Vocabulary, build_table
from search.compile import compile_query
from search.documents import IndexedDocument, SearchRequest, SearchResults
from search.errors import IndexBusy, IndexDamaged, QuerySyntaxError
from search.execute import SORTS, run_plan
from search.query import parse_query
from search.schema import INDEX_NAME, document_fields
from search.settings import SearchSettings
from search.values import ValueReaders
from search.view import View, ViewLexicon
from search.writing import expunge_deleted, open_writer

log = logging.getLogger(__name__)
# The most results one page may hold (the CLI's --limit allows as many).
MAX_PAGE_SIZE = 1000
# The longest query: a person's search is a few words; one of 40-100 KB takes seconds
# to parse and would be stored whole in the audit trail.
MAX_QUERY_CHARS = 1000
# Idle views kept open for the next searches (as many as the web server's threads by
# default); more concurrent searches open more views, closed again when returned.
MAX_IDLE_VIEWS = 8


class SearchIndex:
    """The full-text index of filed documents, with filters, facets and snippets."""

    def __init__(
        self,
        path: Path,
        settings: SearchSettings,
        type_aliases: Mapping[str, str],
        created: bool,
        values: ValueReaders,
        custom: Mapping[str, str] | None = None,
    ) -> None:
        self.path = Path(path)
        self.settings = settings
        self.values = values
        self.type_aliases = {k.lower(): v for k, v in type_aliases.items()}
        self.custom = dict(custom or {})  # custom field name -> kind
        self.created = created  # True when open() found nothing and made an empty index
        self._write_lock = threading.Lock()
        self._view_lock = threading.RLock()
        self._segments: dict = {}  # cached column arrays per segment
        self._words: dict = {}  # cached SegmentWords per segment
        self._lengths: dict = {}  # cached field lengths per segment
        self._tokens: dict = {}  # cached word hashes per segment (exact phrases)
        self._vocabulary = Vocabulary()
        self._folder: Path | None = None
        self._ix: Any = None  # the whoosh FileIndex of the live generation, once loaded
        self._generation: int | None = None  # the latest commit seen
        self._idle: list[View] = []  # views no search is using, newest last
        self._closed = False

    @classmethod
    def open(
        cls,
        path: Path,
        settings: SearchSettings,
        type_aliases: Mapping[str, str] = {},
        *,
        values: ValueReaders,
        custom: Mapping[str, str] | None = None,
    ) -> "SearchIndex":
        """Open the index at ``path``, creating it when absent; raise IndexDamaged when unreadable.

        ``values`` reads the dates and amounts of queries and masks snippets (see search.values).
        """
        path = Path(path)
        created = location.is_absent(path)
        if created:
            location.create_empty(path)
        index = cls(path, settings, type_aliases, created, values, custom)
        with index._view_lock:
            index._load()
        return index

    def _load(self) -> None:
        """(Re)open the live generation and a view on it; raise IndexDamaged."""
        folder = location.live_generation(self.path)
        try:
            ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
            self._segments.clear()
            self._words.clear()
            self._lengths.clear()
            self._tokens.clear()
            view = self._open_view(ix, folder)
            # Read the word lists now: it checks the term files, and spares the first
            # search the wait (about a second at 100,000 documents).
            view.words()
            view.tokens()
        except IndexDamaged:
            raise
        except Exception as exc:  # any failure to read the files means the same: rebuild
            log.error("search index in %s unreadable: %r", folder, exc)
            raise IndexDamaged(
                "index.damaged",
                "The search index in {path} is damaged; rebuild it with 'archive reindex'.",
                path=str(self.path),
            ) from exc
        for old in self._idle:
            old.searcher.close()
        self._folder, self._ix, self._generation, self._idle = folder, ix, view.generation, [view]

    def _open_view(self, ix, folder: Path) -> View:
        """Return a new view (its own searcher and files) on the latest commit of ``ix``."""
        generation = ix.latest_generation()
        searcher = ix.searcher()
        table = build_table(searcher.reader(), self._segments, self._vocabulary)
        return View(
            searcher,
            table,
            self._vocabulary,
            generation,
            self._words,
            self._lengths,
            folder=folder,
            token_cache=self._tokens,
        )

    def _sync(self) -> None:
        """Notice a rebuild swapped in or a new commit (of any process). Call under the lock."""
        assert not self._closed, "the search index is closed"
        if location.live_generation(self.path) != self._folder:
            self._load()  # a rebuild was swapped in
        else:
            self._generation = self._ix.latest_generation()

    def _borrow(self) -> View:
        """Return a view on the latest commit for this thread's use alone; give it back with _return."""
        with self._view_lock:
            self._sync()
            if self._idle:
                view = self._idle.pop()
                return view if view.generation == self._generation else self._refresh(view)
            assert self._folder is not None  # _sync loaded it
            return self._open_view(self._ix, self._folder)

    def _return(self, view: View) -> None:
        with self._view_lock:
            if (
                not self._closed
                and view.folder == self._folder
                and view.generation == self._generation
                and len(self._idle) < MAX_IDLE_VIEWS
            ):
                self._idle.append(view)
            else:
                view.searcher.close()

    def _refresh(self, view: View) -> View:
        """Return ``view`` brought to the latest commit, reusing its unchanged segment readers."""
        searcher, generation = refreshed(self._ix, view.searcher)
        table = build_table(searcher.reader(), self._segments, self._vocabulary)
        live = {sub.segment().segment_id() for sub, _ in searcher.reader().leaf_readers() if sub.segment()}
        for gone in set(self._words) - live:
            self._words.pop(gone, None)
        for gone in set(self._tokens) - live:
            self._tokens.pop(gone, None)
        for gone in [key for key in self._lengths if key[0] not in live]:
            self._lengths.pop(gone, None)
        return View(
            searcher,
            table,
            self._vocabulary,
            generation,
            self._words,
            self._lengths,
            folder=self._folder,
            token_cache=self._tokens,
        )

    def upsert(self, documents: Iterable[IndexedDocument]) -> None:
        """Add or replace documents in one commit; they are searchable when this returns."""
        chars = self.settings.stored_text_chars
        self._write(lambda writer: [writer.update_document(**document_fields(d, chars)) for d in documents])

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents from the index (disposal); unknown ids are ignored.

        The segments that held them are rewritten, so no file of the index keeps their
        words or stored text (nor those of documents replaced earlier in those segments).
        """
        self._write(lambda writer: [writer.delete_by_term("id", str(i)) for i in ids], mergetype=expunge_deleted)

    def _write(self, change, mergetype=None) -> None:
        with self._write_lock:
            with self._view_lock:
                self._sync()
                ix = self._ix
            writer = open_writer(
                ix,
                self.settings,
                IndexBusy("index.busy", "The search index is busy with another update; try again in a moment."),
            )
            try:
                change(writer)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=mergetype)
            with self._view_lock:
                self._sync()

    def search(self, request: SearchRequest) -> SearchResults:
        """Return one page of results; raise QuerySyntaxError with a sentence on a bad query."""
        _check_request(request, self.settings)
        parsed = parse_query(request.query, self.values, self.type_aliases, self.custom)
        view = self._borrow()
        try:
            plan = compile_query(parsed, request.query, ViewLexicon(view))
            return run_plan(view, plan, request, self.settings, self.values.mask)
        finally:
            self._return(view)

    def document_ids(self) -> set[int]:
        """Return the ids of every document in the index (any state)."""
        view = self._borrow()
        try:
            return set(view.table.docid[view.table.live].tolist())
        finally:
            self._return(view)

    def refresh(self) -> None:
        """Pick up commits made by other processes now rather than at the next search."""
        self._return(self._borrow())

    def close(self) -> None:
        """Release the searcher and its files."""
        with self._view_lock:
            self._closed = True
            for view in self._idle:
                view.searcher.close()
            self._idle = []

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _check_request(request: SearchRequest, settings: SearchSettings) -> None:
    if len(request.query) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            "query.too_long", "A search may be at most {count} characters long; shorten it.", count=MAX_QUERY_CHARS
        )
    if request.sort not in SORTS:
        raise QuerySyntaxError("query.bad_sort", "Results can be ordered by relevance, date or amount only.")
    if not 1 <= request.page <= settings.max_page:
        raise QuerySyntaxError("query.bad_page", "Page numbers run from 1 to {pages}.", pages=settings.max_page)
    if not 1 <= request.page_size <= MAX_PAGE_SIZE:
        raise QuerySyntaxError("query.bad_page_size", "A page holds between 1 and {size} results.", size=MAX_PAGE_SIZE)
