"""The readable PDF drawn from an e-invoice, and the text that is searched."""

from __future__ import annotations

from decimal import Decimal

from pypdf import PdfReader

from ingest.einvoice import draw_invoice_pdf, invoice_text, parse_einvoice
from tests.einvoice.ubl import InvoiceSpec, LineSpec, build_ubl


def test_drawn_pdf_is_a_real_pdf_with_the_invoice_on_it(tmp_path):
    invoice = parse_einvoice(build_ubl(InvoiceSpec()))
    target = draw_invoice_pdf(invoice, tmp_path / "view.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    for expected in (
        "Factuur 2024-0042",
        "Jansen Installatietechniek B.V.",
        "Jaarlijks onderhoud Remeha Tzerra",
        "Te betalen: EUR 196,02",
        "NL91ABNA0417164300",
        "Vervaldatum: 11-04-2024",
    ):
        assert expected in text


def test_long_invoice_flows_over_pages_and_draws_the_same_bytes(tmp_path):
    lines = tuple(
        LineSpec(f"Artikel {n}", f"Omschrijving van regel {n}", Decimal("1"), Decimal("2.50"), Decimal("21"))
        for n in range(1, 121)
    )
    invoice = parse_einvoice(build_ubl(InvoiceSpec(lines=lines)))
    first = draw_invoice_pdf(invoice, tmp_path / "a.pdf")
    second = draw_invoice_pdf(invoice, tmp_path / "b.pdf")
    reader = PdfReader(first)
    assert len(reader.pages) >= 3 and "Omschrijving van regel 120" in reader.pages[-1].extract_text()
    assert first.read_bytes() == second.read_bytes()


def test_text_has_line_descriptions_in_both_languages():
    invoice = parse_einvoice(build_ubl(InvoiceSpec(root="CreditNote", type_code="381")))
    dutch, english = invoice_text(invoice, "nl"), invoice_text(invoice, "en")
    assert "Creditnota 2024-0042" in dutch and "Te ontvangen (creditnota): EUR 196,02" in dutch
    assert "Credit note 2024-0042" in english and "EUR 196.02" in english
    assert "Jaarlijks onderhoud Remeha Tzerra" in dutch and "Filterset" in english


def test_names_in_other_scripts_get_an_embedded_font(tmp_path):
    from ingest.fonts import fonts_for

    assert fonts_for(["Müller & Zoon — € 12,50"]) == ("Helvetica", "Helvetica-Bold")
    assert fonts_for(["Παπαδόπουλος"])[0] == "DejaVuSans"
    spec = InvoiceSpec()
    invoice = parse_einvoice(build_ubl(spec).replace(b"Huisartsenpraktijk De Linde", "Κλινική Λίντε".encode()))
    text = PdfReader(draw_invoice_pdf(invoice, tmp_path / "g.pdf")).pages[0].extract_text()
    assert "Κλινική Λίντε" in text
