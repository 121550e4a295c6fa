"""Custom fields from the configuration: per type, checked by kind, audited, searched as name:value."""

from __future__ import annotations

import dataclasses

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.config import CustomField, DeskSettings, load_config
from archive.errors import ConfigError, InvalidInput, PermissionDenied
from search import SearchRequest
from tests.documents import text_pdf

CLERK = Actor("anna", "clerk")
FIELDS = {
    "dossier": CustomField(label_nl="Dossiernummer", kind="text", types=["invoice"]),
    "vervalt": CustomField(label_nl="Vervaldatum", kind="date"),
    "korting": CustomField(label_nl="Korting", kind="amount", types=["invoice"]),
    "status": CustomField(label_nl="Status", kind="choice", choices=["open", "betaald"]),
}


@pytest.fixture
def config(config):
    return dataclasses.replace(config, desk=DeskSettings(fields=FIELDS))


@pytest.fixture
def document(archive, tmp_path) -> int:
    path = text_pdf(tmp_path / "f.pdf", ["Factuur F-1\nFactuurdatum: 12 maart 2024\nTotaal: EUR 10,00"])
    return archive.ingest(path, SYSTEM).id


def _ids(archive, query: str) -> list[int]:
    return [hit.id for hit in archive.search(SearchRequest(query=query), SYSTEM).hits]


def test_values_are_checked_audited_and_searched(archive, document):
    assert set(archive.custom_fields.fields_for("invoice")) == set(FIELDS)
    assert set(archive.custom_fields.fields_for("letter")) == {"vervalt", "status"}
    changed = archive.custom_fields.update(
        document, {"dossier": "D 2024/7", "vervalt": "1-4-2024", "korting": "12,5", "status": "open"}, CLERK
    )
    assert sorted(changed) == ["dossier", "korting", "status", "vervalt"]
    view = archive.document(document, SYSTEM, audit=False)
    assert view.custom == {"dossier": "D 2024/7", "korting": "12.50", "status": "open", "vervalt": "2024-04-01"}
    entries = [e["details"] for e in view.history if e["action"] == "change"]
    assert {"fact": "custom.status", "before": None, "after": "open"} in entries
    assert _ids(archive, "status:open") == [document]
    assert _ids(archive, 'dossier:"D 2024/7"') == [document]
    assert _ids(archive, "vervalt:01-04-2024") == [document]
    assert _ids(archive, "korting:12,50") == [document]
    archive.custom_fields.update(document, {"status": "betaald"}, CLERK)
    assert _ids(archive, "status:open") == [] and _ids(archive, "status:betaald") == [document]
    with pytest.raises(InvalidInput):
        archive.custom_fields.update(document, {"status": "misschien"}, CLERK)
    with pytest.raises(InvalidInput):
        archive.custom_fields.update(document, {"vervalt": "31-02-2024"}, CLERK)
    with pytest.raises(InvalidInput):
        archive.custom_fields.update(document, {"onbekend": "x"}, CLERK)
    with pytest.raises(PermissionDenied):
        archive.custom_fields.update(document, {"status": "open"}, Actor("sara", "staff"))


def test_a_bad_definition_stops_start_up(tmp_path):
    file = tmp_path / "c.toml"
    file.write_text('[desk.fields.status]\nkind = "choice"\n')
    with pytest.raises(ConfigError):
        load_config(file, tmp_path / "home")
    file.write_text('[desk.fields.client]\nkind = "text"\n')
    with pytest.raises(ConfigError):
        load_config(file, tmp_path / "home")
