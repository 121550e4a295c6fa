"""MDTO records (pure): valid against the schema in every shape a document can have."""

from __future__ import annotations

import pytest
from lxml import etree

from archive.config import RetentionRule
from archive.records.mdto import FileRecord, bestand, informatieobject
from archive.records.retention import period_start as retention_start
from tests.documents import REPO

XSD = REPO.parent / "shared" / "standards" / "mdto" / "MDTO-XML-1.0.2.xsd"
NS = {"m": "https://www.nationaalarchief.nl/mdto"}
BARE = {
    "id": 4,
    "title": None,
    "original_filename": "scan 4.pdf",
    "document_type": None,
    "client_id": None,
    "document_date": None,
    "created_at": "2026-03-02T09:00:00.000000Z",
    "created_by": "system",
    "retention_until": None,
}
FULL = {
    **BARE,
    "title": "Factuur F-1 – Jansen",
    "document_type": "invoice",
    "client_id": "C1",
    "document_date": "2024-02-01",
    "retention_until": "2031-12-31",
}
FILE = FileRecord("original.pdf", "original", 1234, "application/pdf", "ab" * 32)


@pytest.fixture
def schema() -> etree.XMLSchema:
    if not XSD.exists():
        pytest.skip(f"the MDTO schema is not beside this checkout ({XSD})")
    return etree.XMLSchema(etree.parse(str(XSD)))


def test_bare_document_is_valid_and_not_yet_appraised(schema) -> None:
    record = etree.fromstring(informatieobject(BARE, [FILE], "Praktijk", None, None, None))
    schema.assertValid(record)
    assert record.findtext("m:informatieobject/m:naam", namespaces=NS) == "scan 4.pdf"
    assert record.findtext("m:informatieobject/m:waardering/m:begripLabel", namespaces=NS) == "Nog niet bepaald"


def test_full_document_names_type_client_and_period(schema) -> None:
    rule = RetentionRule(7, "end_of_year")
    record = etree.fromstring(informatieobject(FULL, [FILE], "Praktijk", rule, "Factuur", "Jansen B.V."))
    schema.assertValid(record)
    found = record.find("m:informatieobject", NS)
    assert found.findtext("m:classificatie/m:begripCode", namespaces=NS) == "invoice"
    assert found.findtext("m:bewaartermijn/m:termijnStartdatumLooptijd", namespaces=NS) == "2024-12-31"
    assert found.findtext("m:betrokkene/m:betrokkeneActor/m:verwijzingNaam", namespaces=NS) == "Jansen B.V."
    assert (
        found.findtext("m:heeftRepresentatie/m:verwijzingIdentificatie/m:identificatieKenmerk", namespaces=NS)
        == "ab" * 32
    )


def test_bestand_is_valid(schema) -> None:
    record = etree.fromstring(bestand(FILE, FULL, "Praktijk", "2026-03-02T09:00:00Z"))
    schema.assertValid(record)
    assert record.findtext("m:bestand/m:omvang", namespaces=NS) == "1234"


def test_event_rule_start_is_derived_from_the_end_date() -> None:
    rule = RetentionRule(5, "event", event="employment_ended")
    assert retention_start({**FULL, "retention_until": "2030-12-31"}, rule).isoformat() == "2025-12-31"
    assert retention_start({**FULL, "retention_until": None}, rule) is None
