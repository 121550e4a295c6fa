"""The e-invoice inside a PDF (Factur-X / ZUGFeRD)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pypdf import PdfWriter

from ingest.einvoice import embedded_invoice, embedded_invoice_xml
from ingest.errors import InvalidEInvoice
from tests.documents import text_pdf


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name, number, payable",
    [
        ("zugferd-EN16931_Einfach.pdf", "471102", "529.87"),
        ("zugferd-EN16931_Rabatte.pdf", "471102", "165.07"),
        ("zugferd-EN16931_Physiotherapeut.pdf", "R18-31", "380.00"),
    ],
)
def test_factur_x_pdfs_from_the_corpus(corpus, name, number, payable):
    invoice = embedded_invoice(corpus / "einvoices" / name)
    assert (invoice.number, invoice.payable) == (number, Decimal(payable))


def test_an_ordinary_pdf_has_none(tmp_path):
    assert embedded_invoice(text_pdf(tmp_path / "brief.pdf", ["Geachte heer Jansen"])) is None
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\nnot really")
    assert embedded_invoice_xml(damaged) is None


@pytest.mark.corpus
def test_a_broken_embedded_invoice_is_reported(corpus, tmp_path):
    good = embedded_invoice_xml(corpus / "einvoices/zugferd-EN16931_Einfach.pdf")
    broken = good.replace(b"<ram:DuePayableAmount>", b"<ram:Oops/><ram:DuePayableAmount>")
    writer = PdfWriter(clone_from=text_pdf(tmp_path / "plain.pdf", ["Rechnung 471102"]))
    writer.add_attachment("factur-x.xml", broken)
    target = tmp_path / "hybrid.pdf"
    writer.write(target)
    assert embedded_invoice_xml(target) == broken
    with pytest.raises(InvalidEInvoice, match="Factur-X"):
        embedded_invoice(target)
