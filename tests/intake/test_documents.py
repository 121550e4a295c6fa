"""Reading every format: text, a viewing PDF and a thumbnail, the original untouched."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pypdf import PdfReader

from ingest.documents import Office, read_any
from ingest.formats import EINVOICE_XML, detect_format
from ingest.office import OfficeSettings
from tests.documents import text_pdf
from tests.einvoice.ubl import InvoiceSpec, build_ubl
from tests.mail.messages import build_message
from tests.office.documents import docx


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return Office(tmp_path_factory.mktemp("lo"), OfficeSettings(timeout_seconds=120))


def _read(path, tmp_path, ocr_settings, ocr_runner, office=None):
    before = path.read_bytes()
    reading = read_any(path, detect_format(path), tmp_path / "work", ocr_settings, ocr_runner, office)
    assert path.read_bytes() == before
    return reading


def test_ubl_invoice_gets_a_drawn_pdf_and_its_lines_as_text(tmp_path, ocr_settings, ocr_runner):
    path = tmp_path / "factuur.xml"
    path.write_bytes(build_ubl(InvoiceSpec()))
    reading = _read(path, tmp_path, ocr_settings, ocr_runner)
    assert reading.result.mime_type == EINVOICE_XML and reading.einvoice.payable == Decimal("196.02")
    assert "Jaarlijks onderhoud Remeha Tzerra" in reading.result.pages[0].text
    assert "Factuur 2024-0042" in PdfReader(reading.result.searchable_pdf).pages[0].extract_text()
    assert reading.result.thumbnail.stat().st_size > 0


def test_ubl_with_its_own_pdf_shows_that_pdf(tmp_path, ocr_settings, ocr_runner):
    own = text_pdf(tmp_path / "own.pdf", ["Jansen Installatietechniek — originele factuur"]).read_bytes()
    path = tmp_path / "factuur.xml"
    path.write_bytes(build_ubl(InvoiceSpec(embedded_pdf=own)))
    reading = _read(path, tmp_path, ocr_settings, ocr_runner)
    assert reading.result.searchable_pdf.read_bytes() == own
    broken = tmp_path / "broken.xml"
    broken.write_bytes(build_ubl(InvoiceSpec(embedded_pdf=b"%PDF-1.4 broken")))
    drawn = _read(broken, tmp_path, ocr_settings, ocr_runner).result.searchable_pdf
    assert "Factuur 2024-0042" in PdfReader(drawn).pages[0].extract_text()


@pytest.mark.corpus
def test_factur_x_pdf_reads_as_pdf_with_its_invoice(corpus, tmp_path, ocr_settings, ocr_runner):
    reading = _read(corpus / "einvoices/zugferd-EN16931_Einfach.pdf", tmp_path, ocr_settings, ocr_runner)
    assert reading.result.mime_type == "application/pdf" and reading.einvoice.number == "471102"
    plain = _read(text_pdf(tmp_path / "brief.pdf", ["Geachte heer"]), tmp_path, ocr_settings, ocr_runner)
    assert plain.einvoice is None and plain.einvoice_problem is None


def test_a_message_body_as_a_document(tmp_path, ocr_settings, ocr_runner):
    path = tmp_path / "vraag.eml"
    path.write_bytes(build_message(subject="Vraag over mijn afspraak", body="Kan ik dinsdag komen?").as_bytes())
    reading = _read(path, tmp_path, ocr_settings, ocr_runner)
    assert reading.message.subject == "Vraag over mijn afspraak"
    assert "Kan ik dinsdag komen?" in reading.result.pages[0].text
    assert "Vraag over mijn afspraak" in PdfReader(reading.result.searchable_pdf).pages[0].extract_text()


@pytest.mark.slow  # one LibreOffice run
def test_an_office_file_gets_its_pdf_and_text(tmp_path, ocr_settings, ocr_runner, office):
    path = docx(tmp_path / "brief.docx", ["Geachte mevrouw Bakker,", "Hierbij de offerte voor de verbouwing."])
    reading = _read(path, tmp_path, ocr_settings, ocr_runner, office)
    assert reading.result.mime_type.endswith("wordprocessingml.document")
    assert "offerte voor de verbouwing" in reading.result.pages[0].text and not reading.result.ocr
    assert "Geachte mevrouw Bakker" in PdfReader(reading.result.searchable_pdf).pages[0].extract_text()
