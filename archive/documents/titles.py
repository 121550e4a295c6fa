"""A document's title follows its facts (type, client, date, reference) unless a person set one.

The words of a title are made by the one rule in ``ingest.facts.make_title``; this
module decides when to apply it: at filing, from the facts as filed (hints included),
and after every correction of a fact a title is made of.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ingest.facts import ClientRegistry, ExtractionSettings, make_title

# The facts a title is made of: changing one of them re-makes a title nobody set.
TITLE_FACTS = frozenset({"document_type", "client_id", "document_date", "reference"})


def title_from_facts(settings: ExtractionSettings, registry: ClientRegistry, facts: Mapping[str, Any]) -> str:
    """Return the title the rule gives for these facts (values as stored: ISO dates, strings)."""
    when = facts.get("document_date")
    if isinstance(when, str):
        try:
            when = date.fromisoformat(when)
        except ValueError:
            when = None
    return make_title(
        settings, facts.get("document_type"), facts.get("reference") or None, when, registry, facts.get("client_id")
    )


def follows_facts(row: Mapping[str, Any]) -> bool:
    """Return whether a document's title is the rule's (no person set it)."""
    return not row["title_set_by"]
