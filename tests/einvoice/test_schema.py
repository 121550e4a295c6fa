"""The shipped UBL 2.1 schemas are the OASIS release, unchanged."""

from __future__ import annotations

import hashlib

from ingest.einvoice.schema import SCHEMA_DIR, describe_error


def test_shipped_schemas_match_their_checksums():
    listed = {}
    for line in (SCHEMA_DIR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
    present = {str(path.relative_to(SCHEMA_DIR)) for path in SCHEMA_DIR.rglob("*.xsd")}
    assert present == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((SCHEMA_DIR / name).read_bytes()).hexdigest() == digest, name
    assert "OASIS Universal Business Language (UBL) 2.1 OS" in (SCHEMA_DIR / "maindoc/UBL-Invoice-2.1.xsd").read_text()


def test_schema_errors_read_with_prefixes():
    message = (
        "Element '{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}DueDate': "
        "This element is not expected. Expected is ( "
        "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}IssueDate )."
    )
    assert describe_error(7, message) == (
        "line 7: Element 'cbc:DueDate': This element is not expected. Expected is ( cbc:IssueDate )"
    )
