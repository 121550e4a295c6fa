"""The Whoosh index: schema, Dutch/English analysis, writing, queries, facets.

Public API (see the project's interfaces): IndexedDocument, SearchRequest, SearchHit,
SearchResults, SearchIndex, ValueReaders, rebuild_index, the errors, and QUERY_HELP (CLI_QUERY_HELP
for click's --help).
"""

from search.documents import IndexedDocument, SearchHit, SearchRequest, SearchResults
from search.errors import IndexBusy, IndexDamaged, QuerySyntaxError, SearchError
from search.help import CLI_QUERY_HELP, QUERY_HELP, QUERY_HELP_NL
from search.index import SearchIndex
from search.rebuild import rebuild_index
from search.settings import SearchSettings
from search.values import ValueReaders

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
