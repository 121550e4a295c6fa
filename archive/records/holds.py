"""Legal holds as values: what a hold is, and which holds keep a document (pure).

A hold names a document or a client; a client's hold covers every document filed
for that client, those already there and those filed later. Holds stack: a
document is free only when every hold covering it is released. A hold suspends
disposition; it never changes the retention date.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from archive.errors import InvalidInput, NotFound

MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class Hold:
    id: int
    scope: str  # document | client
    document_id: int | None
    client_id: str | None
    reason: str
    case_reference: str | None
    placed_by: str
    placed_at: str
    released_by: str | None = None
    released_at: str | None = None
    release_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.released_at is None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "active": self.active}

    def describe(self) -> str:
        target = f"document {self.document_id}" if self.scope == "document" else f"client {self.client_id}"
        case = f" [{self.case_reference}]" if self.case_reference else ""
        state = "active" if self.active else f"released {self.released_at} by {self.released_by}"
        return f"hold {self.id} on {target}{case}: {self.reason} (by {self.placed_by}, {self.placed_at}; {state})"


def hold_from_row(row: Mapping[str, Any] | sqlite3.Row | None) -> Hold:
    """Return the Hold stored in a database row; raise NotFound for no row."""
    if row is None:
        raise NotFound("hold.not_found", "There is no such hold.")
    return Hold(
        id=row["id"],
        scope="document" if row["document_id"] is not None else "client",
        document_id=row["document_id"],
        client_id=row["client_id"],
        reason=row["reason"],
        case_reference=row["case_reference"],
        placed_by=row["placed_by"],
        placed_at=row["placed_at"],
        released_by=row["released_by"],
        released_at=row["released_at"],
        release_reason=row["release_reason"],
    )


def is_free(holds: Iterable[Hold]) -> bool:
    """Return whether no hold in ``holds`` is still active."""
    return not any(hold.active for hold in holds)


def check_target(document_id: int | None, client_id: str | None) -> None:
    """Raise InvalidInput unless exactly one of a document and a client is named."""
    if (document_id is None) == (client_id is None or client_id == ""):
        raise InvalidInput("hold.target", "Name either a document or a client for the hold, not both and not neither.")


def clean_reason(reason: str | None, releasing: bool = False) -> str:
    """Return the reason of a hold (or of its release), trimmed; raise InvalidInput when it is empty or too long."""
    text = " ".join((reason or "").split())
    if not text and releasing:
        raise InvalidInput("hold.release_reason_missing", "Give a reason for releasing the hold.")
    if not text:
        raise InvalidInput("hold.reason_missing", "Give a reason for the hold.")
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(
            "hold.reason_too_long", "The reason is too long; keep it under {limit} characters.", limit=MAX_REASON_CHARS
        )
    return text


def pick_to_release(active: list[Hold], case_reference: str | None, hold_id: int | None) -> list[Hold]:
    """Return which of a target's active holds one release request means.

    Raises InvalidInput when nothing matches, or when several holds match and the
    request does not say which (a hold placed for one case must not end by accident).
    """
    chosen = [
        h
        for h in active
        if (hold_id is None or h.id == hold_id) and (case_reference is None or h.case_reference == case_reference)
    ]
    if not chosen:
        raise InvalidInput("hold.none_matching", "There is no active hold matching that; see: archive hold list.")
    if len(chosen) > 1:
        listed = ", ".join(f"{h.id} ({h.case_reference or h.reason})" for h in chosen)
        raise InvalidInput(
            "hold.several_match",
            "Several holds match ({listed}); name one with --hold ID or --case REF.",
            listed=listed,
        )
    return chosen
