"""The XML invoice inside a PDF: Factur-X, ZUGFeRD 2 and XRechnung hybrids (PDF/A-3).

Such a PDF is an ordinary invoice to the eye and an e-invoice to a program: the PDF
stays the original and its own viewing copy, the facts come from the XML.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ingest.einvoice.model import EInvoice
from ingest.einvoice.parse import parse_einvoice, parse_xml, root_syntax
from ingest.errors import InvalidEInvoice

log = logging.getLogger(__name__)

# The names the standards give the embedded XML; any other .xml attachment is looked
# at too, since some generators name it after the invoice.
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml")
_MAX_XML_BYTES = 20 * 2**20


def embedded_invoice_xml(pdf: Path) -> bytes | None:
    """Return the e-invoice XML a PDF carries as an attachment, or None (also for unreadable PDFs)."""
    try:
        attachments = PdfReader(pdf).attachment_list
        candidates = sorted(
            (item for item in attachments if item.name.lower().endswith(".xml")),
            key=lambda item: item.name.lower() not in KNOWN_NAMES,
        )
        for item in candidates:
            content = item.content
            if content and len(content) <= _MAX_XML_BYTES and _is_invoice(content):
                return content
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as exc:
        # The PDF's reading proper reports a damaged file in its own words.
        log.info("no embedded invoice read from %s: %s", pdf.name, exc)
    return None


def embedded_invoice(pdf: Path) -> EInvoice | None:
    """Return the e-invoice inside a PDF, None without one; raise InvalidEInvoice when it is broken."""
    xml = embedded_invoice_xml(pdf)
    return parse_einvoice(xml) if xml is not None else None


def _is_invoice(content: bytes) -> bool:
    try:
        return root_syntax(parse_xml(content).tag) is not None
    except InvalidEInvoice:
        return False
