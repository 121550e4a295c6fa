"""Real-shaped UBL 2.1 invoices and credit notes for tests (SI-UBL 2.0 / NLCIUS, Peppol BIS 3).

Built element by element in the order the UBL 2.1 schema prescribes, with the
identifiers Dutch senders use (KvK as scheme 0106, btw-nummer, IBAN), so that what the
archive reads is what such senders send.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOT_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
NLCIUS = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
PEPPOL = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


@dataclass(frozen=True)
class PartySpec:
    name: str
    street: str
    postcode: str
    city: str
    vat: str | None = None
    kvk: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class LineSpec:
    name: str
    description: str | None
    quantity: Decimal
    price: Decimal
    rate: Decimal

    @property
    def net(self) -> Decimal:
        return (self.quantity * self.price).quantize(Decimal("0.01"))


SELLER = PartySpec(
    "Jansen Installatietechniek B.V.",
    "Industrieweg 12",
    "3542 AD",
    "Utrecht",
    vat="NL001234567B01",
    kvk="12345678",
    email="facturen@jansen-installatie.nl",
)
BUYER = PartySpec(
    "Huisartsenpraktijk De Linde",
    "Lindelaan 4",
    "3581 KL",
    "Utrecht",
    vat="NL859048377B01",
    kvk="87654321",
    email="administratie@delinde.nl",
)


@dataclass(frozen=True)
class InvoiceSpec:
    number: str = "2024-0042"
    issue_date: str = "2024-03-12"
    due_date: str | None = "2024-04-11"
    root: str = "Invoice"  # or "CreditNote"
    type_code: str = "380"
    customization: str = PEPPOL
    currency: str = "EUR"
    seller: PartySpec = SELLER
    buyer: PartySpec = BUYER
    iban: str | None = "NL91ABNA0417164300"
    payment_id: str | None = "2024-0042"
    lines: tuple[LineSpec, ...] = (
        LineSpec(
            "Cv-ketel onderhoud", "Jaarlijks onderhoud Remeha Tzerra", Decimal("1"), Decimal("125.00"), Decimal("21")
        ),
        LineSpec("Filterset", None, Decimal("2"), Decimal("18.50"), Decimal("21")),
    )
    prepaid: Decimal = Decimal("0")
    preceding: str | None = None
    embedded_pdf: bytes | None = None
    notes: tuple[str, ...] = field(default=())


def build_ubl(spec: InvoiceSpec) -> bytes:
    """Return the UBL XML of an invoice or credit note built from `spec`."""
    ns = ROOT_NS[spec.root]
    root = etree.Element(f"{{{ns}}}{spec.root}", nsmap={None: ns, "cac": CAC, "cbc": CBC})
    cbc = lambda parent, name, text, **attrs: _add(parent, CBC, name, text, attrs)  # noqa: E731
    cac = lambda parent, name: _add(parent, CAC, name, None, {})  # noqa: E731
    cbc(root, "CustomizationID", spec.customization)
    if spec.customization == PEPPOL:
        cbc(root, "ProfileID", PEPPOL_PROFILE)
    cbc(root, "ID", spec.number)
    cbc(root, "IssueDate", spec.issue_date)
    if spec.root == "Invoice":
        if spec.due_date:
            cbc(root, "DueDate", spec.due_date)
        cbc(root, "InvoiceTypeCode", spec.type_code)
    else:
        cbc(root, "CreditNoteTypeCode", spec.type_code)
    for note in spec.notes:
        cbc(root, "Note", note)
    cbc(root, "DocumentCurrencyCode", spec.currency)
    cbc(root, "BuyerReference", "PO-7781")
    if spec.preceding:
        cbc(cac(cac(root, "BillingReference"), "InvoiceDocumentReference"), "ID", spec.preceding)
    if spec.embedded_pdf is not None:
        reference = cac(root, "AdditionalDocumentReference")
        cbc(reference, "ID", spec.number)
        cbc(reference, "DocumentDescription", "Factuur als PDF")
        cbc(
            cac(reference, "Attachment"),
            "EmbeddedDocumentBinaryObject",
            base64.b64encode(spec.embedded_pdf).decode(),
            mimeCode="application/pdf",
            filename=f"{spec.number}.pdf",
        )
    _party(cac(root, "AccountingSupplierParty"), spec.seller, cbc, cac)
    _party(cac(root, "AccountingCustomerParty"), spec.buyer, cbc, cac)
    if spec.iban:
        means = cac(root, "PaymentMeans")
        cbc(means, "PaymentMeansCode", "30")
        if spec.root == "CreditNote" and spec.due_date:
            cbc(means, "PaymentDueDate", spec.due_date)
        if spec.payment_id:
            cbc(means, "PaymentID", spec.payment_id)
        cbc(cac(means, "PayeeFinancialAccount"), "ID", spec.iban)
    _totals(root, spec, cbc, cac)
    for index, line in enumerate(spec.lines, start=1):
        _line(root, spec, index, line, cbc, cac)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def totals(spec: InvoiceSpec) -> dict[str, Decimal]:
    """The totals the XML states for `spec`: net, VAT per rate, incl., payable."""
    by_rate: dict[Decimal, Decimal] = {}
    for line in spec.lines:
        by_rate[line.rate] = by_rate.get(line.rate, Decimal("0")) + line.net
    vat = {rate: (net * rate / 100).quantize(Decimal("0.01")) for rate, net in by_rate.items()}
    net = sum(by_rate.values(), Decimal("0"))
    incl = net + sum(vat.values(), Decimal("0"))
    return {
        "net": net,
        "vat": sum(vat.values(), Decimal("0")),
        "incl": incl,
        "payable": incl - spec.prepaid,
        **{f"vat_{rate}": value for rate, value in vat.items()},
        **{f"base_{rate}": value for rate, value in by_rate.items()},
    }


def _add(parent, namespace: str, name: str, text, attrs):
    element = etree.SubElement(parent, f"{{{namespace}}}{name}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = str(text)
    return element


def _party(holder, party: PartySpec, cbc, cac) -> None:
    element = cac(holder, "Party")
    if party.kvk:
        cbc(element, "EndpointID", party.kvk, schemeID="0106")
    cbc(cac(element, "PartyName"), "Name", party.name)
    address = cac(element, "PostalAddress")
    cbc(address, "StreetName", party.street)
    cbc(address, "CityName", party.city)
    cbc(address, "PostalZone", party.postcode)
    cbc(cac(address, "Country"), "IdentificationCode", "NL")
    if party.vat:
        scheme = cac(element, "PartyTaxScheme")
        cbc(scheme, "CompanyID", party.vat)
        cbc(cac(scheme, "TaxScheme"), "ID", "VAT")
    legal = cac(element, "PartyLegalEntity")
    cbc(legal, "RegistrationName", party.name)
    if party.kvk:
        cbc(legal, "CompanyID", party.kvk, schemeID="0106")
    if party.email:
        cbc(cac(element, "Contact"), "ElectronicMail", party.email)


def _totals(root, spec: InvoiceSpec, cbc, cac) -> None:
    figures = totals(spec)
    money = lambda value: f"{value:.2f}"  # noqa: E731
    tax_total = cac(root, "TaxTotal")
    cbc(tax_total, "TaxAmount", money(figures["vat"]), currencyID=spec.currency)
    for rate in sorted({line.rate for line in spec.lines}, reverse=True):
        subtotal = cac(tax_total, "TaxSubtotal")
        cbc(subtotal, "TaxableAmount", money(figures[f"base_{rate}"]), currencyID=spec.currency)
        cbc(subtotal, "TaxAmount", money(figures[f"vat_{rate}"]), currencyID=spec.currency)
        _category(cac(subtotal, "TaxCategory"), rate, cbc, cac)
    monetary = cac(root, "LegalMonetaryTotal")
    cbc(monetary, "LineExtensionAmount", money(figures["net"]), currencyID=spec.currency)
    cbc(monetary, "TaxExclusiveAmount", money(figures["net"]), currencyID=spec.currency)
    cbc(monetary, "TaxInclusiveAmount", money(figures["incl"]), currencyID=spec.currency)
    if spec.prepaid:
        cbc(monetary, "PrepaidAmount", money(spec.prepaid), currencyID=spec.currency)
    cbc(monetary, "PayableAmount", money(figures["payable"]), currencyID=spec.currency)


def _category(element, rate: Decimal, cbc, cac) -> None:
    cbc(element, "ID", "S" if rate else "Z")
    cbc(element, "Percent", f"{rate}")
    cbc(cac(element, "TaxScheme"), "ID", "VAT")


def _line(root, spec: InvoiceSpec, index: int, line: LineSpec, cbc, cac) -> None:
    credit = spec.root == "CreditNote"
    element = cac(root, "CreditNoteLine" if credit else "InvoiceLine")
    cbc(element, "ID", str(index))
    cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", f"{line.quantity}", unitCode="C62")
    cbc(element, "LineExtensionAmount", f"{line.net:.2f}", currencyID=spec.currency)
    item = cac(element, "Item")
    if line.description:
        cbc(item, "Description", line.description)
    cbc(item, "Name", line.name)
    _category(cac(item, "ClassifiedTaxCategory"), line.rate, cbc, cac)
    cbc(cac(element, "Price"), "PriceAmount", f"{line.price:.2f}", currencyID=spec.currency)
