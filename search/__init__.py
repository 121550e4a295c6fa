"""The Whoosh index: schema, Dutch/English analysis, writing, queries, facets.

Public API (see the project's interfaces): IndexedDocument, SearchRequest, SearchHit,
SearchResults, SearchIndex, rebuild_index, the errors, and QUERY_HELP.
"""

from search.documents import IndexedDocument, SearchHit, SearchRequest, SearchResults
from search.errors import IndexBusy, IndexDamaged, QuerySyntaxError, SearchError
from search.help import QUERY_HELP
from search.index import SearchIndex
from search.rebuild import rebuild_index
from search.settings import SearchSettings

__all__ = [
    "IndexBusy", "IndexDamaged", "IndexedDocument", "QUERY_HELP", "QuerySyntaxError",
    "SearchError", "SearchHit", "SearchIndex", "SearchRequest", "SearchResults",
    "SearchSettings", "rebuild_index",
]
