"""Electronic invoices: UBL 2.1 (SI-UBL 2.0 / NLCIUS, Peppol BIS 3) and CII (Factur-X, ZUGFeRD).

XML bytes ─► parse_einvoice ─► schema check ─► EN 16931 terms ─► EInvoice
PDF       ─► embedded_invoice (Factur-X attachment) ─► the same
EInvoice  ─► invoice_text (searched) · draw_invoice_pdf (viewing copy) · einvoice_facts
"""

from ingest.einvoice.facts import einvoice_facts, vat_breakdown_rows
from ingest.einvoice.hybrid import embedded_invoice, embedded_invoice_xml
from ingest.einvoice.model import (
    CII,
    CREDIT_NOTE,
    INVOICE,
    UBL_CREDIT_NOTE,
    UBL_INVOICE,
    EInvoice,
    EmbeddedFile,
    InvoiceLine,
    Party,
    VatLine,
)
from ingest.einvoice.parse import parse_einvoice, root_syntax
from ingest.einvoice.render import draw_invoice_pdf
from ingest.einvoice.text import invoice_text

__all__ = [
    "CII",
    "CREDIT_NOTE",
    "INVOICE",
    "UBL_CREDIT_NOTE",
    "UBL_INVOICE",
    "EInvoice",
    "EmbeddedFile",
    "InvoiceLine",
    "Party",
    "VatLine",
    "draw_invoice_pdf",
    "einvoice_facts",
    "embedded_invoice",
    "embedded_invoice_xml",
    "invoice_text",
    "parse_einvoice",
    "root_syntax",
    "vat_breakdown_rows",
]
