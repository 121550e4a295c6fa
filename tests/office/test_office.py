"""Office files and plain text: refused when they carry macros or a password, else a PDF and its text."""

from __future__ import annotations

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from pypdf import PdfReader

from ingest.containers import DOCX, ENCRYPTED_OOXML, ODS, ODT, XLSX, container_kind
from ingest.errors import DamagedDocument, EmptyDocument, EncryptedDocument, RefusedOfficeFile
from ingest.office import (
    RTF,
    TXT,
    OfficeSettings,
    check_office_file,
    convert_to_pdf,
    decode_text,
    office_kind,
    soffice_command,
)
from tests.office.documents import docx, odf, rtf, xlsx

LINES = ["Huurovereenkomst kantoorruimte", "Verhuurder: Vastgoed Utrecht B.V.", "Huurprijs € 1.250,00 per maand"]


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """One LibreOffice profile for the module's conversions (made once: the first start is slow)."""
    return tmp_path_factory.mktemp("lo-profile")


def _head(path):
    return path.read_bytes()[:2048]


def _make(kind, tmp_path):
    if kind == DOCX:
        return docx(tmp_path / "a.docx", LINES)
    if kind == XLSX:
        return xlsx(tmp_path / "a.xlsx", [[line] for line in LINES])
    if kind in (ODT, ODS):
        return odf(tmp_path / f"a.{kind}", kind, LINES)
    if kind == RTF:
        return rtf(tmp_path / "a.rtf", LINES)
    target = tmp_path / "a.txt"
    target.write_bytes("\r\n".join(LINES).encode("cp1252"))  # Windows Notepad's old default
    return target


@pytest.mark.slow  # six LibreOffice runs, ~3 s each
@pytest.mark.parametrize("kind", [DOCX, XLSX, ODT, ODS, RTF, TXT])
def test_each_format_gets_a_pdf_with_its_text(kind, tmp_path, profile):
    source = _make(kind, tmp_path)
    detected = office_kind(source, _head(source)) or TXT
    assert detected == kind
    before = source.read_bytes()
    pdf = convert_to_pdf(source, kind, tmp_path / "work", profile, OfficeSettings(timeout_seconds=120))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for line in LINES:
        assert line in text
    assert source.read_bytes() == before


def test_kinds_by_bytes_whatever_the_name(tmp_path):
    assert office_kind(docx(tmp_path / "x.pdf", ["a"]), b"PK\x03\x04") == DOCX
    assert container_kind(tmp_path / "x.pdf", b"PK\x03\x04") == DOCX
    plain_zip = tmp_path / "plain.zip"
    import zipfile

    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    assert office_kind(plain_zip, _head(plain_zip)) is None


def test_macros_are_refused(tmp_path):
    docm = docx(tmp_path / "brief.docx", ["Beste"], macros=True)
    with pytest.raises(RefusedOfficeFile, match="macros"):
        check_office_file(docm, office_kind(docm, _head(docm)))
    ods = odf(tmp_path / "sheet.ods", "ods", ["a"], macros=True)
    with pytest.raises(RefusedOfficeFile, match="macros"):
        check_office_file(ods, ODS)


def test_password_protected_files_are_refused(tmp_path):
    plain = docx(tmp_path / "plain.docx", ["Geheim"])
    locked = tmp_path / "locked.docx"
    with open(plain, "rb") as source, open(locked, "wb") as out:
        OOXMLFile(source).encrypt("geheim", out)
    kind = office_kind(locked, _head(locked))
    assert kind == ENCRYPTED_OOXML
    with pytest.raises(EncryptedDocument, match="password"):
        check_office_file(locked, kind)
    odt = odf(tmp_path / "locked.odt", "odt", ["x"], encrypted=True)
    with pytest.raises(EncryptedDocument):
        check_office_file(odt, ODT)


def test_damaged_and_empty(tmp_path, profile):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(docx(tmp_path / "ok.docx", ["x"]).read_bytes()[:200])
    with pytest.raises(DamagedDocument):
        check_office_file(broken, DOCX)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(EmptyDocument):
        convert_to_pdf(empty, TXT, tmp_path / "work", profile, OfficeSettings())


def test_a_hanging_libreoffice_is_killed(tmp_path):
    sleeper = tmp_path / "soffice"
    sleeper.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    sleeper.chmod(0o755)
    source = docx(tmp_path / "a.docx", ["x"])
    with pytest.raises(DamagedDocument, match="longer than 1 seconds"):
        convert_to_pdf(
            source,
            DOCX,
            tmp_path / "work",
            tmp_path / "profile",
            OfficeSettings(timeout_seconds=1, program=str(sleeper)),
        )


def test_text_encodings():
    assert decode_text("Café € 5".encode()) == "Café € 5"
    assert decode_text("\ufeffCafé".encode("utf-8")) == "Café"
    assert decode_text("Café € 5".encode("cp1252")) == "Café € 5"
    assert decode_text("Café".encode("utf-16")) == "Café"


def test_command_uses_its_own_profile(tmp_path):
    command = soffice_command("soffice", tmp_path / "p", tmp_path / "a.docx", tmp_path / "out", DOCX)
    assert command[1] == f"-env:UserInstallation={(tmp_path / 'p').resolve().as_uri()}"
    assert "--headless" in command and command[-5:-3] == ["--convert-to", "pdf"]
