"""Separator sheets to print: a large QR code that says "a new document starts here".

A sheet may carry facts for the document after it (client, type, date); they are
printed beside the code in words too, so the clerk sees which sheet is which.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from ingest.stacks.payload import Separator, encode_separator

QR_SIDE_MM = 60.0
_TITLE = ("SCHEIDINGSBLAD", "SEPARATOR SHEET")
SHEET_TITLES = _TITLE  # a scanner that reads the text of a page finds these on a sheet
_TEXT = (
    ("Hier begint een nieuw document.", "A new document starts here."),
    (
        "Leg dit blad bovenop het document en scan de hele stapel in één keer.",
        "Put this sheet on top of the document and scan the whole stack at once.",
    ),
    ("Enkelzijdig afdrukken; het blad kan opnieuw worden gebruikt.", "Print one-sided; the sheet can be used again."),
)
_FACT_LABELS = {
    "client_id": ("Klant", "Client"),
    "document_type": ("Soort", "Type"),
    "document_date": ("Datum", "Date"),
}


def write_separator_sheets(target: Path, separators: Sequence[Separator], labels: dict[str, str] | None = None) -> Path:
    """Write one A4 page per separator at `target`; `labels` shows type codes in words."""
    pdf = canvas.Canvas(str(target), pagesize=A4, invariant=1)
    pdf.setTitle("Scheidingsbladen / separator sheets")
    for separator in separators:
        _draw_sheet(pdf, separator, labels or {})
        pdf.showPage()
    pdf.save()
    return target


def _draw_sheet(pdf: canvas.Canvas, separator: Separator, labels: dict[str, str]) -> None:
    width, height = A4
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 45 * mm, _TITLE[0])
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 55 * mm, _TITLE[1])
    _draw_qr(pdf, encode_separator(separator), (width - QR_SIDE_MM * mm) / 2, height - 70 * mm - QR_SIDE_MM * mm)
    y = height - 85 * mm - QR_SIDE_MM * mm
    for dutch, english in _TEXT:
        pdf.setFont("Helvetica", 12)
        pdf.drawCentredString(width / 2, y, dutch)
        pdf.setFont("Helvetica-Oblique", 10)
        pdf.drawCentredString(width / 2, y - 5 * mm, english)
        y -= 13 * mm
    facts = [(name, value) for name, value in vars(separator).items() if value]
    for name, value in facts:
        dutch, english = _FACT_LABELS[name]
        shown = labels.get(value, value) if name == "document_type" else value
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawCentredString(width / 2, y, f"{dutch} / {english}: {shown}")
        y -= 9 * mm


def _draw_qr(pdf: canvas.Canvas, text: str, left: float, bottom: float) -> None:
    """Draw the code as vector squares: sharp at any printer resolution."""
    code = segno.make_qr(text, error="q")
    rows = list(code.matrix_iter(scale=1, border=0))
    module = QR_SIDE_MM * mm / len(rows)
    pdf.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(left + c * module, bottom + (len(rows) - 1 - r) * module, module, module, stroke=0, fill=1)
