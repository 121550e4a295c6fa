"""What the web app and the command line need of the search room, through ``archive``.

The web layer talks to ``archive`` only (DESIGN.md); searching takes a request and
gives results, both plain values defined by the search room.
"""

from __future__ import annotations

from search import CLI_QUERY_HELP, QUERY_HELP, QUERY_HELP_NL, SearchHit, SearchRequest, SearchResults

__all__ = ["CLI_QUERY_HELP", "QUERY_HELP", "QUERY_HELP_NL", "SearchHit", "SearchRequest", "SearchResults"]
