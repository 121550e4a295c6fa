"""Reading UBL and CII e-invoices: every fact exactly as the XML says."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ingest.einvoice import CREDIT_NOTE, INVOICE, UBL_CREDIT_NOTE, parse_einvoice
from ingest.errors import InvalidEInvoice, UnsupportedFormat
from tests.einvoice.ubl import NLCIUS, InvoiceSpec, LineSpec, build_ubl, totals


@pytest.mark.corpus
def test_nlcius_sample_from_logius(corpus):
    invoice = parse_einvoice(
        (corpus / "einvoices/logius-NLCIUS_voorbeeldbericht_Basisfactuur_Rijk_v01.xml").read_bytes()
    )
    assert (invoice.number, invoice.issue_date, invoice.kind) == ("Factuurscenario1", date(2019, 10, 1), INVOICE)
    assert invoice.specification.endswith("nlcius:v1.0")
    assert (invoice.payable, invoice.currency, invoice.vat_total) == (Decimal("3926.50"), "EUR", Decimal("676.50"))
    assert invoice.iban == "NL02ABNA0123456789" and invoice.payment_reference == "1111452145876521"
    assert (invoice.seller.name, invoice.seller.kvk, invoice.seller.vat_id) == (
        "Leverancier B.V.",
        "32141305",
        "NL820098395B01",
    )
    assert invoice.buyer.name == "Logius" and invoice.buyer.postcode == "2509 JE"
    assert [(v.rate, v.taxable, v.tax) for v in invoice.vat] == [
        (Decimal("21"), Decimal("3200.00"), Decimal("672")),
        (Decimal("9"), Decimal("50.00"), Decimal("4.50")),
    ]
    assert len(invoice.lines) == 3 and "Artikelbeschrijving factuurregel 3" in invoice.lines[2].description


@pytest.mark.corpus
def test_peppol_sample_has_due_date_and_seller_kvk(corpus):
    invoice = parse_einvoice(
        (corpus / "einvoices/logius-Peppol_BIS_3_voorbeeldbericht_Basisfactuur_Rijk.xml").read_bytes()
    )
    assert (invoice.number, invoice.due_date) == ("P01", date(2020, 12, 1))
    assert invoice.specification.endswith("billing:3.0")
    assert invoice.seller.kvk == "27131824" and invoice.seller.trading_name == "SupplierTradingName Ltd."


@pytest.mark.corpus
def test_older_ubl_ohnl_names_kvk_and_vat_by_agency(corpus):
    invoice = parse_einvoice(
        (corpus / "einvoices/logius-UBL-OHNL_voorbeeldbericht_Basisfactuur_Rijk_v03.xml").read_bytes()
    )
    assert (invoice.seller.kvk, invoice.seller.vat_id) == ("30097265", "NL73847292B01")
    assert invoice.payable == Decimal("227.00") and invoice.iban == "NL87INGB0123456789"


@pytest.mark.corpus
def test_corrective_invoice_keeps_the_xml_negative_amount(corpus):
    invoice = parse_einvoice((corpus / "einvoices/zugferd-EN16931_Rechnungskorrektur.ubl.xml").read_bytes())
    assert invoice.type_code == "384" and invoice.kind == INVOICE
    assert invoice.signed_amount == Decimal("-8.79")


@pytest.mark.corpus
def test_payable_after_prepayment_is_the_amount(corpus):
    invoice = parse_einvoice((corpus / "einvoices/zugferd-EN16931_Rabatte.ubl.xml").read_bytes())
    assert (invoice.total_with_vat, invoice.prepaid, invoice.payable) == (
        Decimal("215.07"),
        Decimal("50"),
        Decimal("165.07"),
    )


def test_generated_credit_note_is_a_credit():
    spec = InvoiceSpec(
        root="CreditNote", type_code="381", number="CN-2024-007", preceding="2024-0042", customization=NLCIUS
    )
    invoice = parse_einvoice(build_ubl(spec))
    assert (invoice.syntax, invoice.kind) == (UBL_CREDIT_NOTE, CREDIT_NOTE)
    assert invoice.payable == totals(spec)["payable"] and invoice.signed_amount == -invoice.payable
    assert invoice.preceding_invoices == ("2024-0042",)
    assert invoice.due_date == date(2024, 4, 11)  # a credit note carries it under PaymentMeans


def test_several_vat_rates_and_prepayment():
    lines = (
        LineSpec("Consult", "Spreekuur 20 min", Decimal("2"), Decimal("45.00"), Decimal("21")),
        LineSpec("Boek 'Gezond eten'", None, Decimal("1"), Decimal("24.95"), Decimal("9")),
        LineSpec("Vaccinatie", "Griepprik", Decimal("1"), Decimal("12.00"), Decimal("0")),
    )
    spec = InvoiceSpec(lines=lines, prepaid=Decimal("50.00"))
    invoice = parse_einvoice(build_ubl(spec))
    expected = totals(spec)
    assert {v.rate: v.tax for v in invoice.vat} == {
        Decimal("21"): Decimal("18.90"),
        Decimal("9"): Decimal("2.25"),
        Decimal("0"): Decimal("0.00"),
    }
    assert invoice.total_with_vat == expected["incl"] and invoice.payable == expected["incl"] - Decimal("50.00")
    assert [line.name for line in invoice.lines] == ["Consult", "Boek 'Gezond eten'", "Vaccinatie"]


def test_embedded_pdf_is_found_by_its_bytes():
    invoice = parse_einvoice(build_ubl(InvoiceSpec(embedded_pdf=b"%PDF-1.7\n% the sender's own invoice\n")))
    pdf = invoice.embedded_pdf()
    assert pdf is not None and pdf.data.startswith(b"%PDF-1.7") and pdf.filename == "2024-0042.pdf"
    not_pdf = parse_einvoice(build_ubl(InvoiceSpec(embedded_pdf=b"PK\x03\x04 a zip")))
    assert not_pdf.embedded_pdf() is None


def test_schema_violation_is_refused_with_where():
    xml = build_ubl(InvoiceSpec()).replace(b"<cbc:IssueDate>2024-03-12</cbc:IssueDate>", b"")
    with pytest.raises(InvalidEInvoice, match=r"not a valid UBL 2.1 invoice: line \d+: .*cbc:DueDate"):
        parse_einvoice(xml)


def test_wrong_date_value_is_refused():
    xml = build_ubl(InvoiceSpec()).replace(b"2024-03-12", b"12-03-2024")
    with pytest.raises(InvalidEInvoice, match=r"not a valid UBL 2\.1 invoice"):
        parse_einvoice(xml)


def test_damaged_xml_and_other_xml():
    with pytest.raises(InvalidEInvoice, match="damaged"):
        parse_einvoice(build_ubl(InvoiceSpec())[:-40])
    with pytest.raises(UnsupportedFormat, match="not an e-invoice"):
        parse_einvoice(b"<?xml version='1.0'?><catalog><book/></catalog>")


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xml = build_ubl(InvoiceSpec(number="&xxe;")).replace(b"&amp;xxe;", b"&xxe;")
    xml = xml.replace(b"?>\n", f'?>\n<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'.encode(), 1)
    with pytest.raises(InvalidEInvoice, match="DTD") as refused:
        parse_einvoice(xml)
    assert "TOPSECRET" not in str(refused.value)


@pytest.mark.corpus
def test_cii_from_factur_x_is_read(corpus):
    from ingest.einvoice import embedded_invoice

    invoice = embedded_invoice(corpus / "einvoices/zugferd-fnfe-Facture_FR_BASICWL.pdf")
    assert (invoice.number, invoice.payable, invoice.prepaid) == ("FA-2017-0010", Decimal("470.15"), Decimal("201.00"))
    credit = embedded_invoice(corpus / "einvoices/zugferd-fnfe-Avoir_FR_type381_BASIC.pdf")
    assert credit.kind == CREDIT_NOTE and credit.signed_amount == Decimal("-233.47")
    assert credit.preceding_invoices == ("FA-2017-0010",)


@pytest.mark.parametrize("spec", [InvoiceSpec(), replace(InvoiceSpec(), customization=NLCIUS, due_date=None)])
def test_generated_invoices_roundtrip(spec):
    invoice = parse_einvoice(build_ubl(spec))
    assert (invoice.number, invoice.issue_date, invoice.payable) == (
        spec.number,
        date(2024, 3, 12),
        totals(spec)["payable"],
    )
    assert (invoice.seller.kvk, invoice.buyer.vat_id, invoice.iban) == (
        "12345678",
        "NL859048377B01",
        "NL91ABNA0417164300",
    )
