"""A stack's or a message's own original goes with the last document made from it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfWriter

from archive.documents.filing import FilingHints
from ingest.stacks import Separator, write_separator_sheets
from tests.documents import text_pdf
from tests.mail.messages import build_message, pdf_bytes
from tests.records.conftest import RITA


def _stack(tmp_path: Path) -> Path:
    """A born-digital stack: a letter, a separator sheet, a second letter."""
    sheet = write_separator_sheets(tmp_path / "sheet.pdf", [Separator()])
    writer = PdfWriter()
    for source in (
        text_pdf(tmp_path / "a.pdf", ["Betreft: eerste brief van de stapel"]),
        sheet,
        text_pdf(tmp_path / "b.pdf", ["Betreft: tweede brief van de stapel"]),
    ):
        writer.append(str(source))
    target = tmp_path / "stapel.pdf"
    writer.write(target)
    return target


def test_stack_and_message_originals_go_with_their_last_document(records_archive, tmp_path: Path) -> None:
    archive = records_archive
    old = FilingHints(document_type="invoice", document_date=date(2015, 6, 1))
    parts = archive.ingest_all(_stack(tmp_path), hints=old)
    assert [p.stack_pages for p in parts] == [[1, 1], [3, 3]]
    eml = tmp_path / "bericht.eml"
    eml.write_bytes(
        build_message(
            message_id="<oud@x.nl>",
            attachments=[("factuur.pdf", pdf_bytes(tmp_path, "FACTUUR oud"), "application/pdf")],
        ).as_bytes()
    )
    [attachment] = archive.ingest_all(eml, hints=old)
    stack_original = archive.store.path_for(parts[0].stack_sha256)
    conn = archive.db.read()
    raw = conn.execute("SELECT raw_sha256 FROM mail_messages WHERE message_id = '<oud@x.nl>'").fetchone()[0]
    assert stack_original.exists() and archive.store.path_for(raw).exists()
    result = archive.records.dispose(RITA, approve=True)
    assert sorted(result.destroyed) == sorted([parts[0].id, parts[1].id, attachment.id])
    assert not stack_original.exists() and not archive.store.path_for(raw).exists()
    assert archive.verify_all()["ok"]
    actions = [row[0] for row in archive.db.read().execute("SELECT action FROM audit_log")]
    assert "stack_destroyed" in actions and "message_destroyed" in actions
