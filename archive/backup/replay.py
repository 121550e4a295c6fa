"""Re-applying, to a restored home, the disposals a newer copy of its database recorded.

A restore must not bring a destroyed record back silently. When a newer copy of the
database survives (the old machine's disk, a newer snapshot restored elsewhere), its
audit trail says what was destroyed after the snapshot: every ``dispose`` entry after
the snapshot's chain head. The newer copy must continue the very same chain — the
entry at the snapshot's head has the same hash — or it belongs to another archive and
nothing is taken from it.

Each disposal is re-applied as the disposer would have made it: the legal holds the
newer copy released are released here too (a document cannot be destroyed under a
hold), the tombstone is copied (same approvers, same time), the document is marked
disposed — the database's own guards still apply — and then the usual finishing step
removes its bytes, derivatives and index entry and writes a certificate of destruction
in the restored home. Every step is in its audit trail.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

from archive.access.actors import SYSTEM
from archive.backup.home import RestoredHome
from archive.backup.manifest import Manifest
from archive.errors import InvalidInput
from storage import backup_repo, documents_repo, records_repo
from storage.database_copy import open_copy

log = logging.getLogger(__name__)


def replay_disposals(archive: RestoredHome, newer: Path, manifest: Manifest) -> list[int]:
    """Re-apply the disposals ``newer`` recorded after the snapshot; return the documents destroyed.

    Raises InvalidInput when ``newer`` is not a database, or not a later copy of this archive's.
    """
    path = newer / "archive.sqlite3" if newer.is_dir() else newer
    if not path.is_file():
        raise InvalidInput(
            "restore.no_newer_database", "There is no database at {path} to re-apply disposals from.", path=str(newer)
        )
    conn = open_copy(path)
    try:
        disposals, tombstones, releases = _read_newer(conn, manifest, newer)
    finally:
        conn.close()
    source = str(path)
    _release_holds(archive, releases, source)
    replayed = [item["id"] for item in disposals if _dispose(archive, item, tombstones.get(item["id"]), source)]
    if replayed:
        archive.records.disposer.finish_pending()
    return replayed


def _read_newer(conn: sqlite3.Connection, manifest: Manifest, newer: Path) -> tuple[list, dict, list]:
    head = manifest.audit_head
    try:
        continues = head["seq"] == 0 or backup_repo.audit_hash_at(conn, head["seq"]) == head["hash"]
        if not continues:
            raise InvalidInput(
                "restore.not_a_later_copy",
                "{path} is not a later copy of this archive's database: its "
                "audit trail differs at entry {seq}. No disposals were re-applied.",
                path=str(newer),
                seq=head["seq"],
            )
        disposals = backup_repo.disposals_after(conn, head["seq"])
        tombstones = {item["id"]: dict(records_repo.get_tombstone(conn, item["id"]) or {}) for item in disposals}
        return disposals, tombstones, [dict(row) for row in backup_repo.released_holds(conn)]
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(
            "restore.newer_unreadable",
            "{path} cannot be read as an archive database ({reason}).",
            path=str(newer),
            reason=str(exc),
        ) from exc


def _release_holds(archive: RestoredHome, releases: list[dict], source: str) -> None:
    with archive.db.atomic() as conn:
        active = {row["id"] for row in records_repo.list_holds(conn, active_only=True)}
        for hold in releases:
            if hold["id"] in active:
                records_repo.release_hold(
                    conn, hold["id"], hold["released_by"], hold["released_at"], hold["release_reason"] or ""
                )
                archive.audit.record(
                    SYSTEM,
                    "hold_remove",
                    hold["document_id"],
                    client_id=hold["client_id"],
                    details={
                        "hold": hold["id"],
                        "reason": hold["release_reason"],
                        "replayed_from": source,
                        "released_by": hold["released_by"],
                    },
                )


def _dispose(archive: RestoredHome, item: dict, stone: dict | None, source: str) -> bool:
    if not stone:
        log.warning("Disposal of document %s in %s has no tombstone; not re-applied.", item["id"], source)
        return False
    try:
        with archive.db.atomic() as conn:
            row = documents_repo.get_document(conn, item["id"])
            if row is None or row["state"] == "disposed":
                return False
            records_repo.set_retention(conn, item["id"], stone["retention_until"], stone["retention_rule"])
            records_repo.insert_tombstone(conn, {key: stone[key] for key in _TOMBSTONE_FIELDS})
            records_repo.mark_disposed(conn, item["id"], stone["disposed_at"])
            archive.audit.record(
                SYSTEM,
                "dispose",
                item["id"],
                client_id=row["client_id"],
                details={
                    "sha256": stone["sha256"],
                    "retention_until": stone["retention_until"],
                    "rule": stone["retention_rule"],
                    "approved_by": json.loads(stone["approved_by"]),
                    "replayed_from": source,
                    "replayed_entry": item["seq"],
                    "disposed_at": stone["disposed_at"],
                },
            )
    except sqlite3.IntegrityError as exc:  # a guard of the database refused it (a hold placed here)
        log.error("Document %s was destroyed in %s but cannot be here: %s", item["id"], source, exc)
        return False
    return True


_TOMBSTONE_FIELDS = (
    "document_id",
    "sha256",
    "size",
    "original_filename",
    "mime_type",
    "document_type",
    "client_id",
    "document_date",
    "created_at",
    "filed_at",
    "retention_until",
    "retention_rule",
    "citation",
    "approved_by",
    "disposed_at",
)
