"""The Whoosh index: schema, Dutch/English analysis, writing, queries, facets.

Public API (see the project's interfaces): IndexedDocument, SearchRequest, SearchHit,
SearchResults, SearchIndex, ValueReaders, rebuild_index, the errors, and QUERY_HELP (CLI_QUERY_HELP
for click's --help).
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.documents import IndexedDocument, SearchHit, SearchRequest, SearchResults
    from search.errors import IndexBusy, IndexDamaged, QuerySyntaxError, SearchError
    from search.help import CLI_QUERY_HELP, QUERY_HELP, QUERY_HELP_NL
    from search.index import SearchIndex
    from search.rebuild import rebuild_index
    from search.settings import SearchSettings
    from search.values import ValueReaders

# Each public name's module, imported when the name is first used: importing one light
# module of the package (its settings, say) does not pull in all the others.
_WHERE = {
    "IndexedDocument": "search.documents",
    "SearchHit": "search.documents",
    "SearchRequest": "search.documents",
    "SearchResults": "search.documents",
    "IndexBusy": "search.errors",
    "IndexDamaged": "search.errors",
    "QuerySyntaxError": "search.errors",
    "SearchError": "search.errors",
    "CLI_QUERY_HELP": "search.help",
    "QUERY_HELP": "search.help",
    "QUERY_HELP_NL": "search.help",
    "SearchIndex": "search.index",
    "rebuild_index": "search.rebuild",
    "SearchSettings": "search.settings",
    "ValueReaders": "search.values",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "CLI_QUERY_HELP",
    "QUERY_HELP",
    "QUERY_HELP_NL",
    "IndexBusy",
    "IndexDamaged",
    "IndexedDocument",
    "QuerySyntaxError",
    "SearchError",
    "SearchHit",
    "SearchIndex",
    "SearchRequest",
    "SearchResults",
    "SearchSettings",
    "ValueReaders",
    "rebuild_index",
]
