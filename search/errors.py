"""Errors of the search index; str(e) is one sentence a clerk understands.

    SearchError
     ├── QuerySyntaxError   the typed query cannot be understood (says what to change)
     └── IndexDamaged       the index on disk is missing pieces or unreadable; rebuild it
"""

from __future__ import annotations


class SearchError(Exception):
    """Base of every error the search index raises."""


class QuerySyntaxError(SearchError):
    """The query text is malformed; the message says how to fix it."""


class IndexDamaged(SearchError):
    """The index cannot be read and must be rebuilt from the database."""


class IndexBusy(SearchError):
    """Another writer held the index longer than the lock timeout."""
