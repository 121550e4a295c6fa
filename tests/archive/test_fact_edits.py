"""Correcting a document's facts: validation, audit per fact, review cleared, retention, index."""

from __future__ import annotations

from datetime import date

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.errors import InvalidInput, PermissionDenied
from search import SearchRequest
from tests.documents import text_pdf
from tests.values.cases import AMOUNTS, BSNS, DATES

CLERK = Actor("anna", "clerk")


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

    view = archive.update_facts(document, {"document_type": "letter"}, CLERK, confirm=True, without_client=True)
    assert [(c["fact"], c["old_value"], c["new_value"], c["actor"]) for c in corrections(archive.db.read())] == [
        ("document_type", "invoice", "letter", "anna")
    ]
    assert not view.needs_review and view.review_reasons == []
    assert view.retention_rule in ("letter", None)
    confirmed = [e for e in view.history if e["action"] == "review_confirmed"]
    assert [e["details"]["without_client"] for e in confirmed] == [True]


def test_confirming_without_a_client_must_be_said_and_changes_nothing_else(archive, document):
    before = archive.document(document, SYSTEM, audit=False)
    assert before.client_id is None and before.needs_review
    with pytest.raises(InvalidInput) as refused:
        archive.update_facts(document, {"document_type": "letter"}, CLERK, confirm=True)
    assert refused.value.code == "review.client_missing"
    after = archive.document(document, SYSTEM, audit=False)
    assert (after.document_type, after.needs_review) == (before.document_type, True)
    assert not [e for e in after.history if e["action"] in ("change", "review_confirmed")]
    # Saving without confirming, or confirming with a client chosen, needs no such word.
    archive.update_facts(document, {"document_type": "letter"}, CLERK)
    archive.clients.add({"client_id": "K-1", "name": "Jansen"}, SYSTEM)
    view = archive.update_facts(document, {"client_id": "K-1"}, CLERK, confirm=True)
    assert view.client_id == "K-1" and not view.needs_review
    confirmed = next(e for e in view.history if e["action"] == "review_confirmed")
    assert "without_client" not in confirmed["details"] and confirmed["client_id"] == "K-1"


def test_a_client_and_the_no_client_tick_together_are_refused(archive, document):
    # A suggested client left in the field beside a tick that there is none: which was meant?
    archive.clients.add({"client_id": "K-1", "name": "Jansen"}, SYSTEM)
    with pytest.raises(InvalidInput) as refused:
        archive.update_facts(document, {"client_id": "K-1"}, CLERK, confirm=True, without_client=True)
    assert refused.value.code == "review.client_and_none"
    after = archive.document(document, SYSTEM, audit=False)
    assert (after.client_id, after.needs_review) == (None, True)


def test_emptying_a_date_the_document_had_must_be_said(archive, document):
    # Without its date an invoice of 2024 is kept from the day it was received: seven years
    # counted from the wrong year. An emptied field alone is no reason to move that.
    before = archive.document(document, SYSTEM, audit=False)
    assert before.document_date == "2024-03-12"
    with pytest.raises(InvalidInput) as refused:
        archive.update_facts(document, {"document_date": "", "reference": "R-1"}, CLERK)
    assert refused.value.code == "facts.date_emptied"
    assert refused.value.values["date"].isoformat() == "2024-03-12"
    after = archive.document(document, SYSTEM, audit=False)
    assert (after.document_date, after.reference, after.retention_until) == (
        "2024-03-12",
        before.reference,
        before.retention_until,
    )
    # Said out loud, it is emptied and retention counts from the day of receipt.
    view = archive.update_facts(document, {"document_date": ""}, CLERK, without_date=True)
    received = date.fromisoformat(view.created_at[:10])
    assert view.document_date is None
    assert view.retention_until == date(received.year + 7, 12, 31).isoformat()
    # A date that was never there needs no such word; neither does a date changed.
    assert archive.update_facts(document, {"document_date": ""}, CLERK).document_date is None
    assert archive.update_facts(document, {"document_date": "1-2-2024"}, CLERK).document_date == "2024-02-01"


def test_a_date_after_today_must_be_said(archive, document):
    # "3-12-62" is 2062 (two-digit years run 1970-2069): a birth year typed as a document
    # date would start its retention decades ahead. It is asked about, and stands when said.
    today = archive.core.clock.now().date()
    with pytest.raises(InvalidInput) as refused:
        archive.update_facts(document, {"document_date": "3-12-62", "reference": "R-1"}, CLERK)
    assert refused.value.code == "facts.date_after_today"
    assert (refused.value.values["date"], refused.value.values["today"]) == (date(2062, 12, 3), today)
    after = archive.document(document, SYSTEM, audit=False)
    assert (after.document_date, after.reference) == ("2024-03-12", "F2024-0012")
    view = archive.update_facts(document, {"document_date": "3-12-62"}, CLERK, date_after_today=True)
    assert (view.document_date, view.retention_until) == ("2062-12-03", "2069-12-31")
    # Today itself, and a change of another fact of a document dated ahead, are not asked about.
    assert archive.update_facts(document, {"reference": "R-2"}, CLERK).reference == "R-2"
    typed = today.strftime("%d-%m-%Y")
    assert archive.update_facts(document, {"document_date": typed}, CLERK).document_date == today.isoformat()


def test_a_date_after_today_is_not_set_on_many_documents_at_once(archive, document, tmp_path):
    other = archive.ingest(text_pdf(tmp_path / "g.pdf", ["Brief\nDatum: 1 mei 2024"]), SYSTEM).id
    with pytest.raises(InvalidInput) as refused:
        archive.bulk.apply([document, other], "date", "3-12-62", CLERK)
    assert refused.value.code == "bulk.date_after_today"
    dates = [archive.document(i, SYSTEM, audit=False).document_date for i in (document, other)]
    assert dates == ["2024-03-12", "2024-05-01"]


def test_a_corrected_amount_of_1200_is_twelve_hundred(archive, document):
    # 1.200 on the facts form is the Dutch twelve hundred, and searching amount:1.200 finds it.
    view = archive.update_facts(document, {"amount": "1.200"}, CLERK)
    assert view.amount == "1200.00"
    assert [h.id for h in archive.search(SearchRequest(query="amount:1.200"), SYSTEM).hits] == [document]
    assert [h.id for h in archive.search(SearchRequest(query="bedrag:>1.199,99"), SYSTEM).hits] == [document]
    assert archive.search(SearchRequest(query="amount:<2"), SYSTEM).total == 0


def test_every_typed_amount_date_and_bsn_is_stored_by_the_one_rule(archive, document):
    for typed, stored in AMOUNTS:
        assert archive.update_facts(document, {"amount": typed}, CLERK).amount == stored, typed
    for typed, day in DATES:
        assert archive.update_facts(document, {"document_date": typed}, CLERK).document_date == day.isoformat(), typed
    for typed, digits in BSNS:
        archive.update_facts(document, {"bsn": typed}, CLERK)
        assert archive.reveal_bsn(document, CLERK) == digits, typed


def test_bsn_is_masked_in_the_audit(archive, document):
    view = archive.update_facts(document, {"bsn": "111222333"}, CLERK)
    change = next(e for e in view.history if e["action"] == "change")
    assert change["details"] == {"fact": "bsn", "before": None, "after": "*****2333"}


@pytest.mark.parametrize(
    "changes",
    [
        {"client_id": "K-404"},
        {"document_type": "poem"},
        {"document_date": "gisteren"},
        {"amount": "veel"},
        {"iban": "NL00BANK0123456789"},
        {"bsn": "123456789"},
        {"colour": "blue"},
    ],
)
def test_invalid_values_change_nothing(archive, document, changes):
    with pytest.raises(InvalidInput):
        archive.update_facts(document, changes, CLERK)
    assert not [e for e in archive.document(document, SYSTEM, audit=False).history if e["action"] == "change"]


def test_staff_may_not_edit(archive, document):
    with pytest.raises(PermissionDenied):
        archive.update_facts(document, {"document_type": "letter"}, Actor("sam", "staff"))
