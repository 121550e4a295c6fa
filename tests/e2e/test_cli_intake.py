"""What enters besides single files, through the command line: stacks, e-mail, e-invoices, office files."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive.errors import ExitCode
from ingest.stacks import Separator
from tests.documents import scan_image
from tests.e2e.test_cli_core import home, run  # noqa: F401  (the fixture)
from tests.einvoice.ubl import InvoiceSpec, LineSpec, build_ubl
from tests.mail.messages import build_message, pdf_bytes, png_bytes
from tests.mail.outlook import MsgAttachment, write_msg
from tests.stacks.scans import blank_back, printed_sheet, scanned, stack_pdf


def ingest(home: Path, *paths: Path, options: tuple[str, ...] = ()) -> list[dict]:
    code, out, err = run(home, "ingest", *map(str, paths), *options, "--json")
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def show(home: Path, document_id: int) -> dict:
    code, out, err = run(home, "show", str(document_id), "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_small_stack_becomes_its_parts(home: Path, tmp_path: Path) -> None:
    pages = [
        scanned(scan_image("Geachte heer Jansen,\nBetreft: uw aanvraag", dpi=150), seed=1),
        scanned(printed_sheet(Separator(None, "invoice", "2024-03-12"), 150, tmp_path), seed=2),
        blank_back(150, 2),
        scanned(scan_image("FACTUUR 2024-77\nTotaal te betalen: EUR 50,00", dpi=150), seed=3),
        scanned(scan_image("Algemene voorwaarden", dpi=150), seed=4),
    ]
    stack = stack_pdf(tmp_path / "stapel.pdf", pages, 150)
    first, second = ingest(home, stack)
    assert first["stack_pages"] == [1, 1] and second["stack_pages"] == [4, 5]
    assert first["stack_sha256"] == second["stack_sha256"] and len(first["stack_sha256"]) == 64
    assert second["document_type"] == "invoice" and second["document_date"] == "2024-03-12"
    assert second["pages"] == 2 and first["channel"] == "cli"
    shown = show(home, second["id"])
    assert shown["stack_pages"] == [4, 5] and shown["original_filename"] == "stapel-p4-5.pdf"
    assert shown["stack_name"] == "stapel.pdf"
    assert [(r["id"], r["stack_pages"]) for r in shown["related"]] == [(first["id"], [1, 1])]
    receive = next(entry for entry in shown["history"] if entry["action"] == "receive")
    assert receive["details"]["stack_page_list"] == [4, 5]
    code, _, _ = run(home, "get", str(second["id"]), "--rendition", "pdf", "-o", str(tmp_path / "deel.pdf"))
    assert code == 0 and len(PdfReader(tmp_path / "deel.pdf").pages) == 2
    # Filed again: the same parts, recognised by their bytes.
    assert [o["status"] for o in ingest(home, stack)] == ["duplicate", "duplicate"]
    # The stack's original is checked by `archive verify`.
    assert run(home, "verify")[0] == 0
    digest = first["stack_sha256"]
    original = home / "store" / "originals" / digest[:2] / digest[2:4] / digest
    original.chmod(0o644)
    original.write_bytes(b"changed")
    code, out, _ = run(home, "verify", "--json")
    assert code == ExitCode.INTEGRITY_FAILURE and "Scanned stack" in " ".join(json.loads(out)["problems"])


def test_separator_command_writes_sheets(home: Path, tmp_path: Path) -> None:
    code, out, err = run(home, "separator", "--type", "invoice", "--count", "3", "-o", str(tmp_path / "s.pdf"))
    assert code == 0, err
    assert len(PdfReader(tmp_path / "s.pdf").pages) == 3
    code, _, err = run(home, "separator", "--client", "K-404", "-o", str(tmp_path / "t.pdf"))
    assert code != 0 and "K-404" in err and "Traceback" not in err


def test_ubl_invoice_filed_with_xml_facts_and_found_by_its_lines(home: Path, tmp_path: Path) -> None:
    lines = (
        LineSpec("Cv-ketel onderhoud", "Vervanging expansievat Flamco", Decimal(1), Decimal(125), Decimal(21)),
        LineSpec("Voorrijkosten", None, Decimal(1), Decimal(35), Decimal(21)),
    )
    xml = tmp_path / "factuur.xml"
    xml.write_bytes(build_ubl(InvoiceSpec(number="2024-0099", lines=lines)))
    [outcome] = ingest(home, xml)
    assert (outcome["status"], outcome["document_type"], outcome["reference"]) == ("filed", "invoice", "2024-0099")
    assert outcome["amount"] == "193.60" and outcome["iban"] == "NL91ABNA0417164300"
    shown = show(home, outcome["id"])
    assert shown["mime_type"] == "application/xml" and shown["has_rendition"] is True
    assert {e["name"]: e["confidence"] for e in shown["evidence"]}["amount"] == 1.0
    code, out, _ = run(home, "search", "expansievat", "--json")
    assert [hit["id"] for hit in json.loads(out)["hits"]] == [outcome["id"]]
    code, _, _ = run(home, "get", str(outcome["id"]), "--rendition", "pdf", "-o", str(tmp_path / "view.pdf"))
    assert "Vervanging expansievat Flamco" in PdfReader(tmp_path / "view.pdf").pages[0].extract_text()
    code, _, _ = run(home, "get", str(outcome["id"]), "-o", str(tmp_path / "original.xml"))
    assert (tmp_path / "original.xml").read_bytes() == xml.read_bytes()


def test_credit_note_and_invalid_xml(home: Path, tmp_path: Path) -> None:
    credit = tmp_path / "credit.xml"
    credit.write_bytes(build_ubl(InvoiceSpec(root="CreditNote", type_code="381", number="CN-1")))
    broken = tmp_path / "kapot.xml"
    broken.write_bytes(build_ubl(InvoiceSpec()).replace(b"<cbc:IssueDate>2024-03-12</cbc:IssueDate>", b""))
    first, second = ingest(home, credit, broken)
    assert first["amount"] == "-196.02" and first["document_type"] == "invoice"
    assert second["status"] == "failed" and "not a valid UBL 2.1 invoice" in second["error"]


def test_eml_and_msg_files_give_their_documents(home: Path, tmp_path: Path) -> None:
    pdf = pdf_bytes(tmp_path, "FACTUUR F-12\nTotaal te betalen EUR 10,00")
    message = build_message(
        subject="Factuur F-12",
        message_id="<f12@jansen.nl>",
        attachments=[
            ("factuur F-12.pdf", pdf, "application/pdf"),
            ("logo.png", png_bytes(4_000), "image/png"),
            ("smime.p7s", b"0" * 500, "application/pkcs7-signature"),
        ],
    )
    eml = tmp_path / "bericht.eml"
    eml.write_bytes(message.as_bytes())
    [outcome] = ingest(home, eml)
    assert outcome["status"] == "filed" and outcome["mail_message_id"] == "<f12@jansen.nl>"
    assert outcome["mail_subject"] == "Factuur F-12" and outcome["mail_from"].endswith("<jan@jansen-installatie.nl>")
    assert outcome["mail_date"] == "2024-03-12T09:30:00+00:00"
    shown = show(home, outcome["id"])
    assert shown["original_filename"] == "factuur F-12.pdf" and shown["mail_date"] == outcome["mail_date"]
    receive = next(entry for entry in shown["history"] if entry["action"] == "receive")
    assert receive["details"]["mail_date"] == outcome["mail_date"]
    [again] = ingest(home, eml)
    assert again["status"] == "duplicate" and again["duplicate_of"] == outcome["id"]
    msg = write_msg(
        tmp_path / "outlook.msg",
        "Loonstrook maart",
        "hr@werkgever.nl",
        "Zie bijlage",
        "<ls-3@werkgever.nl>",
        [MsgAttachment("loonstrook.pdf", pdf_bytes(tmp_path, "Loonstrook maart 2024", "l.pdf"), "application/pdf")],
    )
    [from_msg] = ingest(home, msg)
    assert from_msg["status"] == "filed" and from_msg["mail_message_id"] == "<ls-3@werkgever.nl>"


def test_a_message_without_documents(home: Path, tmp_path: Path) -> None:
    eml = tmp_path / "vraag.eml"
    eml.write_bytes(build_message(subject="Vraag", body="Kan ik dinsdag komen?", message_id="<v1@x.nl>").as_bytes())
    [outcome] = ingest(home, eml)
    assert outcome["status"] == "failed" and "mail.file_bodies" in outcome["error"]
    config = tmp_path / "bodies.toml"
    config.write_text("[mail]\nfile_bodies = true\n")
    import os

    os.environ["ARCHIVE_CONFIG"] = str(config)
    try:
        [body] = ingest(home, eml)
    finally:
        del os.environ["ARCHIVE_CONFIG"]
    assert body["status"] == "filed" and body["mail_message_id"] == "<v1@x.nl>"
    shown = show(home, body["id"])
    assert shown["mime_type"] == "message/rfc822" and "Kan ik dinsdag komen?" in shown["text"]


@pytest.mark.slow  # LibreOffice
def test_office_and_text_files(home: Path, tmp_path: Path) -> None:
    from tests.office.documents import docx, xlsx

    letter = docx(tmp_path / "brief.docx", ["Geachte mevrouw Bakker,", "Hierbij de offerte voor de dakkapel."])
    sheet = xlsx(tmp_path / "uren.xlsx", [["Datum", "Uren"], ["12-03-2024", "7,5"]])
    macro = docx(tmp_path / "macro.docx", ["x"], macros=True)
    first, second, third = ingest(home, letter, sheet, macro)
    assert first["status"] == second["status"] == "filed"
    assert "offerte voor de dakkapel" in show(home, first["id"])["text"]
    assert third["status"] == "failed" and "macros" in third["error"]


def test_a_lost_thumbnail_of_an_einvoice_is_drawn_again(tmp_path: Path) -> None:
    from archive.access.actors import SYSTEM
    from archive.config import load_config
    from archive.service import Archive

    xml = tmp_path / "factuur.xml"
    xml.write_bytes(build_ubl(InvoiceSpec()))
    with Archive.open(load_config(home=tmp_path / "home"), create=True) as archive:
        [outcome] = archive.ingest_all(xml, SYSTEM)
        for kind in ("thumb.jpg", "pdf"):
            archive.store.derivative_path(outcome.sha256, kind).unlink()
        thumbnail = archive.library.thumbnail_path(outcome.id, SYSTEM)
        assert thumbnail is not None and thumbnail.read_bytes()[:3] == b"\xff\xd8\xff"


@pytest.mark.corpus
def test_factur_x_pdf_facts_come_from_its_xml(home: Path, corpus: Path) -> None:
    rabatte, avoir = ingest(
        home,
        corpus / "einvoices/zugferd-EN16931_Rabatte.pdf",
        corpus / "einvoices/zugferd-fnfe-Avoir_FR_type381_BASIC.pdf",
    )
    assert (rabatte["reference"], rabatte["amount"], rabatte["document_date"]) == ("471102", "165.07", "2018-06-05")
    assert (avoir["reference"], avoir["amount"], avoir["currency"]) == ("AV-2017-0005", "-233.47", "EUR")
    evidence = {e["name"]: e for e in show(home, rabatte["id"])["evidence"]}
    assert evidence["prepaid_amount"]["value"] == "50.00" and evidence["amount"]["confidence"] == 1.0
    assert evidence["vat_breakdown"]["value"] == "7%: 9.06 over 129.37; 19%: 12.24 over 64.40"
    assert show(home, rabatte["id"])["mime_type"] == "application/pdf"
