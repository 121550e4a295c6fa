"""Legal holds at work: placed and released by records managers, stacking, audited.

A hold names a document or a client; a client's hold covers every document filed
for that client, now and later. What a hold is, and which holds keep a document,
is decided by the pure functions of ``archive.records.holds``.
"""

from __future__ import annotations

from typing import Any

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.clients import ClientService
from archive.clock import iso
from archive.core import Core
from archive.errors import Conflict, NotFound
from archive.records.holds import Hold, check_target, clean_reason, hold_from_row, pick_to_release
from storage import documents_repo
from storage import records_repo as repo


class LegalHolds:
    """The legal holds of one archive."""

    def __init__(self, core: Core, clients: ClientService) -> None:
        self._core = core
        self._clients = clients

    def place(
        self,
        actor: Actor,
        reason: str,
        document_id: int | None = None,
        client_id: str | None = None,
        case_reference: str | None = None,
    ) -> Hold:
        """Put a document, or all of a client's documents (now and later), on legal hold."""
        require(actor, Permission.HOLD)
        check_target(document_id, client_id)
        reason = clean_reason(reason)
        core = self._core
        with core.db.atomic() as conn:
            self._check_target(conn, document_id, client_id)
            hold_id = repo.insert_hold(
                conn,
                {
                    "document_id": document_id,
                    "client_id": client_id,
                    "reason": reason,
                    "case_reference": (case_reference or "").strip() or None,
                    "placed_by": actor.name,
                    "placed_at": iso(core.clock.now()),
                },
            )
            # An approval given before the hold must not count once the hold ends.
            targets = [document_id] if document_id is not None else repo.client_document_ids(conn, client_id or "")
            repo.clear_approvals(conn, targets)
            core.audit.record(
                actor,
                "hold_add",
                document_id,
                client_id=client_id,
                details={"hold": hold_id, "reason": reason, "case": case_reference},
            )
            return hold_from_row(repo.get_hold(conn, hold_id))

    def _check_target(self, conn, document_id: int | None, client_id: str | None) -> None:
        if document_id is not None:
            row = documents_repo.get_document(conn, document_id)
            if row is None:
                raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
            if row["state"] == "disposed":
                raise Conflict(
                    "document.destroyed",
                    "Document {document_id} was already destroyed under the retention schedule.",
                    document_id=document_id,
                )
        elif not client_id or (self._clients.get(client_id) is None and not repo.client_known(conn, client_id)):
            raise self._clients.unknown_number(client_id or "")

    def release(
        self,
        actor: Actor,
        reason: str,
        document_id: int | None = None,
        client_id: str | None = None,
        case_reference: str | None = None,
        hold_id: int | None = None,
    ) -> list[Hold]:
        """Release a hold on a document or client (one; say which when several); return it."""
        require(actor, Permission.HOLD)
        reason = clean_reason(reason, releasing=True)
        core = self._core
        with core.db.atomic() as conn:
            if hold_id is not None and document_id is None and client_id is None:
                row = repo.get_hold(conn, hold_id)
                if row is None:
                    raise NotFound("hold.unknown_id", "There is no hold {hold_id}.", hold_id=hold_id)
                document_id, client_id = row["document_id"], row["client_id"]
            check_target(document_id, client_id)
            active = [hold_from_row(r) for r in repo.holds_on_target(conn, document_id, client_id)]
            chosen = pick_to_release(active, case_reference, hold_id)
            now = iso(core.clock.now())
            for hold in chosen:
                repo.release_hold(conn, hold.id, actor.name, now, reason)
                core.audit.record(
                    actor,
                    "hold_remove",
                    document_id,
                    client_id=client_id,
                    details={"hold": hold.id, "reason": reason, "case": hold.case_reference},
                )
            return [hold_from_row(repo.get_hold(conn, hold.id)) for hold in chosen]

    def listed(self, actor: Actor, active_only: bool = True) -> list[Hold]:
        """Return the holds (active ones, or all) for the records page and `archive hold list`."""
        require(actor, Permission.VIEW)
        return [hold_from_row(row) for row in repo.list_holds(self._core.db.read(), active_only)]

    def for_document(self, document_id: int) -> list[dict[str, Any]]:
        """Return every hold on a document or its client (active and released), as dicts."""
        conn = self._core.db.read()
        row = documents_repo.get_document(conn, document_id)
        client_id = row["client_id"] if row else None
        return [hold_from_row(r).to_json() for r in repo.holds_for_document(conn, document_id, client_id)]

    def is_held(self, document_id: int) -> bool:
        """Return whether any active hold keeps this document."""
        return repo.is_held(self._core.db.read(), document_id)
