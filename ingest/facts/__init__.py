"""Fact extraction: the client, type, date, amount, IBAN and reference of a document."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.facts.classifier import TypeClassifier
    from ingest.facts.clients import (
        ClientRecord,
        ClientRegistry,
        normalise_client_id,
        normalise_postcode,
        validate_client,
    )
    from ingest.facts.extract import Fact, Facts, extract_facts, make_title
    from ingest.facts.settings import ExtractionSettings, TypeRule

# Each public name's module, imported when the name is first used: importing one light
# module of the package (its settings, say) does not pull in all the others.
_WHERE = {
    "TypeClassifier": "ingest.facts.classifier",
    "ClientRecord": "ingest.facts.clients",
    "ClientRegistry": "ingest.facts.clients",
    "normalise_client_id": "ingest.facts.clients",
    "normalise_postcode": "ingest.facts.clients",
    "validate_client": "ingest.facts.clients",
    "Fact": "ingest.facts.extract",
    "Facts": "ingest.facts.extract",
    "extract_facts": "ingest.facts.extract",
    "make_title": "ingest.facts.extract",
    "ExtractionSettings": "ingest.facts.settings",
    "TypeRule": "ingest.facts.settings",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "ClientRecord",
    "ClientRegistry",
    "ExtractionSettings",
    "Fact",
    "Facts",
    "TypeClassifier",
    "TypeRule",
    "extract_facts",
    "make_title",
    "normalise_client_id",
    "normalise_postcode",
    "validate_client",
]
