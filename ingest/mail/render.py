"""A message body as a document: its text with the headers, and a PDF to look at."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from ingest.fonts import fonts_for
from ingest.mail.message import MailMessage

_LABELS = {"nl": ("Van", "Onderwerp", "Datum", "Bijlagen"), "en": ("From", "Subject", "Date", "Attachments")}


def message_text(message: MailMessage, language: str = "nl") -> str:
    """The message as plain text: its headers, then its body (pure)."""
    return "\n".join(_header_lines(message, language) + ["", message.text.strip()])


def draw_message_pdf(message: MailMessage, target: Path, language: str = "nl") -> Path:
    """Write the message (headers and body) as an A4 PDF at `target`."""
    # Imported here: reportlab's layout engine is slow to import, and few documents need it.
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    headers = _header_lines(message, language)
    regular, bold = fonts_for([*headers, message.text])
    head = ParagraphStyle("head", fontName=bold, fontSize=9.5, leading=13)
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5)
    story: list = [Paragraph(escape(line), head) for line in headers]
    story.append(Spacer(1, 6 * mm))
    for line in message.text.replace("\r\n", "\n").split("\n"):
        story.append(Paragraph(escape(line) or "&nbsp;", body))
    SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=message.subject,
        author=message.sender,
        invariant=1,
    ).build(story)
    return target


def _header_lines(message: MailMessage, language: str) -> list[str]:
    sender, subject, date, attachments = _LABELS.get(language, _LABELS["nl"])
    lines = [f"{sender}: {message.sender}", f"{subject}: {message.subject}"]
    if message.date:
        lines.append(f"{date}: {message.date:%d-%m-%Y %H:%M}")
    if message.parts:
        lines.append(f"{attachments}: " + ", ".join(part.filename for part in message.parts))
    return lines
