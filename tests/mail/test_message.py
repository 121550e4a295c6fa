"""Parsing real MIME messages: headers, body, parts, forwarded mail."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ingest.errors import DamagedDocument
from ingest.mail import parse_eml
from ingest.mail.message import html_to_text, safe_filename
from tests.mail.messages import build_message, pdf_bytes, png_bytes


def test_headers_body_and_attachment(tmp_path):
    pdf = pdf_bytes(tmp_path, "Factuur 2024-0042")
    raw = build_message(
        attachments=[("factuur 2024-0042.pdf", pdf, "application/pdf")], message_id="<abc.123@jansen-installatie.nl>"
    ).as_bytes()
    message = parse_eml(raw)
    assert message.message_id == "<abc.123@jansen-installatie.nl>"
    assert message.sender == "Jan Jansen <jan@jansen-installatie.nl>"
    assert message.sender_address == "jan@jansen-installatie.nl"
    assert message.subject == "Factuur maart"
    assert message.date == datetime(2024, 3, 12, 9, 30, tzinfo=timezone.utc)
    assert "In de bijlage de factuur." in message.text
    assert [(p.filename, p.content_type, p.data) for p in message.parts] == [
        ("factuur 2024-0042.pdf", "application/pdf", pdf)
    ]


def test_encoded_words_and_names_are_decoded(tmp_path):
    message = build_message(
        subject="Überweisung für März – € 12",
        sender="Jürgen Müller <j@mueller.de>",
        attachments=[("Rechnung März.pdf", pdf_bytes(tmp_path, "x"), "application/pdf")],
    )
    parsed = parse_eml(message.as_bytes())
    assert parsed.subject == "Überweisung für März – € 12" and parsed.sender.startswith("Jürgen Müller")
    assert parsed.parts[0].filename == "Rechnung März.pdf"


def test_html_body_inline_images_and_forwarded_mail(tmp_path):
    inner = build_message(
        subject="Loonstrook", attachments=[("loonstrook.pdf", pdf_bytes(tmp_path, "Loon"), "application/pdf")]
    )
    outer = build_message(
        subject="Fwd: Loonstrook",
        html='<p>Zie <b>hieronder</b></p><img src="cid:logo@x"><style>p{color:red}</style>',
        inline=[("logo@x", png_bytes(3000), "image/png")],
    )
    outer.add_attachment(inner)
    parsed = parse_eml(outer.as_bytes())
    kinds = {(p.content_type, p.inline, p.content_id) for p in parsed.parts}
    assert ("image/png", True, "logo@x") in kinds
    forwarded = next(p for p in parsed.parts if p.content_type == "message/rfc822")
    assert forwarded.filename == "Loonstrook.eml"
    assert parse_eml(forwarded.data).parts[0].filename == "loonstrook.pdf"
    assert "color" not in html_to_text(parsed.html) and "Zie hieronder" in html_to_text(parsed.html)


def test_without_message_id_the_id_is_stable():
    raw = build_message(message_id=None).as_bytes()
    first, second = parse_eml(raw), parse_eml(raw)
    assert first.message_id == second.message_id and first.message_id.startswith("<sha256-")
    assert parse_eml(raw + b"\n").message_id != first.message_id


def test_not_an_email():
    with pytest.raises(DamagedDocument, match="not an e-mail"):
        parse_eml(b"\x00\x01 garbage \xff" * 50)


def test_a_broken_transfer_encoding_keeps_what_is_there(tmp_path):
    pdf = pdf_bytes(tmp_path, "x")
    raw = build_message(attachments=[("a.pdf", pdf, "application/pdf")]).as_bytes()
    head, _, tail = raw.partition(b"Content-Transfer-Encoding: base64")
    broken = head + b"Content-Transfer-Encoding: base64" + tail[:200] + b"\n!!!not base64!!!\n"
    parsed = parse_eml(broken)
    assert parsed.parts[0].filename == "a.pdf" and parsed.parts[0].data and parsed.parts[0].data != pdf


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\factuur.pdf", "factuur.pdf"),
        ("a\x00b\r\n.pdf", "a_b_.pdf"),
        (None, "bijlage-3.pdf"),
        ("   ", "bijlage-3.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_safe_filenames(name, expected):
    assert safe_filename(name, "application/pdf", 3) == expected
