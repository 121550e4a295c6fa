"""Settings of the search index."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchSettings:
    """How the Whoosh index is written and queried."""

    page_size: int = 20
    # Memory of an index update's writer before it sorts postings on disk (not the rebuild's).
    writer_memory_mb: int = 256
    snippet_chars: int = 240
    # Seconds a writer waits for another writer (thread or process) to finish.
    lock_timeout_seconds: float = 30.0
    # Documents per commit (and per segment) while rebuilding: a crash loses at most this
    # many, and the rebuild holds at most this many documents' postings in memory.
    rebuild_batch_size: int = 20000
    # Characters of a document's text kept (compressed) in the index for snippets
    # (exact phrases are found in the whole text, see phrases.py).
    stored_text_chars: int = 20000
    # Largest number of values listed per facet (clients can be many).
    facet_limit: int = 20
    # Deepest page a request may ask for (each page ranks all hits before it).
    max_page: int = 500
