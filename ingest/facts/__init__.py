"""Fact extraction: the client, type, date, amount, IBAN and reference of a document."""

from ingest.facts.classifier import TypeClassifier
from ingest.facts.clients import ClientRecord, ClientRegistry, normalise_client_id, normalise_postcode, validate_client
from ingest.facts.extract import Fact, Facts, extract_facts, make_title
from ingest.facts.settings import ExtractionSettings, TypeRule

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
