"""The archive's view of the search index: open, keep in line with the database, search.

The index is a derived cache: every entry is rebuilt from the database, so a damaged
index is rebuilt and documents filed while it was unreachable are added when it is
opened. Writes of newly filed documents are batched on one background thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext

from archive.clients import ClientService
from archive.core import Core
from archive.documents.index_feeder import IndexFeeder
from archive.documents.index_follower import IndexFollower
from archive.documents.indexing import VALUE_READERS, indexed_document
from search import IndexDamaged, IndexedDocument, SearchIndex, SearchRequest, SearchResults, rebuild_index
from storage import desk_repo, nodes_repo
from storage import documents_repo as repo

log = logging.getLogger(__name__)


class DocumentIndex:
    """The Whoosh index of one archive; nothing is opened until ``open()``."""

    def __init__(self, core: Core, clients: ClientService) -> None:
        self._core = core
        self._clients = clients
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._feeder: IndexFeeder | None = None
        self._follower: IndexFollower | None = None
        self._left_to_nodes = False

    @property
    def search_index(self) -> SearchIndex:
        """Return the open index; raise RuntimeError before ``open()``."""
        if self._index is None:
            raise RuntimeError("The search index is not open.")
        return self._index

    def open(self) -> None:
        """Open the index (rebuilding a damaged one), add what it misses, start the feeder
        (and, on a shared database, the follower of its change feed)."""
        # Read before the repair: changes committed meanwhile are applied again (harmless).
        followed_from = nodes_repo.last_change(self._core.db.read()) if self._core.config.on_server else 0
        try:
            self._index = self._open_index()
        except IndexDamaged:
            log.warning("The search index is damaged; rebuilding it from the database.")
            self.rebuild(progress=None)
            self._index = self._open_index()
        self._repair()
        self._feeder = IndexFeeder(self.reindex_documents)
        if self._core.config.on_server:
            self._follower = IndexFollower(
                self._core.db,
                self.reindex_documents,
                followed_from,
                self._core.config.node.follow_seconds,
                self._core.config.index_path,
            )

    def leave_to_nodes(self) -> None:
        """Keep no index in this process (a reading worker on a shared database): what it files
        enters the change feed, which every node's index follows. Searching here is refused."""
        if not self._core.config.on_server:
            raise RuntimeError("Only an archive on a shared database can leave its index to other nodes.")
        self._left_to_nodes = True

    def close(self) -> None:
        """Commit pending writes and release the index."""
        if self._follower is not None:
            self._follower.close()
            self._follower = None
        if self._feeder is not None:
            self._feeder.close()
            self._feeder = None
        if self._index is not None:
            self._index.close()
            self._index = None

    def lag(self) -> dict[str, float] | None:
        """How far this node's index is behind the database's change feed (None: one machine, never behind)."""
        return self._follower.lag() if self._follower is not None else None

    def type_aliases(self) -> dict[str, str]:
        """Return every word a clerk may type for a document type, mapped to the type."""
        aliases: dict[str, str] = {}
        for name, rule in self._core.config.extraction.types.items():
            for word in (name, rule.label_nl, rule.label_en, *rule.aliases):
                if word:
                    aliases[word.lower()] = name
        return aliases

    def search(self, request: SearchRequest) -> SearchResults:
        """Search after every queued write is committed; raise the search room's errors."""
        self.flush()
        return self.search_index.search(request)

    def queue(self, document_ids: Iterable[int]) -> None:
        """Index these documents soon, batched with others (see IndexFeeder)."""
        if self._left_to_nodes:
            return
        if self._feeder is None:
            self.reindex_documents(document_ids)
        else:
            self._feeder.submit(document_ids)

    def lingering(self, seconds: float) -> AbstractContextManager[None]:
        """While the block runs, queued documents gather for up to `seconds` into one commit (a batch of files)."""
        return self._feeder.lingering(seconds) if self._feeder is not None else nullcontext()

    def flush(self) -> None:
        """Wait until every queued index write is committed."""
        if self._feeder is not None:
            self._feeder.flush()

    def document_ids(self) -> set[int]:
        """Return the ids the index holds."""
        return self.search_index.document_ids()

    def reindex_documents(self, document_ids: Iterable[int]) -> None:
        """Bring the index entries of these documents in line with the database."""
        if self._left_to_nodes:
            return
        # Rows are read under the same lock as the write: a follower that read a document
        # as filed just before its disposal committed would otherwise write it back, words
        # and all, after the disposal's own deletion.
        with self._lock:
            conn = self._core.db.read()
            upserts, deletions = [], []
            for document_id in document_ids:
                row = repo.get_document(conn, document_id)
                if row is None or row["state"] != "filed":
                    deletions.append(document_id)
                else:
                    upserts.append(self._indexed(row))
            if deletions:
                self.search_index.delete(deletions)
            if upserts:
                self.search_index.upsert(upserts)

    def rebuild(self, progress: Callable[[int], None] | None) -> int:
        """Build a fresh index beside the live one from the database; return the count."""
        config = self._core.config
        conn = self._core.db.read()
        total = repo.count_in_state(conn, "filed")
        documents = (self._indexed(row) for row in repo.iter_documents(conn, "filed"))
        rebuild_index(config.index_path, config.search, documents, total, progress)
        return total

    def rebuild_and_swap(self, progress: Callable[[int], None] | None) -> int:
        """Rebuild beside the live index, then swap it in; searches keep working meanwhile."""
        count = self.rebuild(progress)
        with self._lock:
            if self._index is not None:
                self._index.close()
            self._index = self._open_index()
        return count

    def _open_index(self) -> SearchIndex:
        config = self._core.config
        custom = {name: field.kind for name, field in config.desk.fields.items()}
        return SearchIndex.open(
            config.index_path, config.search, self.type_aliases(), values=VALUE_READERS, custom=custom
        )

    def _repair(self) -> None:
        # Documents filed while the index was unreachable (or removed since) are put right.
        filed = set(repo.ids_in_state(self._core.db.read(), "filed"))
        indexed = self.search_index.document_ids()
        if indexed - filed:
            self.search_index.delete(indexed - filed)
        if filed - indexed:
            log.info("Indexing %d documents missing from the search index.", len(filed - indexed))
            self.reindex_documents(sorted(filed - indexed))

    def _indexed(self, row) -> IndexedDocument:
        client = self._clients.get(row["client_id"]) if row["client_id"] else None
        conn = self._core.db.read()
        text = repo.document_text(conn, row["id"])
        tags = desk_repo.tags_of(conn, row["id"])
        notes = "\n".join(note["text"] for note in desk_repo.notes_of(conn, row["id"]))
        custom = desk_repo.custom_values_of(conn, row["id"])
        return indexed_document(row, text, client.name if client else None, tags, notes, custom)
