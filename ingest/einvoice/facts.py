"""An e-invoice's facts: taken from its XML as they stand, each with confidence 1.

Only the client is a judgement: it is the one registered client whose KvK number,
VAT id, IBAN or e-mail address the buyer or the seller carries; failing those, the
parties' names and postcodes are matched as on any document. Two different clients
named in one invoice are left for a clerk to choose.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.einvoice.model import CREDIT_NOTE, EInvoice, Party
from ingest.einvoice.text import labels, party_lines
from ingest.facts import ClientRegistry, ExtractionSettings, Fact, Facts, make_title
from ingest.facts.client_match import match_client
from ingest.facts.text import split_lines
from ingest.facts.zones import NEUTRAL
from ingest.values import format_amount

SOURCE = "e-invoice XML"
_ZERO = Decimal(0)
# How the `vat_breakdown` fact is written ("21%: 34.02 over 162.00; 9%: 2.25 over 25.00"): one home,
# read back by vat_breakdown_rows.
_BREAKDOWN_SEPARATOR = "; "
_OVER = " over "
_SYNTAX_NAMES = {"ubl-invoice": "UBL 2.1 Invoice", "ubl-credit-note": "UBL 2.1 CreditNote", "cii": "UN/CEFACT CII"}
# (party attribute, registry identifier kind) in the order they are trusted.
_IDENTIFIERS = (("kvk", "kvk"), ("vat_id", "vat"), ("email", "email"))


def einvoice_facts(invoice: EInvoice, registry: ClientRegistry, settings: ExtractionSettings) -> Facts:
    """Return the document facts of an e-invoice (pure)."""
    client_id, client_fact, reason = _client(invoice, registry, settings)
    amount = invoice.signed_amount
    evidence = [
        _fact("document_type", "invoice", f"{_syntax(invoice)} {invoice.type_code or ''}".strip()),
        _fact("document_date", invoice.issue_date.isoformat(), "IssueDate"),
        _fact("amount", format_amount(amount), _amount_source(invoice)),
        _fact("currency", invoice.currency, "DocumentCurrencyCode"),
        _fact("reference", invoice.number, "ID"),
        _fact("invoice_kind", invoice.kind, invoice.type_code or invoice.syntax),
        _fact("einvoice_format", _syntax(invoice), invoice.specification or ""),
    ]
    if client_fact is not None:
        evidence.append(client_fact)
    if invoice.iban:
        evidence.append(_fact("iban", invoice.iban, "PayeeFinancialAccount"))
    evidence.extend(_extra_facts(invoice))
    return Facts(
        client_id=client_id,
        document_type="invoice",
        document_date=invoice.issue_date,
        amount=amount,
        currency=invoice.currency,
        iban=invoice.iban,
        reference=invoice.number,
        title=_title(invoice, registry, settings, client_id),
        evidence=tuple(evidence),
        needs_review=reason is not None,
        review_reasons=(reason,) if reason else (),
    )


def _client(
    invoice: EInvoice, registry: ClientRegistry, settings: ExtractionSettings
) -> tuple[str | None, Fact | None, str | None]:
    """(client id, its evidence, review reason when there is none)."""
    found: dict[str, str] = {}
    for role, party in (("buyer", invoice.buyer), ("seller", invoice.seller)):
        for attribute, kind in _IDENTIFIERS:
            value = getattr(party, attribute)
            for client_id in registry.with_identifier(kind, value) if value else ():
                found.setdefault(client_id, f"{kind} {value} ({role})")
        if role == "seller" and invoice.iban:
            for client_id in registry.with_identifier("iban", invoice.iban):
                found.setdefault(client_id, f"iban {invoice.iban} (seller)")
    if len(found) == 1:
        ((client_id, source),) = found.items()
        return client_id, Fact("client_id", client_id, 1.0, None, source), None
    if len(found) > 1:
        return None, None, "ambiguous_client"
    return _client_by_name(invoice, registry, settings)


def _client_by_name(
    invoice: EInvoice, registry: ClientRegistry, settings: ExtractionSettings
) -> tuple[str | None, Fact | None, str | None]:
    """Names confirmed by postcode or street, weighed as on a scanned document."""
    words = labels("nl")
    text = "\n".join(("\n".join(party_lines(invoice.buyer, words)), "\n".join(party_lines(invoice.seller, words))))
    lines = split_lines([text])
    match = match_client(lines, registry, settings, [NEUTRAL] * len(lines))
    if match.client_id is None or match.confidence < settings.min_client_confidence:
        return None, None, "unsure_client" if match.client_id else (match.reason or "no_client")
    source = f"{match.evidence}: {match.line.text}" if match.line else match.evidence
    return match.client_id, Fact("client_id", match.client_id, round(match.confidence, 3), None, source[:200]), None


def vat_breakdown_rows(value: str) -> list[dict[str, str | None]]:
    """The VAT rates a `vat_breakdown` fact's value names, as einvoice_facts writes it (pure).

    Each row has `rate` (a percentage, or None for a category without one, such as
    exempt), `category`, `tax` and `taxable` (None where the XML gave no rate) as
    plain decimal strings, so that a page can word and format them in its language.
    """
    rows: list[dict[str, str | None]] = []
    for part in value.split(_BREAKDOWN_SEPARATOR) if value else ():
        head, _, amounts = part.partition(": ")
        tax, _, taxable = amounts.partition(_OVER)
        rate = head[:-1] if head.endswith("%") else None
        rows.append(
            {"rate": rate, "category": None if rate is not None else head, "tax": tax, "taxable": taxable or None}
        )
    return rows


def _extra_facts(invoice: EInvoice) -> list[Fact]:
    facts = []
    if invoice.due_date:
        facts.append(_fact("due_date", invoice.due_date.isoformat(), "DueDate"))
    for prefix, party in (("supplier", invoice.seller), ("buyer", invoice.buyer)):
        facts.extend(_party_facts(prefix, party))
    if invoice.vat_total is not None:
        facts.append(_fact("vat_amount", format_amount(invoice.vat_total), "TaxTotal/TaxAmount"))
    if invoice.vat:
        breakdown = _BREAKDOWN_SEPARATOR.join(
            f"{vat.rate.normalize():f}%: {format_amount(vat.tax or _ZERO)}{_OVER}{format_amount(vat.taxable or _ZERO)}"
            if vat.rate is not None
            else f"{vat.category}: {format_amount(vat.tax or _ZERO)}"
            for vat in invoice.vat
        )
        facts.append(_fact("vat_breakdown", breakdown, "TaxSubtotal"))
    if invoice.prepaid:
        facts.append(_fact("prepaid_amount", format_amount(invoice.prepaid), "PrepaidAmount"))
    if invoice.total_with_vat is not None:
        facts.append(_fact("total_incl_vat", format_amount(invoice.total_with_vat), "TaxInclusiveAmount"))
    if invoice.preceding_invoices:
        facts.append(_fact("preceding_invoice", ", ".join(invoice.preceding_invoices), "BillingReference"))
    if invoice.payment_reference:
        facts.append(_fact("payment_reference", invoice.payment_reference, "PaymentID"))
    return facts


def _party_facts(prefix: str, party: Party) -> list[Fact]:
    values = (("", party.shown_name), ("_vat", party.vat_id), ("_kvk", party.kvk))
    return [_fact(f"{prefix}{suffix}", value, "") for suffix, value in values if value]


def _fact(name: str, value: str, source: str) -> Fact:
    return Fact(name, value, 1.0, None, f"{SOURCE}: {source}".rstrip(": ")[:200])


def _syntax(invoice: EInvoice) -> str:
    return _SYNTAX_NAMES.get(invoice.syntax, invoice.syntax)


def _amount_source(invoice: EInvoice) -> str:
    if invoice.kind == CREDIT_NOTE:
        return f"PayableAmount {format_amount(invoice.payable)} of a credit note, entered as a credit"
    return "PayableAmount"


def _title(invoice: EInvoice, registry: ClientRegistry, settings: ExtractionSettings, client_id: str | None) -> str:
    title = make_title(settings, "invoice", invoice.number, invoice.issue_date, registry, client_id)
    if invoice.kind != CREDIT_NOTE:
        return title
    word = labels(settings.title_language)["credit_note"]
    return word + title[title.index(" ") :] if " " in title else word


__all__ = ["einvoice_facts"]
