"""Retention dates: how long a document is kept (pure; no I/O)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from archive.config import RetentionRule


@dataclass(frozen=True)
class RetentionDecision:
    until: date | None
    rule: str | None  # the document type whose rule applied, e.g. "invoice"
    pending_event: str | None = None  # the rule waits for this event to be recorded


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def compute_retention(
    document_type: str | None,
    document_date: date | None,
    received: date,
    schedule: Mapping[str, RetentionRule],
    events: Mapping[str, date] | None = None,
    dossier_changed: date | None = None,
) -> RetentionDecision:
    """Return until when a document must be kept, under the rule for its type.

    Without a document date the day it was received counts (the later, safer
    choice). A type without a rule, or an event rule whose event has not happened,
    has no end date yet: the document is kept until the schedule says otherwise.
    A ``last_change`` rule runs from ``dossier_changed``, the day the client's dossier
    last changed (without it, the day the document was received).
    """
    rule = schedule.get(document_type or "")
    if rule is None:
        return RetentionDecision(until=None, rule=None)
    if rule.start == "last_change":
        # WGBO art. 7:454 BW: twenty years from the last change of the dossier — a letter
        # dated long ago but filed today changes the dossier today.
        return RetentionDecision(_add_years(max(dossier_changed or received, received), rule.years), document_type)
    start = document_date or received
    if rule.start == "end_of_year":
        return RetentionDecision(_add_years(date(start.year, 12, 31), rule.years), document_type)
    if rule.start == "event":
        happened = (events or {}).get(rule.event)
        if happened is None:
            return RetentionDecision(until=None, rule=document_type, pending_event=rule.event)
        return RetentionDecision(_add_years(date(happened.year, 12, 31), rule.years), document_type)
    return RetentionDecision(_add_years(start, rule.years), document_type)


def retention_for(
    document: Mapping[str, object],
    schedule: Mapping[str, RetentionRule],
    events: Mapping[str, date] | None = None,
    dossier_changed: date | None = None,
) -> RetentionDecision:
    """Return a document's retention from its stored facts: the one path from a row to ``retention_until``.

    ``document`` holds ``document_type``, ``document_date`` (ISO text or None) and
    ``created_at`` (when its bytes arrived, the start when it has no date).
    ``dossier_changed`` is the last change of its client's dossier (``last_change`` rules).
    """
    raw_date = document["document_date"]
    document_date = date.fromisoformat(str(raw_date)) if raw_date else None
    received = date.fromisoformat(str(document["created_at"])[:10])
    return compute_retention(
        document["document_type"],  # type: ignore[arg-type]
        document_date,
        received,
        schedule,
        events,
        dossier_changed,
    )


def period_start(document: Mapping[str, object], rule: RetentionRule) -> date | None:
    """Return the day a document's retention period started, when the schedule says it has."""
    if rule.start == "event":
        until = document.get("retention_until")
        return date(int(str(until)[:4]) - rule.years, 12, 31) if until else None
    if rule.start == "last_change":
        until = document.get("retention_until")
        return _add_years(date.fromisoformat(str(until)), -rule.years) if until else None
    raw = document.get("document_date") or str(document["created_at"])[:10]
    day = date.fromisoformat(str(raw))
    return date(day.year, 12, 31) if rule.start == "end_of_year" else day


def schedule_fingerprint(schedule: Mapping[str, RetentionRule]) -> str:
    """Return a short hash of the schedule, to notice when a deployment changed it."""
    body = json.dumps(
        {name: [rule.years, rule.start, rule.event] for name, rule in sorted(schedule.items())}, sort_keys=True
    )
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def latest_events(rows: Iterable[tuple[str, str]]) -> dict[str, date]:
    """Return, per event name, the latest date it happened (a re-hire ends employment again)."""
    found: dict[str, date] = {}
    for name, happened_on in rows:
        day = date.fromisoformat(happened_on)
        if name not in found or day > found[name]:
            found[name] = day
    return found


def is_due(retention_until: str | date | None, today: date) -> bool:
    """Return whether a document kept until ``retention_until`` may go on ``today``.

    The retention date itself is still a day to keep it; without a date it is never due.
    """
    if retention_until is None:
        return False
    until = retention_until if isinstance(retention_until, date) else date.fromisoformat(retention_until)
    return until < today


def describe_rule(name: str | None, schedule: Mapping[str, RetentionRule]) -> str:
    """Return the rule in words, for certificates and reports."""
    rule = schedule.get(name or "")
    if rule is None:
        return "no retention rule (kept until the schedule says otherwise)"
    start = {
        "document_date": "from the document date",
        "end_of_year": "from the end of the year of the document date",
        "event": f"from the end of the year of the event '{rule.event}'",
        "last_change": "from the last change of the client's dossier",
    }[rule.start]
    return f"{rule.years} years {start}" + (f" ({rule.citation})" if rule.citation else "")
