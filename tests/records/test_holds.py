"""Legal holds: who may place them, stacking, client holds covering later documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import Conflict, InvalidInput, PermissionDenied
from archive.records.holds import Hold, is_free, pick_to_release
from tests.records.conftest import ADMIN, CLERK, RITA, ROB, STAFF, file_document


def _hold(hold_id: int, case: str | None, released: bool = False) -> Hold:
    return Hold(hold_id, "document", 1, None, "reden", case, "rita", "t", released_at="t2" if released else None)


def test_holds_stack_until_every_one_is_released() -> None:
    assert not is_free([_hold(1, "A"), _hold(2, "B", released=True)])
    assert is_free([_hold(1, "A", released=True), _hold(2, "B", released=True)])


def test_release_must_say_which_of_several() -> None:
    with pytest.raises(InvalidInput, match="Several holds"):
        pick_to_release([_hold(1, "A"), _hold(2, "B")], None, None)
    assert [h.id for h in pick_to_release([_hold(1, "A"), _hold(2, "B")], "B", None)] == [2]
    with pytest.raises(InvalidInput):
        pick_to_release([_hold(1, "A")], "Z", None)


def test_only_records_managers_place_holds(records_archive, tmp_path: Path) -> None:
    document = file_document(records_archive, tmp_path)
    for actor in (CLERK, STAFF, ADMIN):
        with pytest.raises(PermissionDenied):
            records_archive.records.place_hold(actor, "x", document_id=document)
    records_archive.records.place_hold(RITA, "Verzoek advocaat", document_id=document)
    assert records_archive.records.is_held(document)
    with pytest.raises(PermissionDenied):
        records_archive.records.release_hold(ADMIN, "x", document_id=document)


def test_stacked_holds_keep_the_document_until_the_last_release(records_archive, tmp_path: Path) -> None:
    records = records_archive.records
    document = file_document(records_archive, tmp_path, client_id="C1")
    records.place_hold(RITA, "Zaak A", document_id=document, case_reference="A")
    records.place_hold(ROB, "Zaak B", client_id="C1", case_reference="B")
    records.release_hold(RITA, "A geschikt", document_id=document, case_reference="A")
    view = records_archive.document(document, RITA)
    assert view.legal_hold and {h["case_reference"] for h in view.holds} == {"A", "B"}
    records.release_hold(ROB, "B geschikt", client_id="C1")
    assert not records_archive.document(document, RITA).legal_hold
    assert view.retention_until == records_archive.document(document, RITA).retention_until
    actions = [e["action"] for e in records_archive.audit.for_document(document)]
    assert actions.count("hold_add") == 1 and actions.count("hold_remove") == 1


def test_client_hold_covers_documents_filed_later(records_archive, tmp_path: Path) -> None:
    first = file_document(records_archive, tmp_path, client_id="C7")
    records_archive.records.place_hold(RITA, "Geschil", client_id="C7")
    later = file_document(records_archive, tmp_path, client_id="C7")
    other = file_document(records_archive, tmp_path, client_id="C8")
    assert records_archive.records.is_held(first) and records_archive.records.is_held(later)
    assert not records_archive.records.is_held(other)
    assert [h.client_id for h in records_archive.records.holds(RITA)] == ["C7"]


def test_hold_needs_a_reason_and_a_known_target(records_archive, tmp_path: Path) -> None:
    document = file_document(records_archive, tmp_path)
    with pytest.raises(InvalidInput):
        records_archive.records.place_hold(RITA, "  ", document_id=document)
    with pytest.raises(InvalidInput):
        records_archive.records.place_hold(RITA, "x", document_id=document, client_id="C1")
    with pytest.raises(InvalidInput, match="no client"):
        records_archive.records.place_hold(RITA, "x", client_id="NOBODY")


def test_hold_on_a_destroyed_document_is_refused(records_archive, tmp_path: Path) -> None:
    document = file_document(records_archive, tmp_path)
    records_archive.records.dispose(RITA, approve=True)
    with pytest.raises(Conflict, match="already destroyed"):
        records_archive.records.place_hold(RITA, "te laat", document_id=document)
