"""Errors of the search index; str(e) is one sentence a clerk understands.

SearchError
 ├── QuerySyntaxError   the typed query cannot be understood (says what to change)
 ├── IndexDamaged       the index on disk is missing pieces or unreadable; rebuild it
 └── IndexBusy          another writer held the index too long
"""

from __future__ import annotations


class SearchError(Exception):
    """Base of every error the search index raises.

    Like every error a person may read, it carries a stable ``code``, an English
    ``template`` with ``{named}`` blanks and their ``values``, so that the archive can
    word it in the office's language; str() is the English sentence.
    """

    def __init__(self, code: str, template: str | None = None, /, **values: object) -> None:
        if template is None:  # an older call with only a sentence: no code, nothing to fill in
            code, template, values = "", code, {}
        self.code = code
        self.template = template
        self.values = values
        super().__init__(template.format(**values) if values else template)


class QuerySyntaxError(SearchError):
    """The query text is malformed; the message says how to fix it."""


class IndexDamaged(SearchError):
    """The index cannot be read and must be rebuilt from the database."""


class IndexBusy(SearchError):
    """Another writer held the index longer than the lock timeout."""
