"""Retention dates: how long a document is kept (pure; no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
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
) -> RetentionDecision:
    """Return until when a document must be kept, under the rule for its type.

    Without a document date the day it was received counts (the later, safer
    choice). A type without a rule, or an event rule whose event has not happened,
    has no end date yet: the document is kept until the schedule says otherwise.
    """
    rule = schedule.get(document_type or "")
    if rule is None:
        return RetentionDecision(until=None, rule=None)
    start = document_date or received
    if rule.start == "end_of_year":
        return RetentionDecision(_add_years(date(start.year, 12, 31), rule.years), document_type)
    if rule.start == "event":
        happened = (events or {}).get(rule.event)
        if happened is None:
            return RetentionDecision(until=None, rule=document_type, pending_event=rule.event)
        return RetentionDecision(_add_years(date(happened.year, 12, 31), rule.years), document_type)
    return RetentionDecision(_add_years(start, rule.years), document_type)
