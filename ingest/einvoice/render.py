"""A readable PDF drawn from an e-invoice that brings none of its own.

The XML stays the original; this is only its viewing copy, so clerks and auditors see
the invoice as a page, and the archive's PDF tools (preview, thumbnail, download)
work for it like for any other document.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from ingest.einvoice.model import EInvoice
from ingest.einvoice.text import invoice_sections, labels
from ingest.fonts import fonts_for


def draw_invoice_pdf(invoice: EInvoice, target: Path, language: str = "nl") -> Path:
    """Write the invoice as an A4 PDF at `target` and return it."""
    # Imported here: reportlab's layout engine is slow to import, and few documents need it.
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    sections = invoice_sections(invoice, language)
    regular, bold = fonts_for(line for section in sections for line in (section.heading, *section.lines))
    title_style = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=2)
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    note = ParagraphStyle("note", fontName=regular, fontSize=7.5, leading=10, textColor="#555555")
    story: list = [Paragraph(escape(sections[0].heading), title_style)]
    story.extend(Paragraph(escape(line), body) for line in sections[0].lines)
    for section in sections[1:]:
        story.append(Paragraph(escape(section.heading), heading))
        story.extend(Paragraph(escape(line), body) for line in section.lines)
    story += [Spacer(1, 8 * mm), Paragraph(escape(labels(language)["source"]), note)]
    document = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=sections[0].heading,
        author=invoice.seller.shown_name or "",
        invariant=1,  # the same invoice draws the same bytes
    )
    document.build(story)
    return target
