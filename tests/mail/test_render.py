"""A message body as a document."""

from __future__ import annotations

from pypdf import PdfReader

from ingest.mail import draw_message_pdf, message_text, parse_eml
from tests.mail.messages import build_message


def test_body_text_and_pdf(tmp_path):
    message = parse_eml(
        build_message(subject="Vraag over afspraak", body="Goedemiddag,\n\nKan ik <dinsdag> komen?\n").as_bytes()
    )
    text = message_text(message)
    assert text.startswith("Van: Jan Jansen <jan@jansen-installatie.nl>\nOnderwerp: Vraag over afspraak")
    assert "Kan ik <dinsdag> komen?" in text
    pdf = draw_message_pdf(message, tmp_path / "mail.pdf")
    shown = PdfReader(pdf).pages[0].extract_text()
    assert "Vraag over afspraak" in shown and "Kan ik <dinsdag> komen?" in shown
    assert "From: " in message_text(message, "en")
