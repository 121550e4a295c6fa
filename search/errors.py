"""Errors of the search index; str(e) is one sentence a clerk understands.

    SearchError
     ├── QuerySyntaxError   the typed query cannot be understood (says what to change)
     └── IndexDamaged       the index on disk is missing pieces or unreadable; rebuild it
"""

from __future__ import annotations


class SearchError(Exception):
    """Base of every error the search index raises."""


class QuerySyntaxError(SearchError):
    """The query text is malformed; the message says how to fix it.

    ``template`` and ``values`` keep the sentence apart from what the person typed,
    so that an interface in another language can word it in its own.
    """

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values


class IndexDamaged(SearchError):
    """The index cannot be read and must be rebuilt from the database."""


class IndexBusy(SearchError):
    """Another writer held the index longer than the lock timeout."""
