"""Outlook .msg files."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ingest.errors import DamagedDocument
from ingest.mail import MSG_MIME, parse_msg, select_documents
from tests.mail.messages import pdf_bytes, png_bytes
from tests.mail.outlook import MsgAttachment, write_msg


def test_an_outlook_message_with_attachments(tmp_path):
    pdf = pdf_bytes(tmp_path, "Factuur 77")
    path = write_msg(
        tmp_path / "factuur.msg",
        "Factuur 77",
        "jan@jansen.nl",
        "Beste,\r\nzie bijlage.",
        "<m-77@jansen.nl>",
        [
            MsgAttachment("factuur-77.pdf", pdf, "application/pdf"),
            MsgAttachment("image001.png", png_bytes(5_000), "image/png", content_id="image001", hidden=True),
        ],
        sender_name="Jan Jansen",
    )
    message = parse_msg(path)
    assert (message.message_id, message.subject, message.sender) == (
        "<m-77@jansen.nl>",
        "Factuur 77",
        "Jan Jansen <jan@jansen.nl>",
    )
    assert message.sender_address == "jan@jansen.nl"
    assert message.date == datetime(2024, 3, 12, 9, 30, tzinfo=timezone.utc)
    assert message.text == "Beste,\nzie bijlage."
    assert [(p.filename, p.data) for p in select_documents(message).documents] == [("factuur-77.pdf", pdf)]


def test_a_damaged_msg(tmp_path):
    path = write_msg(tmp_path / "x.msg", "x", "a@b.nl", "x", None, [])
    broken = tmp_path / "broken.msg"
    broken.write_bytes(path.read_bytes()[:1500])
    with pytest.raises(DamagedDocument, match="Outlook"):
        parse_msg(broken)


def test_without_message_id_the_file_gives_one(tmp_path):
    path = write_msg(tmp_path / "x.msg", "Zonder id", "a@b.nl", "x", None, [])
    assert parse_msg(path).message_id == parse_msg(path).message_id
    assert MSG_MIME == "application/vnd.ms-outlook"
