"""Every kind of file the archive takes in, told by its bytes."""

from __future__ import annotations

import pytest

from ingest.errors import EmptyDocument, UnsupportedFormat
from ingest.formats import EINVOICE, EINVOICE_XML, EML, MSG_MIME, OFFICE, SCAN, TEXT, detect_format, looks_like_mail
from tests.documents import text_pdf
from tests.einvoice.ubl import InvoiceSpec, build_ubl
from tests.mail.messages import build_message
from tests.mail.outlook import write_msg
from tests.office.documents import docx, odf


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_each_kind_by_its_bytes_whatever_its_name(tmp_path):
    assert detect_format(text_pdf(tmp_path / "a.docx", ["x"])).family == SCAN
    assert detect_format(_write(tmp_path / "a.pdf", build_ubl(InvoiceSpec()))).mime_type == EINVOICE_XML
    assert detect_format(_write(tmp_path / "b.txt", build_ubl(InvoiceSpec(root="CreditNote")))).family == EINVOICE
    assert detect_format(_write(tmp_path / "c.bin", build_message().as_bytes())).mime_type == EML
    assert detect_format(write_msg(tmp_path / "d.dat", "x", "a@b.nl", "x", None, [])).mime_type == MSG_MIME
    office = detect_format(docx(tmp_path / "e.pdf", ["x"]))
    assert (office.family, office.office_kind) == (OFFICE, "docx")
    assert detect_format(odf(tmp_path / "f", "ods", ["x"])).office_kind == "ods"
    text = detect_format(_write(tmp_path / "g.csv", "Notitie: bel mevrouw De Vries terug\n".encode("cp1252")))
    assert (text.mime_type, text.office_kind) == (TEXT, "txt")
    assert detect_format(_write(tmp_path / "h", "Notitie\n".encode("utf-16"))).mime_type == TEXT


@pytest.mark.corpus
def test_corpus_einvoices(corpus):
    for path in sorted((corpus / "einvoices").glob("*.xml")):
        assert detect_format(path).family == EINVOICE, path.name
    assert detect_format(corpus / "einvoices/zugferd-EN16931_Einfach.pdf").family == SCAN


def test_refused_with_what_it_is(tmp_path):
    with pytest.raises(UnsupportedFormat, match="an XML file but not an e-invoice"):
        detect_format(_write(tmp_path / "a.xml", b"<?xml version='1.0'?><order><line/></order>"))
    with pytest.raises(UnsupportedFormat, match="web page"):
        detect_format(_write(tmp_path / "b.html", b"<!DOCTYPE html><html><body>x</body></html>"))
    with pytest.raises(UnsupportedFormat, match="ZIP"):
        import zipfile

        with zipfile.ZipFile(tmp_path / "c.zip", "w") as archive:
            archive.writestr("a.txt", "x")
        detect_format(tmp_path / "c.zip")
    with pytest.raises(UnsupportedFormat, match="not a document type"):
        detect_format(_write(tmp_path / "d", bytes(range(256)) * 8))
    with pytest.raises(EmptyDocument):
        detect_format(_write(tmp_path / "e", b""))


def test_mail_headers_need_two_mail_fields():
    assert looks_like_mail(b"Return-Path: <a@b.nl>\r\nReceived: from x\r\nSubject: hi\r\n\r\nbody")
    assert looks_like_mail(b"From jan@b.nl Tue Mar 12 09:30:00 2024\nFrom: jan@b.nl\nDate: x\n\nbody")
    assert not looks_like_mail(b"Notitie: bel terug\nDatum: morgen\n")
    assert not looks_like_mail(b"Dear Sir,\nFrom: the office\n")
