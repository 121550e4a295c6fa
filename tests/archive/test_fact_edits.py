"""Correcting a document's facts: validation, audit per fact, review cleared, retention, index."""

from __future__ import annotations

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.errors import InvalidInput, PermissionDenied
from archive.documents.fact_edits import parse_amount, parse_date
from search import SearchRequest
from tests.documents import text_pdf

CLERK = Actor("anna", "clerk")


@pytest.mark.parametrize("typed,stored", [
    ("1234.56", "1234.56"), ("1.234,56", "1234.56"), ("€ 1.234,56", "1234.56"), ("99,-", "99.00"),
    ("1,234.56", "1234.56"), ("12", "12.00"), ("-5,5", "-5.50"),
])
def test_amounts_typed_either_way(typed, stored):
    assert parse_amount(typed) == stored


@pytest.mark.parametrize("typed", ["abc", "1.2.3,4,5", "NaN", "Infinity"])
def test_bad_amounts(typed):
    with pytest.raises(InvalidInput):
        parse_amount(typed)


def test_dates_iso_or_dutch():
    assert parse_date("2024-03-12") == "2024-03-12"
    assert parse_date("12-3-2024") == "2024-03-12"
    with pytest.raises(InvalidInput):
        parse_date("31-02-2024")


@pytest.fixture
def document(archive, tmp_path) -> int:
    path = text_pdf(tmp_path / "f.pdf", ["Factuur F2024-0012\nFactuurdatum: 12 maart 2024\nTotaal: EUR 10,00"])
    return archive.ingest(path, SYSTEM).id


def test_each_changed_fact_is_audited_and_reasons_settle(archive, document):
    before = archive.document(document, SYSTEM, audit=False)
    assert "no_client" in before.review_reasons
    archive.clients.add({"client_id": "K-1", "name": "Jansen"}, SYSTEM)
    view = archive.update_facts(document, {"client_id": "K-1", "document_type": before.document_type}, CLERK)
    assert view.client_id == "K-1" and "no_client" not in view.review_reasons
    changes = [e for e in view.history if e["action"] == "change"]
    assert [c["details"] for c in changes] == [{"fact": "client_id", "before": None, "after": "K-1"}]
    assert changes[0]["actor"] == "anna"
    assert {e["name"]: e["origin"] for e in view.evidence}["client_id"] == "corrected"
    hits = archive.search(SearchRequest(query="client:K-1"), SYSTEM).hits
    assert [h.id for h in hits] == [document]


def test_confirm_clears_review_and_type_change_recomputes_retention(archive, document):
    from archive.documents.corrections import corrections

    view = archive.update_facts(document, {"document_type": "letter"}, CLERK, confirm=True)
    assert [(c["fact"], c["old_value"], c["new_value"], c["actor"]) for c in corrections(archive.db.read())] == [
        ("document_type", "invoice", "letter", "anna")]
    assert not view.needs_review and view.review_reasons == []
    assert view.retention_rule in ("letter", None)
    assert any(e["action"] == "review_confirmed" for e in view.history)


def test_bsn_is_masked_in_the_audit(archive, document):
    view = archive.update_facts(document, {"bsn": "111222333"}, CLERK)
    change = next(e for e in view.history if e["action"] == "change")
    assert change["details"] == {"fact": "bsn", "before": None, "after": "*****2333"}


@pytest.mark.parametrize("changes", [
    {"client_id": "K-404"}, {"document_type": "poem"}, {"document_date": "gisteren"}, {"amount": "veel"},
    {"iban": "NL00BANK0123456789"}, {"bsn": "123456789"}, {"colour": "blue"},
])
def test_invalid_values_change_nothing(archive, document, changes):
    with pytest.raises(InvalidInput):
        archive.update_facts(document, changes, CLERK)
    assert not [e for e in archive.document(document, SYSTEM, audit=False).history if e["action"] == "change"]


def test_staff_may_not_edit(archive, document):
    with pytest.raises(PermissionDenied):
        archive.update_facts(document, {"document_type": "letter"}, Actor("sam", "staff"))
