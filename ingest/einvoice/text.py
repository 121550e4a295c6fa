"""An e-invoice as words: the labelled lines a person reads and the search index gets.

The same lines make the readable PDF drawn for an invoice that brings none, and the
text that is searched: the parties, the references, every line's name and description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ingest.einvoice.model import CREDIT_NOTE, EInvoice, InvoiceLine, Party

_LABELS = {
    "nl": {
        "invoice": "Factuur",
        "credit_note": "Creditnota",
        "number": "Factuurnummer",
        "date": "Factuurdatum",
        "due": "Vervaldatum",
        "seller": "Leverancier",
        "buyer": "Klant",
        "vat_id": "btw-nummer",
        "kvk": "KvK",
        "order": "Ordernummer",
        "buyer_ref": "Referentie klant",
        "preceding": "Betreft factuur",
        "lines": "Factuurregels",
        "excl": "Totaal excl. btw",
        "vat": "Btw",
        "over": "over",
        "incl": "Totaal incl. btw",
        "totals": "Totalen",
        "prepaid": "Reeds betaald",
        "payable": "Te betalen",
        "refund": "Te ontvangen (creditnota)",
        "iban": "Betalen op rekening",
        "reference": "Betalingskenmerk",
        "terms": "Betalingsvoorwaarden",
        "notes": "Opmerkingen",
        "source": "Getekend uit de e-factuur (XML); de XML is het origineel.",
    },
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "number": "Invoice number",
        "date": "Invoice date",
        "due": "Due date",
        "seller": "Supplier",
        "buyer": "Customer",
        "vat_id": "VAT id",
        "kvk": "Chamber of Commerce",
        "order": "Order number",
        "buyer_ref": "Customer reference",
        "preceding": "Refers to invoice",
        "lines": "Invoice lines",
        "excl": "Total excl. VAT",
        "vat": "VAT",
        "over": "on",
        "incl": "Total incl. VAT",
        "totals": "Totals",
        "prepaid": "Already paid",
        "payable": "Amount due",
        "refund": "To be refunded (credit note)",
        "iban": "Pay to account",
        "reference": "Payment reference",
        "terms": "Payment terms",
        "notes": "Notes",
        "source": "Drawn from the e-invoice (XML); the XML is the original.",
    },
}


@dataclass(frozen=True)
class Section:
    """A heading and its lines of text."""

    heading: str
    lines: tuple[str, ...]


def labels(language: str) -> dict[str, str]:
    """The words used for one language ("nl" or "en"; anything else gets Dutch)."""
    return _LABELS.get(language, _LABELS["nl"])


def invoice_sections(invoice: EInvoice, language: str = "nl") -> tuple[Section, ...]:
    """Return the invoice as headed sections of text lines (pure)."""
    words = labels(language)
    title = words["credit_note" if invoice.kind == CREDIT_NOTE else "invoice"]
    head = [f"{words['number']}: {invoice.number}", f"{words['date']}: {show_date(invoice.issue_date)}"]
    if invoice.due_date:
        head.append(f"{words['due']}: {show_date(invoice.due_date)}")
    for key, value in (("order", invoice.order_reference), ("buyer_ref", invoice.buyer_reference)):
        if value:
            head.append(f"{words[key]}: {value}")
    head.extend(f"{words['preceding']}: {number}" for number in invoice.preceding_invoices)
    sections = [
        Section(f"{title} {invoice.number}", tuple(head)),
        Section(words["seller"], party_lines(invoice.seller, words)),
        Section(words["buyer"], party_lines(invoice.buyer, words)),
    ]
    if invoice.lines:
        sections.append(
            Section(words["lines"], tuple(line_text(line, invoice.currency, language) for line in invoice.lines))
        )
    sections.append(Section(words["totals"], _totals(invoice, words, language)))
    if invoice.notes:
        sections.append(Section(words["notes"], invoice.notes))
    return tuple(sections)


def invoice_text(invoice: EInvoice, language: str = "nl") -> str:
    """Return the invoice as plain text: what is indexed and searched (pure)."""
    parts = []
    for section in invoice_sections(invoice, language):
        parts.append(section.heading)
        parts.extend(section.lines)
    return "\n".join(parts)


def party_lines(party: Party, words: dict[str, str]) -> tuple[str, ...]:
    """Name, address and identifiers of a party, one per line (pure)."""
    lines = [name for name in dict.fromkeys((party.shown_name, party.trading_name)) if name]
    if party.street:
        lines.append(party.street)
    place = " ".join(filter(None, (party.postcode, party.city)))
    if place or party.country:
        lines.append(", ".join(filter(None, (place, party.country))))
    if party.vat_id:
        lines.append(f"{words['vat_id']}: {party.vat_id}")
    if party.kvk:
        lines.append(f"{words['kvk']}: {party.kvk}")
    if party.email:
        lines.append(party.email)
    return tuple(lines)


def line_text(line: InvoiceLine, currency: str, language: str) -> str:
    """One invoice line: quantity, name, description, VAT rate and net amount (pure)."""
    parts = []
    if line.quantity is not None:
        parts.append(f"{show_number(line.quantity, language)} {line.unit or ''}".strip())
    parts.append(" — ".join(text for text in dict.fromkeys((line.name, line.description)) if text) or "-")
    if line.vat_rate is not None:
        parts.append(f"{show_number(line.vat_rate, language)}%")
    if line.net_amount is not None:
        parts.append(show_money(line.net_amount, currency, language))
    return "  ".join(parts)


def _totals(invoice: EInvoice, words: dict[str, str], language: str) -> tuple[str, ...]:
    money = lambda value: show_money(value, invoice.currency, language)  # noqa: E731
    lines = []
    if invoice.total_without_vat is not None:
        lines.append(f"{words['excl']}: {money(invoice.total_without_vat)}")
    for vat in invoice.vat:
        rate = f" {show_number(vat.rate, language)}%" if vat.rate is not None else ""
        over = f" {words['over']} {money(vat.taxable)}" if vat.taxable is not None else ""
        exempt = f" ({vat.exemption})" if vat.exemption else ""
        lines.append(f"{words['vat']}{rate}{over}: {money(vat.tax or Decimal(0))}{exempt}")
    if invoice.total_with_vat is not None:
        lines.append(f"{words['incl']}: {money(invoice.total_with_vat)}")
    if invoice.prepaid:
        lines.append(f"{words['prepaid']}: {money(invoice.prepaid)}")
    due = words["refund"] if invoice.kind == CREDIT_NOTE else words["payable"]
    lines.append(f"{due}: {money(invoice.payable)}")
    if invoice.iban:
        lines.append(f"{words['iban']}: {invoice.iban}")
    if invoice.payment_reference:
        lines.append(f"{words['reference']}: {invoice.payment_reference}")
    if invoice.payment_terms:
        lines.append(f"{words['terms']}: {invoice.payment_terms}")
    return tuple(lines)


def show_date(value: date) -> str:
    """A date as printed on Dutch paper, 01-10-2019 (pure)."""
    return value.strftime("%d-%m-%Y")


def show_number(value: Decimal, language: str) -> str:
    """A quantity or rate without trailing zeros, decimal comma in Dutch (pure)."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if language != "en" else text


def show_money(value: Decimal, currency: str, language: str) -> str:
    """An amount for the eye: "EUR 1.234,56" in Dutch, "EUR 1,234.56" in English (pure).

    The web layer has its own formatter for pages; this one serves the drawn PDF and
    the indexed text, which the leaves make without the web layer.
    """
    grouped = f"{value.quantize(Decimal('0.01')):,.2f}"
    if language != "en":
        grouped = grouped.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{currency} {grouped}"
