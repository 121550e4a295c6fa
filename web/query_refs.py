"""Searches sealed into a reference: how a BSN is searched without a URL.

A query holding a BSN must not stand in the address bar, the browser's history of a
shared desk computer, a proxy's log or a bookmark. The search page seals such a query
into a reference and shows ``/?ref=…`` instead; the audit page seals every filter (who,
which client, which document) and shows ``/audit?ref=…``. A reference is good for its
own user and its own kind of page only, for a working day.

The reference is the query itself, encrypted and signed with a key drawn from the
server's secret key (Fernet: AES and HMAC, with the time it was made): nothing is kept
on the server, so a reference made on one web node opens on every node that shares the
secret key, and a restart loses none. Without the key it reads as noise.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_KEPT_SECONDS = 10 * 3600
# The key is drawn for this one use: a reference can never be taken for a session cookie.
_PURPOSE = b"front-office-archive query references"


class QueryRefs:
    """Seal a query for a user and a kind of page into a reference, and open it again."""

    def __init__(self, secret: bytes, clock: Callable[[], float] = time.time) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(secret)
        self._fernet = Fernet(base64.urlsafe_b64encode(key))
        self._clock = clock

    def keep(self, user: str, query: str, kind: str = "search") -> str:
        """Return the reference for a query of a user on a kind of page (``search``, ``audit``)."""
        sealed = json.dumps({"user": user, "kind": kind, "query": query}, separators=(",", ":")).encode()
        token = self._fernet.encrypt_at_time(sealed, int(self._clock()))
        return token.decode("ascii").rstrip("=")  # padding would be escaped in every address

    def query(self, user: str, ref: str, kind: str = "search") -> str | None:
        """Return the query sealed in a reference for this user and kind, or None (damaged, expired, another's)."""
        try:
            token = (ref + "=" * (-len(ref) % 4)).encode("ascii")
            kept = json.loads(self._fernet.decrypt_at_time(token, _KEPT_SECONDS, int(self._clock())))
        except (InvalidToken, UnicodeError, ValueError):
            return None
        if not isinstance(kept, dict) or (kept.get("user"), kept.get("kind")) != (user, kind):
            return None
        query = kept.get("query")
        return query if isinstance(query, str) else None


def query_refs() -> QueryRefs:
    """Return this app's query references: one for the search page and the audit page."""
    refs = current_app.extensions.get("query_refs")
    if refs is None:
        secret = current_app.secret_key
        if not secret:
            raise RuntimeError("the web app has no secret key to seal query references with")
        refs = QueryRefs(secret.encode() if isinstance(secret, str) else secret)
        current_app.extensions["query_refs"] = refs
    return refs
