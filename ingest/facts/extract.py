"""extract_facts: from the text of a document's pages to its facts, with evidence.

Pure: text and a client registry in, Facts out. Unsure facts are left empty or
flagged with a stable review reason rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from ingest.facts.amounts import choose_amount, document_currency
from ingest.facts.caseblind import CaseBlind
from ingest.facts.classifier import TypeClassifier
from ingest.facts.client_match import ClientCandidate, ClientMatch, match_client
from ingest.facts.clients import ClientRegistry
from ingest.facts.docdate import choose_date
from ingest.facts.doctype import TypeGuess, score_types
from ingest.facts.identifiers import BSN_LABEL, Found, find_ibans, find_misread_ibans
from ingest.facts.language import detect_language
from ingest.facts.references import ReferenceChoice, choose_reference
from ingest.facts.settings import ExtractionSettings
from ingest.facts.text import Line, split_lines
from ingest.facts.zones import SENDER, line_roles
from ingest.values import find_bsns, format_amount, mask_bsns, write_date

_PAY_TO = CaseBlind(
    r"betaal|overmaken|over te maken|te betalen|t\.?\s?n\.?\s?v|ten name van|pay(?:able)? to|remit|"
    r"iban|rekening|account",
)
# Words that make a bank account the one this document asks to pay to (not the letterhead's).
_PAYMENT = CaseBlind(
    r"betaal|betaling|overmaken|over te maken|te betalen|t\.?\s?n\.?\s?v|ten name van|"
    r"o\.?v\.?v|pay(?:able)? to|please pay|payment to|remit|transfer|incasso|machtig|direct debit|"
    r"afgeschreven|debited|gestort|storten",
)
# The account of a letter, contract, form or receipt is named only with a payment; the
# bank account in its letterhead or footer is the sender's, not a fact of the document.
_ACCOUNT_TYPES = frozenset({"invoice", "payslip"})
_EMPLOYEE = CaseBlind(r"werknemer|employee|uitbetaald|uitbetaling|paid into|salaris|salary|netto|net pay")


@dataclass(frozen=True)
class Fact:
    """One extracted fact: normalised value, confidence, and where it came from."""

    name: str
    value: str
    confidence: float
    page: int | None
    source_text: str


@dataclass(frozen=True)
class Facts:
    """Everything extracted from one document, and what a clerk should check."""

    client_id: str | None = None
    document_type: str | None = None
    document_date: date | None = None
    amount: Decimal | None = None
    currency: str | None = None
    iban: str | None = None
    reference: str | None = None
    bsn: str | None = None
    language: str | None = None  # nl | en
    title: str | None = None
    evidence: tuple[Fact, ...] = ()
    needs_review: bool = False
    review_reasons: tuple[str, ...] = ()
    client_candidates: tuple[ClientCandidate, ...] = ()  # every client the text points to, best first

    def fact(self, name: str) -> Fact | None:
        """Return the evidence for one fact, or None."""
        return next((item for item in self.evidence if item.name == name), None)


def extract_facts(
    pages: Sequence[str],
    registry: ClientRegistry,
    settings: ExtractionSettings,
    ocr_confidence: float | None = None,
    classifier: TypeClassifier | None = None,
    second_pages: Sequence[str] = (),
) -> Facts:
    """Return the facts of a document from the text of its pages (pure, no I/O).

    `second_pages` are the pages read a second time, another way (ingest.second_reading):
    a client, date, amount, reference or bank account the pages lack is looked for there;
    what the pages found stands, except a reference the second reading shows was cut short.
    """
    lines = split_lines(pages)
    second = split_lines(second_pages) if any(second_pages) else []
    evidence: list[Fact] = []
    reasons: list[str] = []
    guess = _document_type(lines, pages, settings, classifier)
    doc_type = guess.document_type
    if doc_type:
        evidence.append(_fact("document_type", doc_type, guess.confidence, guess.line, guess.cue))
    if doc_type is None or guess.confidence < settings.min_type_confidence:
        reasons.append("unsure_type")
    roles = line_roles(lines)
    client = match_client(lines, registry, settings, roles)
    if client.client_id is None and second:
        # The same rules and confirmations, on the other reading's name and address block.
        again = match_client(second, registry, settings, line_roles(second))
        client = again if again.client_id else client
    if client.client_id:
        source = f"{client.evidence}: {client.line.text}" if client.line else client.evidence
        evidence.append(_fact("client_id", client.client_id, client.confidence, client.line, source))
    else:
        reasons.append(client.reason or "no_client")
    found_date = choose_date(lines, doc_type) or (choose_date(second, doc_type) if second else None)
    if found_date:
        evidence.append(
            _fact(
                "document_date",
                found_date.found.value.isoformat(),
                found_date.confidence,
                found_date.line,
                found_date.found.text,
            )
        )
    else:
        reasons.append("no_date")
    amount, currency = _amount(lines, second, doc_type, evidence, reasons, settings.default_currency or None)
    iban = _iban(lines, roles, second, registry, client, doc_type, evidence)
    reference = _reference(lines, second, client.client_id, doc_type)
    if reference:
        evidence.append(_fact("reference", reference.value, reference.confidence, reference.line, reference.value))
    bsn = _bsn(lines, registry, client, evidence)
    language = detect_language(pages)
    if language:
        evidence.append(Fact("language", language.language, language.confidence, 1, language.evidence))
    if ocr_confidence is not None and ocr_confidence < settings.min_ocr_confidence:
        reasons.append("low_ocr_confidence")
    if not lines:
        reasons.append("no_text")
    return Facts(
        client_id=client.client_id,
        document_type=doc_type,
        document_date=found_date.found.value if found_date else None,
        amount=amount,
        currency=currency,
        iban=iban,
        reference=reference.value if reference else None,
        bsn=bsn,
        language=language.language if language else None,
        title=make_title(
            settings,
            doc_type,
            reference.value if reference else None,
            found_date.found.value if found_date else None,
            registry,
            client.client_id,
        ),
        evidence=tuple(evidence),
        needs_review=bool(reasons),
        review_reasons=tuple(dict.fromkeys(reasons)),
        client_candidates=client.candidates,
    )


def _fact(name: str, value: str, confidence: float, line: Line | None, source: str) -> Fact:
    text = (line.text if line and not source else source)[:200]
    if name != "bsn":
        text = mask_bsns(text)  # evidence is shown to people who may not see a BSN: hide any in the line
    return Fact(name, value, round(float(confidence), 3), line.page if line else None, text)


def _document_type(lines, pages, settings: ExtractionSettings, classifier: TypeClassifier | None) -> TypeGuess:
    guess = score_types(lines, settings.types, settings.heading_weight)
    if classifier is None or not lines:
        return guess
    learned = classifier.probabilities("\n".join(pages))
    # The more sure the learned model is (it has seen documents like this corrected), the more it counts.
    weight = min(settings.classifier_weight * (0.5 + max(learned.values(), default=0.0)), 0.9)
    names = set(guess.scores) | set(learned)
    mixed = {n: (1 - weight) * guess.scores.get(n, 0.0) + weight * learned.get(n, 0.0) for n in names}
    top = max(mixed, key=lambda name: mixed[name])
    cue = guess.cue if top == guess.document_type else "learned from corrections"
    return TypeGuess(top, mixed[top], mixed, cue, guess.line if top == guess.document_type else None)


def _amount(
    lines, second, doc_type, evidence: list[Fact], reasons: list[str], default_currency: str | None
) -> tuple[Decimal | None, str | None]:
    choice = choose_amount(lines, doc_type) or (choose_amount(second, doc_type) if second else None)
    if choice is None:
        if doc_type in ("invoice", "receipt", "payslip"):
            reasons.append("no_amount")
        return None, None
    currency = choice.amount.currency or document_currency(lines) or default_currency
    evidence.append(
        _fact("amount", format_amount(choice.amount.value), choice.confidence, choice.line, choice.amount.text)
    )
    if currency:
        evidence.append(_fact("currency", currency, choice.confidence, choice.line, choice.amount.text))
    if choice.conflicting:
        reasons.append("conflicting_totals")
    return choice.amount.value, currency


# A reference shorter than this is no part of another: "1" ends every number ending in 1.
_MIN_PART = 3


def _reference(lines, second, client_id: str | None, doc_type: str | None) -> ReferenceChoice | None:
    first = choose_reference(lines, client_id, doc_type)
    other = choose_reference(second, client_id, doc_type) if second else None
    if first is None or other is None:
        return first or other
    return other if completes(first.value, other.value) else first


def completes(short: str, long: str) -> bool:
    """Whether `long` is `short` with more characters before or after it: a number OCR cut short (pure).

    One reading breaks "2025/2457" into "20" and "25/2457", or ends "96714810" at "967"
    where a dropped dot split it; the other reading, agreeing on every character the
    first kept, shows the whole number.
    """
    a, b = short.lstrip("#").upper(), long.lstrip("#").upper()
    return len(a) >= _MIN_PART and len(b) > len(a) and (b.startswith(a) or b.endswith(a))


def _iban(
    lines, roles, second, registry: ClientRegistry, client: ClientMatch, doc_type: str | None, evidence: list[Fact]
) -> str | None:
    record = registry.get(client.client_id) if client.client_id else None
    own = (record.iban or "") if record else ""
    # An invoice names the sender's account to pay to; a payslip names the employee's own account.
    toward_client = doc_type == "payslip"
    # The accounts a second reading found compete under the same rule (the first reading's win a
    # tie), but of a document of unknown type only one named with a payment: a second reading
    # that reads a letterhead's account the first garbled must not give a letter an account.
    readings = [(line, role, False) for line, role in zip(lines, roles)]
    readings += [(line, role, True) for line, role in zip(second, line_roles(second) if second else [])]
    readings = [(line, role, again) for line, role, again in readings if _names_account(line, again, doc_type)]
    misread = _misread_ibans([(line, again) for line, _role, again in readings])
    best: tuple[float, str, Line] | None = None
    for line, role, again in readings:
        read = [(found, 1.0) for found in find_ibans(line.text)] + misread.get((again, line.index), [])
        for found, weight in read:
            score = weight + (0.5 if _PAY_TO.found(line.text) else 0.0)
            if toward_client:
                score += (1.0 if found.value == own or _EMPLOYEE.found(line.text) else 0.0) - (
                    1.0 if role == SENDER else 0.0
                )
            else:
                score += (0.5 if role == SENDER else 0.0) - (0.8 if found.value == own else 0.0)
            if best is None or score > best[0]:
                best = (score, found.value, line)
    if best is None:
        return None
    evidence.append(_fact("iban", best[1], 0.99, best[2], best[1]))
    return best[1]


def _names_account(line: Line, again: bool, doc_type: str | None) -> bool:
    account_type = doc_type in _ACCOUNT_TYPES or (doc_type is None and not again)
    return account_type or _PAYMENT.found(line.text)


def _misread_ibans(lines: Iterable[tuple[Line, bool]]) -> dict[tuple[bool, int], list[tuple[Found, float]]]:
    """IBANs read one digit off that exactly one IBAN explains, by reading and line, weighted below one read right.

    Two such repairs that disagree (one reading of the account against another) leave both out.
    """
    found = {(again, line.index): [(item, 0.7) for item in find_misread_ibans(line.text)] for line, again in lines}
    values = {item.value for items in found.values() for item, _weight in items}
    return found if len(values) == 1 else {}


def _bsn(lines, registry: ClientRegistry, client: ClientMatch, evidence: list[Fact]) -> str | None:
    for line in lines:
        found = find_bsns(line.text)
        record = registry.get(client.client_id) if client.client_id else None
        registered = record.bsn if record else None
        for item in found:
            # A nine-digit number passes the 11-check one time in eleven: a label or the registry must confirm it.
            if BSN_LABEL.search(line.text) or item.value == registered:
                evidence.append(_fact("bsn", item.value, 0.95, line, item.value))
                return item.value
    return None


def make_title(
    settings: ExtractionSettings,
    doc_type: str | None,
    reference: str | None,
    when: date | None,
    registry: ClientRegistry,
    client_id: str | None,
) -> str:
    """Return a short title: type label, reference or date, and the client's name."""
    rule = settings.types.get(doc_type or "")
    english = settings.title_language == "en"
    label = (rule.label_en if english else rule.label_nl) if rule else "Document"
    # "Kassabon / kwitantie" names the type; a title needs one word of it.
    parts = [(label or (doc_type or "Document").capitalize()).split(" / ")[0]]
    if reference:
        parts.append(reference)
    elif when:
        parts.append(write_date(when, settings.title_language))
    title = " ".join(parts)
    client = registry.get(client_id) if client_id else None
    return f"{title} — {client.name}" if client else title
