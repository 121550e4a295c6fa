"""Evidence export: a BagIt bag with exactly the chosen documents, valid MDTO records, audited."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import bagit
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from lxml import etree

from archive.errors import InvalidInput, PermissionDenied
from tests.documents import REPO
from tests.records.conftest import AUDITOR, STAFF, file_document

XSD = REPO.parent / "shared" / "standards" / "mdto" / "MDTO-XML-1.0.2.xsd"


@pytest.fixture
def schema() -> etree.XMLSchema:
    if not XSD.exists():
        pytest.skip(f"the MDTO schema is not beside this checkout ({XSD}); records are not schema-checked")
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture
def filed(records_archive, tmp_path: Path) -> dict[str, list[int]]:
    folder = tmp_path / "in"
    folder.mkdir()
    return {
        "C1": [
            file_document(records_archive, folder, "invoice", date(2024, 2, 1), client_id="C1"),
            file_document(records_archive, folder, "letter", date(2025, 5, 5), client_id="C1"),
        ],
        "C2": [file_document(records_archive, folder, "invoice", date(2024, 3, 1), client_id="C2")],
    }


def _documents_in(bag_dir: Path) -> set[int]:
    return {int(p.name) for p in (bag_dir / "data" / "documents").iterdir()}


def test_client_bag_validates_and_holds_exactly_that_client(records_archive, filed, tmp_path: Path, schema) -> None:
    out = tmp_path / "bag"
    result = records_archive.records.export(AUDITOR, out, client_id="C1")
    assert result.documents == filed["C1"]
    bag = bagit.Bag(str(out))
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert _documents_in(out) == set(filed["C1"])
    for folder in (out / "data" / "documents").iterdir():
        metadata = json.loads((folder / "metadata.json").read_text())
        assert metadata["client_id"] == "C1"
        assert metadata["files"][0]["sha256"] == metadata["sha256"]
        for record in folder.glob("mdto-*.xml"):
            schema.assertValid(etree.parse(str(record)))
    entries = json.loads((out / "data" / "audit" / "entries.json").read_text())
    assert {e["document_id"] for e in entries if e["document_id"]} == set(filed["C1"])
    checkpoint = json.loads((out / "data" / "audit" / "checkpoint.json").read_text())
    assert checkpoint["head_seq"] >= max(e["seq"] for e in entries) and checkpoint["signature"]
    assert "bagit" in (out / "data" / "VERIFY.md").read_text()
    # VERIFY.md's recipe, with the key the archive pinned (not the one the file names).
    body = [checkpoint[k] for k in ("number", "at", "entries", "head_seq", "head_hash", "previous", "seal_key")]
    payload = b"front-office-archive audit checkpoint 2\n" + json.dumps(body, separators=(",", ":")).encode()
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(records_archive.records.checkpointer.pinned_key())).verify(
        bytes.fromhex(checkpoint["signature"]), payload
    )


def test_mdto_names_retention_and_checksum(records_archive, filed, tmp_path: Path) -> None:
    out = tmp_path / "bag"
    records_archive.records.export(AUDITOR, out, client_id="C2")
    folder = out / "data" / "documents" / f"{filed['C2'][0]:08d}"
    ns = {"m": "https://www.nationaalarchief.nl/mdto"}
    record = etree.parse(str(folder / "mdto-informatieobject.xml"))
    assert record.findtext("m:informatieobject/m:bewaartermijn/m:termijnEinddatum", namespaces=ns) == "2031-12-31"
    assert record.findtext("m:informatieobject/m:bewaartermijn/m:termijnLooptijd", namespaces=ns) == "P7Y"
    bestand = etree.parse(str(folder / "mdto-bestand-original.xml"))
    metadata = json.loads((folder / "metadata.json").read_text())
    assert bestand.findtext("m:bestand/m:checksum/m:checksumWaarde", namespaces=ns) == metadata["sha256"]
    assert bestand.findtext("m:bestand/m:omvang", namespaces=ns) == str(metadata["size"])


def test_tampered_bag_fails_validation(records_archive, filed, tmp_path: Path) -> None:
    out = tmp_path / "bag"
    records_archive.records.export(AUDITOR, out, client_id="C2")
    original = next((out / "data" / "documents").rglob("original.pdf"))
    original.write_bytes(original.read_bytes() + b"x")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(out)).validate()


def test_export_is_audited_and_needs_the_export_permission(records_archive, filed, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        records_archive.records.export(STAFF, tmp_path / "no", client_id="C1")
    records_archive.records.export(AUDITOR, tmp_path / "bag", client_id="C1")
    [entry] = records_archive.records.audit_log(AUDITOR, actions=["export"])
    assert entry["actor"] == "aad" and entry["details"]["documents"] == filed["C1"]


def test_query_export_and_zip(records_archive, filed, tmp_path: Path) -> None:
    target = tmp_path / "bewijs.zip"
    result = records_archive.records.export_zip(AUDITOR, target, query="Betreft")
    assert set(result.documents) == set(filed["C1"] + filed["C2"])
    with zipfile.ZipFile(target) as bundle:
        bundle.extractall(tmp_path / "unzipped")
    bag = tmp_path / "unzipped" / "bewijs"
    bagit.Bag(str(bag)).validate()
    assert _documents_in(bag) == set(result.documents)


def test_export_refuses_a_used_folder_and_an_unclear_choice(records_archive, filed, tmp_path: Path) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "x").write_text("x")
    with pytest.raises(InvalidInput):
        records_archive.records.export(AUDITOR, used, client_id="C1")
    with pytest.raises(InvalidInput):
        records_archive.records.export(AUDITOR, tmp_path / "b", client_id="C1", query="x")
