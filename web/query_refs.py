"""Searches kept on the server, named by a random reference: how a BSN is searched without a URL.

A query holding a BSN must not stand in the address bar, the browser's history of a
shared desk computer, a proxy's log or a bookmark. The search page keeps such a query
here and shows ``/?ref=…`` instead; the audit page keeps every filter here (who, which
client, which document) and shows ``/audit?ref=…``. A reference is good for its own user
and its own kind of page only, for a working day, in this server process (after a
restart the search is typed again).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from flask import current_app

_KEPT_SECONDS = 10 * 3600
_MAX_KEPT = 5000


@dataclass(frozen=True)
class _Kept:
    user: str
    kind: str
    query: str
    at: float


class QueryRefs:
    """A bounded, expiring map of reference -> (user, query); thread-safe."""

    def __init__(self) -> None:
        self._kept: dict[str, _Kept] = {}
        self._lock = threading.Lock()

    def keep(self, user: str, query: str, kind: str = "search") -> str:
        """Keep a query for a user and a kind of page (``search``, ``audit``); return its reference."""
        ref = secrets.token_urlsafe(12)
        now = time.monotonic()
        with self._lock:
            self._kept = {k: v for k, v in self._kept.items() if now - v.at < _KEPT_SECONDS}
            while len(self._kept) >= _MAX_KEPT:
                self._kept.pop(next(iter(self._kept)))
            self._kept[ref] = _Kept(user, kind, query, now)
        return ref

    def query(self, user: str, ref: str, kind: str = "search") -> str | None:
        """Return the query kept under a reference for this user and kind, or None (unknown, expired, another's)."""
        with self._lock:
            kept = self._kept.get(ref)
        if kept is None or (kept.user, kept.kind) != (user, kind) or time.monotonic() - kept.at >= _KEPT_SECONDS:
            return None
        return kept.query


def query_refs() -> QueryRefs:
    """Return this app's kept queries: one store for the search page and the audit page."""
    return current_app.extensions.setdefault("query_refs", QueryRefs())
