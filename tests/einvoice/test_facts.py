"""An e-invoice's facts come from its XML with confidence 1; the client as on any document."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from archive.config import load_config
from ingest.einvoice import einvoice_facts, parse_einvoice, vat_breakdown_rows
from ingest.facts import ClientRecord, ClientRegistry
from tests.einvoice.ubl import BUYER, InvoiceSpec, LineSpec, build_ubl, totals


@pytest.fixture(scope="module")
def settings():
    return load_config().extraction


def _facts(spec: InvoiceSpec, clients, settings):
    return einvoice_facts(parse_einvoice(build_ubl(spec)), ClientRegistry(clients), settings)


def test_every_fact_from_the_xml_with_confidence_one(settings):
    spec = InvoiceSpec()
    facts = _facts(spec, [ClientRecord("K-10023", "Huisartsenpraktijk De Linde", "company", kvk="87654321")], settings)
    assert (facts.document_type, facts.document_date, facts.reference) == ("invoice", date(2024, 3, 12), "2024-0042")
    assert (facts.amount, facts.currency, facts.iban) == (totals(spec)["payable"], "EUR", "NL91ABNA0417164300")
    assert facts.client_id == "K-10023" and not facts.needs_review
    assert all(fact.confidence == 1.0 for fact in facts.evidence)
    named = {fact.name: fact.value for fact in facts.evidence}
    assert named["due_date"] == "2024-04-11" and named["supplier"] == "Jansen Installatietechniek B.V."
    assert named["supplier_kvk"] == "12345678" and named["buyer_vat"] == "NL859048377B01"
    assert named["vat_amount"] == "34.02" and named["vat_breakdown"] == "21%: 34.02 over 162.00"
    assert facts.title == "Factuur 2024-0042 — Huisartsenpraktijk De Linde"


def test_vat_per_rate_reads_back_for_a_page_to_word(settings):
    lines = (
        LineSpec("Consult", None, Decimal("2"), Decimal("45.00"), Decimal("21")),
        LineSpec("Boek", None, Decimal("1"), Decimal("24.95"), Decimal("9")),
        LineSpec("Vaccinatie", None, Decimal("1"), Decimal("12.00"), Decimal("0")),
    )
    facts = _facts(InvoiceSpec(lines=lines), [], settings)
    breakdown = next(fact.value for fact in facts.evidence if fact.name == "vat_breakdown")
    assert vat_breakdown_rows(breakdown) == [
        {"rate": "21", "category": None, "tax": "18.90", "taxable": "90.00"},
        {"rate": "9", "category": None, "tax": "2.25", "taxable": "24.95"},
        {"rate": "0", "category": None, "tax": "0.00", "taxable": "12.00"},
    ]
    assert vat_breakdown_rows("E: 0.00") == [{"rate": None, "category": "E", "tax": "0.00", "taxable": None}]
    assert vat_breakdown_rows("") == []


def test_credit_note_amount_is_negative(settings):
    spec = InvoiceSpec(root="CreditNote", type_code="381", number="CN-7")
    facts = _facts(spec, [], settings)
    assert facts.amount == -totals(spec)["payable"] and facts.fact("invoice_kind").value == "credit_note"
    assert facts.title.startswith("Creditnota CN-7")
    assert facts.review_reasons == ("no_client",)


def test_supplier_vat_or_iban_finds_the_client(settings):
    by_vat = _facts(InvoiceSpec(), [ClientRecord("L-1", "Jansen", "company", vat="NL001234567B01")], settings)
    assert by_vat.client_id == "L-1" and "(seller)" in by_vat.fact("client_id").source_text
    by_iban = _facts(InvoiceSpec(), [ClientRecord("L-2", "Iemand", "person", iban="NL91ABNA0417164300")], settings)
    assert by_iban.client_id == "L-2"


def test_two_clients_in_one_invoice_go_to_review(settings):
    clients = [
        ClientRecord("A-1", "De Linde", "company", kvk="87654321"),
        ClientRecord("A-2", "Jansen", "company", kvk="12345678"),
    ]
    facts = _facts(InvoiceSpec(), clients, settings)
    assert facts.client_id is None and facts.review_reasons == ("ambiguous_client",)


def test_name_and_postcode_when_no_identifier_matches(settings):
    buyer = replace(BUYER, vat=None, kvk=None, email=None)
    clients = [ClientRecord("K-7", "Huisartsenpraktijk De Linde", "company", postcode="3581 KL")]
    facts = _facts(InvoiceSpec(buyer=buyer), clients, settings)
    assert facts.client_id == "K-7"
    unrelated = _facts(InvoiceSpec(buyer=buyer), [ClientRecord("K-8", "Bakkerij Vermeulen", "company")], settings)
    assert unrelated.client_id is None and "no_client" in unrelated.review_reasons
