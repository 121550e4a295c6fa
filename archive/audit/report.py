"""Reading the audit trail: filtered lists, CSV, the per-client access report (NEN 7513),
the verification report and fixity findings with the entry that last touched them.

Every read of the trail by a person is itself an audit entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.errors import InvalidInput
from archive.spreadsheets import csv_text
from archive.typed import period_end, period_start
from storage import records_repo as repo
from storage.schema_check import schema_differences

if TYPE_CHECKING:
    from archive.audit.checkpointing import Checkpointer
    from archive.audit.trail import AuditTrail
    from archive.audit.witness import Witness
    from storage.database import Database
    from storage.schema_check import SchemaDifference

CSV_COLUMNS = ("seq", "at", "actor", "action", "document_id", "client_id", "address", "details", "hash")
# What counts as "access" to a client's documents for the NEN 7513 report.
ACCESS_ACTIONS = ("view", "download", "export", "reveal_bsn", "change")


def _bound(value: date | datetime | str | None, end: bool) -> str | None:
    """Return a period filter as the trail's timestamp text: ``since`` inclusive, ``until`` exclusive.

    A typed end (``2024-03-31``, ``2024-03``) includes that whole day or month.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, str) and "T" in value:  # a moment, as the trail's timestamps are
        try:
            return datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M:%S")
        except ValueError as exc:
            raise InvalidInput(
                "value.not_a_moment", "'{typed}' is not a date and time; write it like 2024-03-12T09:30.", typed=value
            ) from exc
    if isinstance(value, date):
        day: date = value
    else:
        typed = period_end(value) if end else period_start(value)
        if typed is None:
            return None
        day = typed
    return (day + timedelta(days=1) if end else day).isoformat()


def entry_dict(row: Any) -> dict[str, Any]:
    """Return one audit row as a plain dict with its details decoded."""
    entry = dict(row)
    entry["details"] = json.loads(entry["details"] or "{}")
    return entry


def audit_log(
    db: "Database",
    trail: "AuditTrail",
    actor: Actor,
    document_id: int | None = None,
    user: str | None = None,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    client_id: str | None = None,
    actions: Iterable[str] | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[dict[str, Any]]:
    """Return the audit entries matching every filter, oldest (or newest) first; the read is audited."""
    require(actor, Permission.READ_AUDIT)
    start, end = _bound(since, end=False), _bound(until, end=True)
    if start and end and start >= end:
        # Else the auditor reads "no entries" and may take it for an empty trail.
        raise InvalidInput(
            "audit.period_reversed",
            "The period starts ({since}) after it ends ({until}).",
            since=date.fromisoformat(start[:10]),
            until=date.fromisoformat(end[:10]) - timedelta(days=1),
        )
    filters = {
        "document_id": document_id,
        "actor": user,
        "since": start,
        "until": end,
        "client_id": client_id,
        "actions": list(actions or []),
    }
    rows = repo.filter_audit(db.read(), filters, limit, newest_first)
    trail.record(
        actor,
        "audit_read",
        document_id,
        client_id=client_id,
        details={k: v for k, v in filters.items() if v} | {"entries": len(rows)},
    )
    return [entry_dict(row) for row in rows]


def to_csv(entries: Iterable[dict[str, Any]]) -> str:
    """Return entries as CSV text with a header row (details as JSON); no cell runs as a formula."""
    rows = []
    for entry in entries:
        values = {**entry, "details": json.dumps(entry.get("details", {}), ensure_ascii=False, sort_keys=True)}
        rows.append([values.get(column) for column in CSV_COLUMNS])
    return csv_text(CSV_COLUMNS, rows, lineterminator="\r\n")


def client_access_report(db: "Database", trail: "AuditTrail", actor: Actor, client_id: str) -> dict[str, Any]:
    """Return who viewed, downloaded or exported a client's documents and when (NEN 7513)."""
    require(actor, Permission.READ_AUDIT)
    rows = repo.filter_audit(db.read(), {"client_id": client_id, "actions": list(ACCESS_ACTIONS)}, None)
    accesses = [entry_dict(row) for row in rows]
    people: dict[str, dict[str, Any]] = {}
    for entry in accesses:
        person = people.setdefault(
            entry["actor"],
            {"user": entry["actor"], "accesses": 0, "first": entry["at"], "last": entry["at"], "documents": set()},
        )
        person["accesses"] += 1
        person["last"] = entry["at"]
        if entry["document_id"] is not None:
            person["documents"].add(entry["document_id"])
    summary = [{**p, "documents": sorted(p["documents"])} for p in people.values()]
    trail.record(actor, "audit_report", client_id=client_id, details={"accesses": len(accesses)})
    return {"client_id": client_id, "accesses": [_access(e) for e in accesses], "by_user": summary}


def _access(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "at": entry["at"],
        "user": entry["actor"],
        "action": entry["action"],
        "document_id": entry["document_id"],
        "address": entry["address"],
    }


# What each guard trigger keeps, for the sentence when one is missing.
_GUARDS = {
    "audit_log": "keeps the audit trail append-only",
    "tombstones": "keeps the tombstones",
    "certificates": "keeps the certificates of destruction",
    "checkpoints": "keeps the checkpoint records",
    "documents_no_disposal": "refuses to destroy a held document",
    "documents_disposed": "keeps a destroyed document destroyed",
}


def schema_sentence(difference: "SchemaDifference") -> str:
    """Return one schema difference as a sentence for the verify report."""
    kind, name = difference.type, difference.name
    if difference.kind == "missing" and kind == "trigger":
        guard = next((text for prefix, text in _GUARDS.items() if name.startswith(prefix)), "guards the records")
        return f"Database: the trigger {name}, which {guard}, is missing: it was removed by hand."
    if difference.kind == "missing":
        return f"Database: the {kind} {name} is missing: it was removed by hand."
    if difference.kind == "changed":
        return f"Database: the {kind} {name} differs from what this release's schema makes: it was changed by hand."
    return f"Database: the {kind} {name} was not made by the archive: it was added by hand."


def audit_findings(
    db: "Database",
    trail: "AuditTrail",
    checkpointer: "Checkpointer",
    public_key: str | None = None,
    witness: "Witness | None" = None,
) -> dict[str, Any]:
    """Check the hash chain, the seals, the checkpoints (and witness) and the schema; return the findings."""
    chain = trail.verify()
    seals = trail.verify_seals()
    checkpoints = checkpointer.report(public_key, witness)
    schema = schema_differences(db.read())
    problems = [f"Audit trail: entry {b.seq} (position {b.position}) {b.reason}." for b in chain.breaks]
    problems += seals.problems + [p.sentence() for p in checkpoints.problems]
    problems += [schema_sentence(d) for d in schema]
    return {
        "ok": not problems,
        "entries": chain.entries,
        "head_seq": chain.head_seq,
        "head_hash": chain.head_hash,
        "breaks": [vars(b) for b in chain.breaks],
        "sealed": seals.sealed,
        "seal_problems": seals.problems,
        "checkpoints": checkpoints.checkpoints,
        "witnessed": checkpoints.witnessed,
        "checkpoint_problems": [vars(p) for p in checkpoints.problems],
        "schema_problems": [vars(d) for d in schema],
        "public_key": checkpoints.public_key,
        "public_key_fingerprint": checkpoints.fingerprint,
        "problems": problems,
        "notes": seals.notes + checkpoints.notes,
    }


def verify_report(
    db: "Database",
    trail: "AuditTrail",
    checkpointer: "Checkpointer",
    actor: Actor,
    public_key: str | None = None,
    witness: "Witness | None" = None,
) -> dict[str, Any]:
    """Check the audit trail in full (see ``audit_findings``); the check is itself audited."""
    require(actor, Permission.VERIFY)
    report = audit_findings(db, trail, checkpointer, public_key, witness)
    trail.record(
        actor,
        "audit_verify",
        details={
            "entries": report["entries"],
            "problems": len(report["problems"]),
            "key": report["public_key_fingerprint"],
        },
    )
    return report
