"""Reading the trail: filters, CSV, the per-client access report (NEN 7513), audited reads."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from archive.access.actors import Actor
from archive.errors import PermissionDenied
from tests.records.conftest import AUDITOR, STAFF, file_document

ANNA = Actor("anna", "staff", address="10.0.0.7")
BERT = Actor("bert", "staff")


@pytest.fixture
def visited(records_archive, clock, tmp_path: Path) -> dict[str, int]:
    mine = file_document(records_archive, tmp_path, client_id="C1")
    other = file_document(records_archive, tmp_path, client_id="C2")
    records_archive.document(mine, ANNA)
    clock.advance(days=2)
    records_archive.original_path(mine, BERT)
    records_archive.document(other, BERT)
    return {"mine": mine, "other": other}


def test_filters_by_document_user_client_and_date(records_archive, visited, clock) -> None:
    log = records_archive.records.audit_log
    assert {e["actor"] for e in log(AUDITOR, document_id=visited["mine"], actions=["view", "download"])} == {
        "anna",
        "bert",
    }
    assert [e["action"] for e in log(AUDITOR, user="bert")] == ["download", "view"]
    assert {e["document_id"] for e in log(AUDITOR, client_id="C2", actions=["view"])} == {visited["other"]}
    assert [e["actor"] for e in log(AUDITOR, since=clock.now().date(), actions=["view", "download"])] == [
        "bert",
        "bert",
    ]
    with pytest.raises(PermissionDenied):
        log(STAFF)
    assert log(AUDITOR, actions=["audit_read"])  # reading the trail is itself audited


def test_csv_has_a_header_and_one_row_per_entry(records_archive, visited) -> None:
    entries = records_archive.records.audit_log(AUDITOR, user="anna")
    rows = list(csv.DictReader(io.StringIO(records_archive.records.audit_csv(entries))))
    assert len(rows) == len(entries) and rows[0]["actor"] == "anna" and rows[0]["address"] == "10.0.0.7"


def test_client_access_report_lists_who_and_when(records_archive, visited) -> None:
    report = records_archive.records.client_access_report(AUDITOR, "C1")
    people = {p["user"]: p for p in report["by_user"]}
    assert set(people) == {"anna", "bert"}
    assert people["bert"]["documents"] == [visited["mine"]] and people["anna"]["accesses"] == 1
    assert all(a["document_id"] == visited["mine"] for a in report["accesses"] if a["action"] == "view")
    assert records_archive.records.audit_log(AUDITOR, actions=["audit_report"])[0]["client_id"] == "C1"


def test_since_must_be_a_date(records_archive) -> None:
    from archive.errors import InvalidInput

    with pytest.raises(InvalidInput):
        records_archive.records.audit_log(AUDITOR, since="gisteren")
    # A period that ends before it starts is refused, not answered with an empty trail.
    with pytest.raises(InvalidInput, match=r"starts \(2024-12-31\) after it ends \(2024-01-01\)"):
        records_archive.records.audit_log(AUDITOR, since="31-12-2024", until="2024-01-01")
    assert records_archive.records.audit_log(AUDITOR, since=date(2000, 1, 1))


def test_newest_first_with_a_limit_gives_the_latest_page(records_archive, visited) -> None:
    latest = records_archive.records.audit_log(AUDITOR, actions=["view", "download"], limit=2, newest_first=True)
    assert [(e["actor"], e["action"]) for e in latest] == [("bert", "view"), ("bert", "download")]
