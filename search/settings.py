"""Settings of the search index."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchSettings:
    """How the Whoosh index is written and queried."""

    page_size: int = 20
    writer_memory_mb: int = 256
    snippet_chars: int = 240
