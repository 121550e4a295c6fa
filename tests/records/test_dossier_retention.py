"""Medical records are kept twenty years from the last change of the client's dossier (WGBO art. 7:454 BW)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from archive.documents.filing import FilingHints
from tests.documents import text_pdf
from tests.records.conftest import AUDITOR, CLERK

_NUMBERS = itertools.count(1)


@pytest.fixture
def medical(records_archive):
    for client_id, name in (("P-1", "Anna de Vries"), ("P-2", "Bram Bakker")):
        records_archive.clients.add({"client_id": client_id, "name": name, "kind": "person"}, CLERK)
    return records_archive


def _file(archive, folder: Path, client_id: str | None, document_date: date, kind: str = "medical_record") -> int:
    number = next(_NUMBERS)
    path = text_pdf(folder / f"med-{number}.pdf", [f"Consult {number}\nBevindingen en beleid {number}"])
    outcome = archive.ingest(
        path, hints=FilingHints(client_id=client_id, document_type=kind, document_date=document_date)
    )
    assert outcome.status == "filed", outcome.error
    return outcome.id


def _until(archive, document_id: int) -> str:
    return archive.document(document_id, CLERK, audit=False).retention_until


def test_an_old_paper_filed_now_is_kept_from_now(medical, tmp_path: Path) -> None:
    # Dated 1998, but filed (a change of the dossier) on 2 March 2026.
    first = _file(medical, tmp_path, "P-1", date(1998, 5, 4))
    assert _until(medical, first) == "2046-03-02"
    assert medical.document(first, CLERK, audit=False).retention_rule == "medical_record"


def test_a_newer_document_moves_the_whole_dossier_on(medical, tmp_path: Path, clock) -> None:
    first = _file(medical, tmp_path, "P-1", date(2026, 3, 1))
    other_client = _file(medical, tmp_path, "P-2", date(2026, 3, 1))
    not_medical = _file(medical, tmp_path, "P-1", date(2026, 3, 1), kind="letter")
    clock.advance(days=400)
    second = _file(medical, tmp_path, "P-1", date(2020, 1, 1))
    assert _until(medical, first) == _until(medical, second) == "2047-04-06"
    assert _until(medical, other_client) == "2046-03-02"  # another patient's dossier did not change
    assert _until(medical, not_medical) == "2028-12-31"  # letters keep their own rule


def test_a_correction_changes_the_dossier(medical, tmp_path: Path, clock) -> None:
    first = _file(medical, tmp_path, "P-1", date(2026, 3, 1))
    second = _file(medical, tmp_path, "P-1", date(2026, 3, 1))
    clock.advance(days=30)
    medical.update_facts(first, {"document_date": "2026-02-27"}, CLERK)
    assert _until(medical, first) == _until(medical, second) == "2046-04-01"


def test_moving_a_document_out_is_a_change_of_both_dossiers(medical, tmp_path: Path, clock) -> None:
    staying = _file(medical, tmp_path, "P-1", date(2026, 3, 1))
    moving = _file(medical, tmp_path, "P-1", date(2026, 3, 1))
    waiting = _file(medical, tmp_path, "P-2", date(2026, 3, 1))
    clock.advance(days=10)
    medical.update_facts(moving, {"client_id": "P-2"}, CLERK)
    assert _until(medical, staying) == "2046-03-12"  # P-1's dossier lost a document: changed
    assert _until(medical, moving) == _until(medical, waiting) == "2046-03-12"
    clock.advance(days=10)
    medical.update_facts(moving, {"document_type": "letter"}, CLERK)
    assert _until(medical, waiting) == "2046-03-22"  # retyped out of P-2's dossier: changed again
    assert _until(medical, staying) == "2046-03-12"


def test_without_a_client_the_document_is_its_own_dossier(medical, tmp_path: Path, clock) -> None:
    alone = _file(medical, tmp_path, None, date(2026, 3, 1))
    clock.advance(days=5)
    _file(medical, tmp_path, None, date(2026, 3, 1))
    assert _until(medical, alone) == "2046-03-02"


def test_an_existing_home_is_recomputed_under_the_new_rule(medical, tmp_path: Path, open_archive) -> None:
    from archive.config import RetentionRule

    first = _file(medical, tmp_path, "P-1", date(1999, 1, 1))
    old_rule = {**medical.config.records.retention, "medical_record": RetentionRule(20, "document_date")}
    medical.close()
    reopened = open_archive(retention=old_rule)
    assert _until(reopened, first) == "2019-01-01"  # what an earlier release computed
    reopened.close()
    upgraded = open_archive()  # the schedule changed: every date is recomputed at open
    assert _until(upgraded, first) == "2046-03-02"
    recomputed = upgraded.records.audit_log(AUDITOR, actions=["retention_recomputed"])[-1]
    assert recomputed["details"]["documents"] == 1
