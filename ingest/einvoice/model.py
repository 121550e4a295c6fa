"""An electronic invoice as the archive needs it: the EN 16931 terms, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

UBL_INVOICE = "ubl-invoice"
UBL_CREDIT_NOTE = "ubl-credit-note"
CII = "cii"  # UN/CEFACT Cross Industry Invoice: Factur-X, ZUGFeRD 2, XRechnung CII

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class Party:
    """The seller (BG-4) or the buyer (BG-7)."""

    name: str | None = None
    trading_name: str | None = None
    vat_id: str | None = None
    kvk: str | None = None  # Dutch Chamber of Commerce number (scheme 0106)
    legal_id: str | None = None  # the legal registration as given, whatever its scheme
    legal_scheme: str | None = None
    email: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None

    @property
    def shown_name(self) -> str | None:
        """The registered name, else the trading name."""
        return self.name or self.trading_name


@dataclass(frozen=True)
class VatLine:
    """One line of the VAT breakdown (BG-23)."""

    category: str | None
    rate: Decimal | None  # percent
    taxable: Decimal | None
    tax: Decimal | None
    exemption: str | None = None


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice line (BG-25)."""

    name: str | None
    description: str | None
    quantity: Decimal | None
    unit: str | None
    net_amount: Decimal | None
    vat_rate: Decimal | None


@dataclass(frozen=True)
class EmbeddedFile:
    """An attachment carried inside the XML (BG-24), e.g. the invoice's own PDF."""

    filename: str | None
    mime_type: str | None
    data: bytes
    description: str | None = None


@dataclass(frozen=True)
class EInvoice:
    """What one e-invoice says, exactly as its XML says it.

    Amounts keep the XML's sign: a corrective invoice may be negative; a credit note
    states positive amounts and is a credit because of its kind.
    """

    syntax: str  # UBL_INVOICE | UBL_CREDIT_NOTE | CII
    kind: str  # INVOICE | CREDIT_NOTE
    type_code: str | None  # UNTDID 1001 (380 invoice, 381 credit note, 384 corrective…)
    specification: str | None  # BT-24: the CIUS or profile (NLCIUS, Peppol BIS 3, Factur-X level)
    number: str
    issue_date: date
    due_date: date | None
    currency: str
    payable: Decimal  # BT-115: what is still to be paid, after any prepayment
    total_with_vat: Decimal | None  # BT-112
    total_without_vat: Decimal | None  # BT-109
    vat_total: Decimal | None  # BT-110
    prepaid: Decimal | None  # BT-113
    seller: Party
    buyer: Party
    iban: str | None  # BT-84: the account to pay to
    payment_reference: str | None  # BT-83
    buyer_reference: str | None  # BT-10
    order_reference: str | None  # BT-13
    preceding_invoices: tuple[str, ...] = ()  # BT-25: what a credit note or correction refers to
    notes: tuple[str, ...] = ()
    payment_terms: str | None = None
    vat: tuple[VatLine, ...] = ()
    lines: tuple[InvoiceLine, ...] = ()
    attachments: tuple[EmbeddedFile, ...] = ()

    @property
    def signed_amount(self) -> Decimal:
        """The payable amount as a bookkeeper enters it: negative for a credit note."""
        return -self.payable if self.kind == CREDIT_NOTE else self.payable

    def embedded_pdf(self) -> EmbeddedFile | None:
        """The first attached PDF (the invoice as its sender drew it), or None.

        Judged by the bytes, not the declared MIME type: senders label PDFs as
        application/octet-stream, and a "PDF" that is not one would make no viewing copy.
        """
        return next((item for item in self.attachments if b"%PDF-" in item.data[:1024]), None)
