"""Disposition: what is due, who may approve, what is destroyed and what is kept."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from archive.access.actors import SYSTEM
from archive.errors import PermissionDenied
from search import SearchRequest
from storage import documents_repo, records_repo
from storage.engines import open_database
from tests.records.conftest import AUDITOR, CLERK, RITA, ROB, STAFF, file_document


def _search_ids(archive, words: str) -> set[int]:
    return {hit.id for hit in archive.search(SearchRequest(query=words), RITA).hits}


def test_lists_only_what_is_past_retention_and_unheld(records_archive, tmp_path: Path) -> None:
    old = file_document(records_archive, tmp_path, "invoice", date(2015, 6, 1))
    recent = file_document(records_archive, tmp_path, "invoice", date(2024, 6, 1))
    held = file_document(records_archive, tmp_path, "invoice", date(2015, 6, 1))
    records_archive.records.place_hold(RITA, "Zaak", document_id=held)
    result = records_archive.records.dispose(AUDITOR).to_json()
    assert result["due"] == [{"id": old, "retention_until": "2022-12-31", "rule": "invoice"}]
    assert result["destroyed"] == [] and recent not in [d["id"] for d in result["due"]]
    with pytest.raises(PermissionDenied):
        records_archive.records.dispose(STAFF)


@pytest.mark.parametrize("actor", [SYSTEM, CLERK, AUDITOR])
def test_only_a_records_manager_approves(records_archive, tmp_path: Path, actor) -> None:
    document = file_document(records_archive, tmp_path, "invoice", date(2015, 6, 1))
    with pytest.raises(PermissionDenied):
        records_archive.records.dispose(actor, approve=True)
    assert records_archive.document(document, RITA).state == "filed"


def test_approval_destroys_bytes_texts_facts_and_index_and_keeps_a_tombstone(records_archive, tmp_path: Path) -> None:
    archive = records_archive
    document = file_document(archive, tmp_path, "invoice", date(2015, 6, 1), client_id="C1")
    keeper = file_document(archive, tmp_path, "invoice", date(2025, 6, 1))
    sha256 = archive.document(document, RITA).sha256
    original = archive.store.path_for(sha256)
    archive.store.put_derivative(sha256, "thumb.png", original)
    assert document in _search_ids(archive, "Betreft")
    result = archive.records.dispose(RITA, approve=True)
    assert result.destroyed == [document]
    assert not original.exists() and not archive.store.derivative_path(sha256, "thumb.png").exists()
    conn = archive.db.read()
    assert documents_repo.get_pages(conn, document) == [] and documents_repo.get_facts(conn, document) == []
    assert _search_ids(archive, "Betreft") == {keeper}
    shown = archive.document(document, RITA).to_json()
    assert shown["state"] == "disposed" and shown["text"] == ""
    stone = shown["tombstone"]
    assert stone["sha256"] == sha256 and stone["approved_by"] == ["rita"] and stone["client_id"] == "C1"
    assert stone["retention_rule"] == "invoice" and stone["document_type"] == "invoice"
    certificate = json.loads(Path(stone["certificate"]["json"]).read_text())
    assert [d["document_id"] for d in certificate["documents"]] == [document]
    assert "Verklaring van vernietiging" in Path(stone["certificate"]["html"]).read_text()
    assert [c["id"] for c in archive.records.certificates(RITA)] == [stone["certificate"]["number"]]
    assert archive.verify_all()["ok"]  # a destroyed original is not "missing"
    assert "dispose" in [e["action"] for e in archive.audit.for_document(document)]


def test_four_eyes_need_a_second_different_records_manager(open_archive, tmp_path: Path) -> None:
    archive = open_archive(disposition_approvals=2)
    document = file_document(archive, tmp_path, "invoice", date(2015, 6, 1))
    first = archive.records.dispose(RITA, approve=True)
    assert first.awaiting_second_approval == [document] and first.destroyed == []
    assert archive.records.dispose(ROB).awaiting_second_approval == [document]  # what the second one sees
    again = archive.records.dispose(RITA, approve=True)
    assert again.awaiting_second_approval == [document] and archive.store.has(archive.document(document, RITA).sha256)
    second = archive.records.dispose(ROB, approve=True)
    assert second.destroyed == [document]
    assert archive.document(document, RITA).tombstone["approved_by"] == ["rita", "rob"]


def test_a_hold_after_the_first_approval_voids_it(open_archive, tmp_path: Path) -> None:
    archive = open_archive(disposition_approvals=2)
    document = file_document(archive, tmp_path, "invoice", date(2015, 6, 1))
    archive.records.dispose(RITA, approve=True)
    archive.records.place_hold(ROB, "Zaak", document_id=document)
    archive.records.release_hold(ROB, "Klaar", document_id=document)
    assert archive.records.dispose(ROB, approve=True).awaiting_second_approval == [document]


def test_the_database_refuses_to_dispose_a_held_document(records_archive, tmp_path: Path) -> None:
    document = file_document(records_archive, tmp_path, "invoice", date(2015, 6, 1), client_id="C9")
    records_archive.records.place_hold(RITA, "Zaak", client_id="C9")
    with pytest.raises(sqlite3.IntegrityError, match="legal hold"):
        with records_archive.db.atomic() as conn:
            records_repo.mark_disposed(conn, document, "2026-03-02T09:00:00Z")
    assert records_archive.document(document, RITA).state == "filed"


def test_a_hold_placed_during_a_run_wins(records_archive, config, tmp_path: Path) -> None:
    archive = records_archive
    documents = [file_document(archive, tmp_path, "invoice", date(2015, 6, 1)) for _ in range(3)]
    other_process = open_database(config.database_target)  # its own connection, like another process

    def place_hold_elsewhere() -> None:
        with other_process.atomic() as conn:
            records_repo.insert_hold(
                conn,
                {
                    "document_id": documents[2],
                    "client_id": None,
                    "reason": "Zaak",
                    "case_reference": None,
                    "placed_by": "rob",
                    "placed_at": "now",
                },
            )

    def after_each(_: int) -> None:
        if not calls:
            worker = threading.Thread(target=place_hold_elsewhere)
            worker.start()
            worker.join()
        calls.append(1)

    calls: list[int] = []
    result = archive.records.dispose(RITA, approve=True, progress=after_each)
    other_process.close()
    assert result.destroyed == documents[:2]
    assert result.skipped == [{"id": documents[2], "reason": "on legal hold"}]
    assert archive.store.has(archive.document(documents[2], RITA).sha256)


def test_racing_hold_and_disposal_never_destroy_a_held_document(records_archive, tmp_path: Path) -> None:
    archive = records_archive
    documents = [file_document(archive, tmp_path, "invoice", date(2015, 6, 1)) for _ in range(6)]
    placed: list[int] = []

    def hold_all() -> None:
        for document in reversed(documents):
            try:
                archive.records.place_hold(ROB, "Zaak", document_id=document)
                placed.append(document)
            except Exception:  # already destroyed: the hold comes too late, which is allowed
                pass

    holder = threading.Thread(target=hold_all)
    holder.start()
    result = archive.records.dispose(RITA, approve=True)
    holder.join()
    assert not set(placed) & set(result.destroyed)
    for document in placed:
        assert archive.store.has(archive.document(document, RITA).sha256)


def test_crash_after_marking_finishes_on_the_next_run(records_archive, tmp_path: Path, monkeypatch) -> None:
    archive = records_archive
    document = file_document(archive, tmp_path, "invoice", date(2015, 6, 1))
    sha256 = archive.document(document, RITA).sha256

    def crash(_sha256: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(archive.store, "destroy", crash)
    with pytest.raises(OSError):
        archive.records.dispose(RITA, approve=True)
    assert archive.document(document, RITA).state == "disposed" and archive.store.has(sha256)
    assert archive.verify_all()["ok"]
    monkeypatch.undo()
    archive.records.dispose(AUDITOR)  # any run finishes what a crash left
    assert not archive.store.has(sha256)
    assert archive.document(document, RITA).tombstone["certificate"] is not None


def test_schedule_change_recomputes_retention_at_open(open_archive, config, tmp_path: Path) -> None:
    import dataclasses

    archive = open_archive()
    document = file_document(archive, tmp_path, "letter", date(2015, 6, 1))
    assert archive.document(document, RITA).retention_until == "2017-12-31"
    archive.close()
    rules = dict(config.records.retention)
    rules["letter"] = dataclasses.replace(rules["letter"], years=20)
    reopened = open_archive(retention=rules)
    assert reopened.document(document, RITA).retention_until == "2035-12-31"
    assert reopened.records.dispose(RITA, approve=True).destroyed == []


def test_changed_type_or_date_is_recomputed_before_destroying(records_archive, tmp_path: Path) -> None:
    archive = records_archive
    document = file_document(archive, tmp_path, "letter", date(2015, 6, 1))
    with archive.db.atomic() as conn:  # a change made behind the service's back
        documents_repo.update_document(conn, document, document_type="medical_record")
    assert archive.records.dispose(RITA, approve=True).destroyed == []
    # Medical records: twenty years from the dossier's last change (here: its filing).
    assert archive.document(document, RITA).retention_until == "2046-03-02"


def test_event_rule_starts_when_the_event_is_recorded(open_archive, config, tmp_path: Path) -> None:
    from archive.config import RetentionRule

    # Payslips kept 5 years after the year employment ended (a deployment's own rule).
    rules = {**config.records.retention, "payslip": RetentionRule(5, "event", event="employment_ended")}
    archive = open_archive(retention=rules)
    document = file_document(archive, tmp_path, "payslip", date(2010, 1, 4), client_id="E7")
    assert archive.document(document, RITA).retention_until is None
    with pytest.raises(PermissionDenied):
        archive.records.record_event(CLERK, "employment_ended", date(2019, 5, 31), client_id="E7")
    assert archive.records.record_event(RITA, "employment_ended", date(2019, 5, 31), client_id="E7") == [document]
    assert archive.document(document, RITA).retention_until == "2024-12-31"
    assert set(archive.records.dispose(RITA, approve=True).destroyed) == {document}


def test_a_stale_list_cannot_destroy_a_held_document(records_archive, tmp_path: Path, monkeypatch) -> None:
    from archive.records.disposition import DueDocument

    held = file_document(records_archive, tmp_path, "invoice", date(2015, 6, 1))
    young = file_document(records_archive, tmp_path, "invoice", date(2025, 6, 1))
    records_archive.records.place_hold(RITA, "Zaak", document_id=held)
    # As if the list had been made just before the hold, by another process.
    stale = [DueDocument(held, "2022-12-31", "invoice"), DueDocument(young, "2022-12-31", "invoice")]
    monkeypatch.setattr(records_archive.records.disposer, "due", lambda today: stale)
    result = records_archive.records.dispose(RITA, approve=True)
    assert result.destroyed == [] and {s["reason"] for s in result.skipped} == {"on legal hold", "not yet due"}
    assert {records_archive.document(d, RITA).state for d in (held, young)} == {"filed"}


def test_an_altered_certificate_is_reported_by_verify(records_archive, tmp_path: Path) -> None:
    file_document(records_archive, tmp_path, "invoice", date(2015, 6, 1))
    number = records_archive.records.dispose(RITA, approve=True).certificate["number"]
    path = records_archive.records.certificate_file(RITA, number, "html")
    assert path.is_relative_to(records_archive.config.home)
    path.chmod(0o600)
    path.write_text(path.read_text().replace("rita", "niemand"))
    report = records_archive.verify_all()
    assert not report["ok"] and any("Certificate of destruction" in p and "altered" in p for p in report["problems"])


_HOLDER = """
import sys, time
from storage import documents_repo, records_repo
from storage.engines import open_database
db = open_database(sys.argv[1])
placed = []
for document_id in map(int, sys.argv[2:]):
    with db.atomic() as conn:  # as RecordsService.place_hold: refuse a destroyed document
        if documents_repo.get_document(conn, document_id)["state"] == "disposed":
            continue
        records_repo.insert_hold(conn, {"document_id": document_id, "client_id": None, "reason": "zaak",
                                        "case_reference": None, "placed_by": "rob", "placed_at": "t"})
        placed.append(document_id)
    time.sleep(0.01)
print(" ".join(map(str, placed)))
"""


def test_holds_from_another_process_race_a_disposal_safely(records_archive, config, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.documents import REPO

    archive = records_archive
    documents = [file_document(archive, tmp_path, "invoice", date(2015, 6, 1)) for _ in range(8)]
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, config.database_target, *map(str, reversed(documents))],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    result = archive.records.dispose(RITA, approve=True)
    placed = {int(n) for n in holder.communicate(timeout=60)[0].split()}
    assert holder.returncode == 0
    assert not placed & set(result.destroyed)
    assert placed | set(result.destroyed) == set(documents)
    for document in placed:
        assert archive.store.has(archive.document(document, RITA, audit=False).sha256)


def _leave_in_review(archive, document_id: int, reasons: list[str]) -> None:
    with archive.db.atomic() as conn:
        documents_repo.update_document(conn, document_id, needs_review=1, review_reasons=json.dumps(reasons))


def test_unconfirmed_facts_are_flagged_and_left_alone_unless_included(records_archive, tmp_path: Path) -> None:
    archive = records_archive
    sure = file_document(archive, tmp_path, "invoice", date(2015, 6, 1))
    unsure = file_document(archive, tmp_path, "invoice", date(2015, 6, 1))
    no_client = file_document(archive, tmp_path, "invoice", date(2015, 6, 1))
    _leave_in_review(archive, unsure, ["unsure_type", "no_date"])
    _leave_in_review(archive, no_client, ["no_client", "no_amount"])  # neither decided the date
    due = {d.id: d for d in archive.records.due(RITA)}
    assert due[unsure].unconfirmed == ("unsure_type", "no_date") and due[sure].unconfirmed == ()
    assert due[no_client].unconfirmed == ()
    result = archive.records.dispose(RITA, approve=True)
    assert sorted(result.destroyed) == sorted([sure, no_client])
    assert result.skipped == [{"id": unsure, "reason": "facts not confirmed"}]
    assert archive.document(unsure, RITA).state == "filed"
    # Named among the ids is not enough: it must be included on its own.
    assert archive.records.dispose(RITA, approve=True, ids=[unsure]).destroyed == []
    assert archive.records.dispose(RITA, approve=True, ids=[unsure], include_unconfirmed=[unsure]).destroyed == [unsure]


def test_only_the_chosen_documents_are_approved(records_archive, tmp_path: Path) -> None:
    archive = records_archive
    chosen, left = (file_document(archive, tmp_path, "invoice", date(2015, 6, 1)) for _ in range(2))
    young = file_document(archive, tmp_path, "invoice", date(2025, 6, 1))
    result = archive.records.dispose(RITA, approve=True, ids=[chosen, young])
    assert result.destroyed == [chosen] and result.skipped == [{"id": young, "reason": "not yet due"}]
    assert archive.document(left, RITA).state == "filed"


def test_unconfirmed_client_matters_for_dossier_rules_only() -> None:
    from archive.records.disposition import unconfirmed_reasons

    assert unconfirmed_reasons("last_change", True, ["no_client", "no_date"]) == ["no_client"]
    assert unconfirmed_reasons("end_of_year", True, ["no_client", "unsure_date"]) == ["unsure_date"]
    assert unconfirmed_reasons("end_of_year", False, ["unsure_date"]) == []
