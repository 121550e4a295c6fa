"""Reading an e-invoice's XML: UBL 2.1 invoices and credit notes, and CII (Factur-X).

The ``factur-x`` library maps either syntax onto the EN 16931 business terms (BT-1
invoice number, BT-115 amount due, BG-23 VAT breakdown…); this module checks the
schema first, turns those terms into an EInvoice, and adds the few party identifiers
that Dutch invoices carry in ways the mapping does not keep apart (a KvK number given
by ``schemeAgencyName`` in the older UBL-OHNL format).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

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
from ingest.einvoice.schema import validate
from ingest.errors import InvalidEInvoice, UnsupportedFormat

log = logging.getLogger(__name__)

_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": UBL_INVOICE,
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": UBL_CREDIT_NOTE,
    "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice": CII,
}
_FLAVORS = {UBL_INVOICE: "ubl-2.1-invoice", UBL_CREDIT_NOTE: "ubl-2.1-creditnote", CII: "factur-x"}
_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_NS = {"cac": _CAC, "cbc": _CBC}
# UNTDID 1001 document codes that make a document a credit note (EN 16931 code list).
CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"})
# Electronic address / legal registration schemes (ISO 6523 ICD) that are a Dutch KvK number.
_KVK_SCHEMES = frozenset({"0106", "NL:KVK", "KVK"})
_VAT_SCHEMES = frozenset({"NL:VAT", "BTW", "VAT"})
_KVK = re.compile(r"^\d{8}$")
# External entities and DTDs are never loaded: an XML from an e-mail is untrusted.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
)


def root_syntax(root_tag: str) -> str | None:
    """Return UBL_INVOICE, UBL_CREDIT_NOTE or CII for a root element's qualified tag, else None (pure)."""
    return _ROOTS.get(root_tag)


def parse_einvoice(xml: bytes) -> EInvoice:
    """Return what the e-invoice says; raise InvalidEInvoice (or UnsupportedFormat when it is none)."""
    root = parse_xml(xml)
    syntax = root_syntax(root.tag)
    if syntax is None:
        raise UnsupportedFormat(
            "einvoice.not_an_einvoice",
            "This XML file is not an e-invoice (UBL 2.1 invoice or credit note, or a Factur-X/ZUGFeRD invoice).",
        )
    validate(root, syntax)
    terms = _terms(root, syntax)
    return _invoice(terms, syntax, root)


def parse_xml(xml: bytes) -> etree._Element:
    """Parse untrusted XML bytes safely; raise InvalidEInvoice when they are not well-formed."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InvalidEInvoice(
            "einvoice.xml_damaged",
            "This XML file is damaged (line {lineno}: {problem}); ask the sender to send it again.",
            lineno=exc.lineno,
            problem=exc.msg.rstrip(". "),
        ) from exc
    if root.getroottree().docinfo.doctype:
        # No e-invoice standard uses a DTD; one here is a trick to make readers fetch or expand entities.
        raise InvalidEInvoice("einvoice.dtd", "This XML file declares a DTD, which no e-invoice does; it is not read.")
    return root


def _terms(root: etree._Element, syntax: str) -> dict[str, Any]:
    """The EN 16931 terms by their BT/BG codes (amounts as strings, dates as dates)."""
    import facturx  # here: half a second to import, for the few documents that are e-invoices

    level = "en16931"
    if syntax == CII:
        try:
            level = facturx.get_level(root, "factur-x")
        except ValueError:
            pass  # another guideline on the same syntax (XRechnung CII): read as EN 16931
    try:
        return facturx.parse_ubl_cii_xml(
            root,
            flavor=_FLAVORS[syntax],
            level=level,
            float_as="string",
            date_as="date",
            bytes_as="bytes",
            check_xsd=False,
        )
    except Exception as exc:  # the library raises bare Exceptions on values it cannot read
        log.warning("factur-x could not read an e-invoice: %s", exc)
        raise InvalidEInvoice(
            "einvoice.value_unreadable",
            "This e-invoice has a value that cannot be read (a date or amount in a "
            "wrong form); ask the sender for a corrected e-invoice.",
        ) from exc


def _invoice(terms: dict[str, Any], syntax: str, root: etree._Element) -> EInvoice:
    number = _text(terms.get("BT-1"))
    issued = terms.get("BT-2")
    payable = _amount(terms.get("BT-115"))
    currency = _text(terms.get("BT-5")) or _payable_currency(root)
    missing = [
        label
        for label, value in (
            ("invoice number", number),
            ("issue date", issued),
            ("amount due", payable),
            ("currency", currency),
        )
        if value is None
    ]
    if missing or number is None or issued is None or payable is None or currency is None:
        raise InvalidEInvoice(
            "einvoice.facts_missing",
            "This e-invoice lacks its {missing}; ask the sender for a corrected e-invoice.",
            missing=" and ".join(missing),
        )
    type_code = _text(terms.get("BT-3"))
    kind = CREDIT_NOTE if syntax == UBL_CREDIT_NOTE or type_code in CREDIT_NOTE_CODES else INVOICE
    return EInvoice(
        syntax=syntax,
        kind=kind,
        type_code=type_code,
        specification=_text(terms.get("BT-24")),
        number=number,
        issue_date=issued,
        due_date=_date(terms.get("BT-9")),
        currency=currency.upper(),
        payable=payable,
        total_with_vat=_amount(terms.get("BT-112")),
        total_without_vat=_amount(terms.get("BT-109")),
        vat_total=_amount(terms.get("BT-110")),
        prepaid=_amount(terms.get("BT-113")),
        seller=_party(terms.get("BG-4") or {}, _ubl_party_ids(root, "AccountingSupplierParty")),
        buyer=_party(terms.get("BG-7") or {}, _ubl_party_ids(root, "AccountingCustomerParty")),
        iban=_iban(terms.get("BT-84")),
        payment_reference=_text(terms.get("BT-83")),
        buyer_reference=_text(terms.get("BT-10")),
        order_reference=_text(terms.get("BT-13")),
        preceding_invoices=tuple(filter(None, (_text(item.get("BT-25")) for item in terms.get("BG-3") or ()))),
        notes=tuple(filter(None, (_text(item.get("BT-22")) for item in terms.get("BG-1") or ()))),
        payment_terms=_text(terms.get("BT-20")),
        vat=tuple(_vat_line(item) for item in terms.get("BG-23") or ()),
        lines=tuple(_line(item) for item in terms.get("BG-25") or ()),
        attachments=tuple(_attachment(item) for item in terms.get("BG-24") or () if item.get("BT-125")),
    )


def _party(data: dict[str, Any], extra: dict[str, str]) -> Party:
    identifiers = {str(k): str(v) for k, v in (data.get("identifiers") or {}).items() if k is not None}
    kvk = _kvk_of(data, identifiers) or extra.get("kvk")
    contacts = data.get("contacts") or []
    email = next((c.get("email") for c in contacts if c.get("email")), None)
    if email is None and (data.get("einvoicing_addr_schemeid") or "").upper() == "EM":
        email = data.get("einvoicing_addr")
    return Party(
        name=_text(data.get("name")),
        trading_name=_text(data.get("biz_name")),
        vat_id=_compact(data.get("vat_identifier")) or extra.get("vat"),
        kvk=kvk,
        legal_id=_text(data.get("legal_identifier")),
        legal_scheme=_text(data.get("legal_identifier_schemeid")),
        email=_text(email),
        street=_text(data.get("addr_l1")),
        postcode=_text(data.get("postcode")),
        city=_text(data.get("city")),
        country=_text(data.get("country_code")),
    )


def _kvk_of(data: dict[str, Any], identifiers: dict[str, str]) -> str | None:
    candidates = [
        (data.get("legal_identifier_schemeid"), data.get("legal_identifier")),
        (data.get("einvoicing_addr_schemeid"), data.get("einvoicing_addr")),
        *identifiers.items(),
    ]
    for scheme, value in candidates:
        if scheme and value and str(scheme).upper() in _KVK_SCHEMES and _KVK.match(_compact(value) or ""):
            return _compact(value)
    return None


def _ubl_party_ids(root: etree._Element, role: str) -> dict[str, str]:
    """KvK and VAT numbers a UBL party names by agency or scheme (``schemeAgencyName="KvK"``)."""
    found: dict[str, str] = {}
    for element in root.iterfind(f"cac:{role}/cac:Party/cac:PartyIdentification/cbc:ID", _NS):
        scheme = (element.get("schemeAgencyName") or element.get("schemeID") or "").upper()
        value = _compact(element.text)
        if not value:
            continue
        if scheme in _KVK_SCHEMES and _KVK.match(value):
            found.setdefault("kvk", value)
        elif scheme in _VAT_SCHEMES:
            found.setdefault("vat", value)
    return found


def _payable_currency(root: etree._Element) -> str | None:
    element = root.find(".//cbc:PayableAmount", _NS)
    return element.get("currencyID") if element is not None else None


def _vat_line(item: dict[str, Any]) -> VatLine:
    return VatLine(
        category=_text(item.get("BT-118")),
        rate=_amount(item.get("BT-119")),
        taxable=_amount(item.get("BT-116")),
        tax=_amount(item.get("BT-117")),
        exemption=_text(item.get("BT-120")),
    )


def _line(item: dict[str, Any]) -> InvoiceLine:
    return InvoiceLine(
        name=_text(item.get("BT-153")),
        description=_text(item.get("BT-154")),
        quantity=_amount(item.get("BT-129")),
        unit=_text(item.get("BT-130")),
        net_amount=_amount(item.get("BT-131")),
        vat_rate=_amount(item.get("BT-152")),
    )


def _attachment(item: dict[str, Any]) -> EmbeddedFile:
    data = item.get("BT-125")
    return EmbeddedFile(
        filename=_text(item.get("BT-125-2")),
        mime_type=_text(item.get("BT-125-1")),
        data=data if isinstance(data, bytes) else b"",
        description=_text(item.get("BT-123")),
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _compact(value: Any) -> str | None:
    text = _text(value)
    return re.sub(r"[\s.\-]", "", text).upper() if text else None


def _iban(value: Any) -> str | None:
    text = _compact(value)
    return text if text and re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", text) else None


def _amount(value: Any) -> Decimal | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise InvalidEInvoice(
            "einvoice.amount_not_a_number",
            "This e-invoice has an amount that is not a number ({typed}).",
            typed=text[:40],
        ) from exc


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) else None
