"""extract_facts on labelled generated documents and on the public corpus (text level, fast)."""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.facts import ClientRecord, ClientRegistry, extract_facts
from ingest.facts.extract import completes, make_title
from tests.facts.generator import make_registry, make_stranger
from tests.facts.scoring import score_documents
from tests.values.cases import BSNS, PRINTED_AMOUNTS

TARGETS = {
    "document_type": 0.95,
    "document_date": 0.92,
    "amount": 0.92,
    "iban": 0.95,
    "reference": 0.85,
    "client_found": 0.85,
}


def test_generated_set_meets_the_targets(generated, settings):
    registry, docs = generated
    assert len(docs) >= 60
    assert Counter(d.language for d in docs).keys() == {"nl", "en"}
    scores = score_documents(docs, registry, settings)
    for name, target in TARGETS.items():
        assert scores.rate(name) >= target, (
            f"{name}: {scores.rate(name):.1%} < {target:.0%} ({scores.misses[name][:3]})"
        )
    assert scores.wrong_clients == [], "a document was filed under the wrong client"


def test_every_fact_records_where_it_came_from(generated, settings):
    registry, docs = generated
    facts = extract_facts(docs[0].pages, registry, settings)
    for fact in facts.evidence:
        assert fact.page == 1 and fact.source_text and 0.0 < fact.confidence <= 1.0


def test_invoice_facts_and_title(settings):
    registry = ClientRegistry(
        [
            ClientRecord(
                "K-10023",
                "Jansen Installatietechniek B.V.",
                "company",
                street="Molenweg",
                house_number="12",
                postcode="1234 AB",
                city="Utrecht",
            )
        ]
    )
    text = (
        "Bakkerij De Gouden Korst B.V.\nDorpsstraat 12, 3511 AB Utrecht\nKvK 12345678\n\n"
        "Aan: Jansen Installatietechniek B.V.\nMolenweg 12\n1234 AB Utrecht\n\nFACTUUR\n"
        "Factuurnummer: F2024-0012\nFactuurdatum: 12 maart 2024\nVervaldatum: 11 april 2024\n"
        "Broodjes vergadering € 100,00\nSubtotaal € 100,00\nBTW 9% € 9,00\nTotaal te betalen € 109,00\n"
        "Betaal op NL91 ABNA 0417 1643 00 t.n.v. Bakkerij De Gouden Korst"
    )
    facts = extract_facts([text], registry, settings)
    assert (facts.document_type, facts.client_id, facts.reference) == ("invoice", "K-10023", "F2024-0012")
    assert (facts.document_date, facts.amount, facts.currency) == (date(2024, 3, 12), Decimal("109.00"), "EUR")
    assert facts.iban == "NL91ABNA0417164300"
    assert facts.title == "Factuur F2024-0012 — Jansen Installatietechniek B.V."
    assert not facts.needs_review


@pytest.mark.parametrize(
    ("language", "title"),
    [("nl", "Brief 12 maart 2024 — Jansen"), ("en", "Letter 12 March 2024 — Jansen")],
)
def test_a_title_without_reference_writes_its_date_as_the_office_reads_it(settings, language, title):
    # 2024-03-12 could be read as the third of December by a hurried reader; a month's
    # name in the office's own language cannot.
    registry = ClientRegistry([ClientRecord("K-1", "Jansen", "person")])
    office = dataclasses.replace(settings, title_language=language)
    assert make_title(office, "letter", None, date(2024, 3, 12), registry, "K-1") == title


def test_review_reasons(settings):
    text = "FACTUUR\nTotaal te betalen € 100,00\nTe betalen € 120,00"
    facts = extract_facts([text], ClientRegistry([]), settings, ocr_confidence=41.0)
    assert facts.needs_review
    assert {"no_client", "no_date", "conflicting_totals", "low_ocr_confidence"} <= set(facts.review_reasons)


def test_due_date_alone_is_not_the_document_date(settings):
    facts = extract_facts(["FACTUUR F-1\nVervaldatum: 1 april 2025\nTotaal € 10,00"], ClientRegistry([]), settings)
    assert facts.document_date is None and "no_date" in facts.review_reasons


def test_bsn_is_kept_only_when_labelled(settings):
    registry = ClientRegistry([])
    assert extract_facts(["Loonstrook\nBSN: 111222333"], registry, settings).bsn == "111222333"
    assert extract_facts(["Order 111222333 verzonden"], registry, settings).bsn is None


def test_empty_text(settings):
    facts = extract_facts(["", "  "], ClientRegistry([]), settings)
    assert facts.document_type is None and "no_text" in facts.review_reasons


# ---------------------------------------------------------------- the public corpus


def sroie_text(box_csv: Path) -> str:
    """The SROIE OCR transcript: one line per box, the text after the eight coordinates."""
    rows = box_csv.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(row.split(",", 8)[8] for row in rows if row.count(",") >= 8)


@pytest.mark.corpus
def test_sroie_receipts_date_and_total(corpus, settings):
    right_dates = right_totals = 0
    boxes = sorted((corpus / "sroie").glob("*.box.csv"))
    for box in boxes:
        truth = json.loads(box.with_name(box.name.replace(".box.csv", ".json")).read_text())
        facts = extract_facts([sroie_text(box)], ClientRegistry([]), settings)
        right_dates += facts.document_date == _sroie_date(truth["date"])
        right_totals += facts.amount == Decimal(truth["total"].lstrip("RM$"))
    assert right_dates == len(boxes)
    assert right_totals >= len(boxes) - 1


def _sroie_date(text: str) -> date:
    from ingest.values import find_dates

    return find_dates(text)[0].value


@pytest.mark.corpus
def test_invoice2data_invoices(corpus, settings):
    import pypdfium2

    references = 0
    for name in ("coolblue1", "QualityHosting", "FlipkartInvoice", "free_fiber"):
        truth = json.loads((corpus / "invoice2data" / f"{name}.json").read_text())[0]
        pdf = pypdfium2.PdfDocument(corpus / "invoice2data" / f"{name}.pdf")
        pages = [page.get_textpage().get_text_bounded() for page in pdf]
        pdf.close()
        facts = extract_facts(pages, ClientRegistry([]), settings)
        assert facts.document_type == "invoice", name
        assert facts.document_date == date.fromisoformat(truth["date"]), name
        assert facts.amount == Decimal(str(truth["amount"])).quantize(Decimal("0.01")), name
        assert facts.iban == truth.get("iban", facts.iban), name
        references += facts.reference == truth["invoice_number"].lstrip("#")
    # QualityHosting's text layer puts the label "Rechnungsnr." far from its number.
    assert references >= 3


@pytest.mark.parametrize("line, value, currency", [row for row in PRINTED_AMOUNTS if row[0].startswith("T")])
def test_a_labelled_total_is_read_by_the_amount_rule(settings, line, value, currency):
    facts = extract_facts([f"Factuur F2024-0012\nFactuurdatum: 12-03-2024\n{line}"], ClientRegistry([]), settings)
    assert (facts.amount, facts.currency) == (Decimal(value), currency)


@pytest.mark.parametrize("written, digits", BSNS)
def test_a_labelled_bsn_is_read_however_it_is_written(settings, written, digits):
    registry = ClientRegistry([])
    assert extract_facts([f"Loonstrook\nBSN: {written}"], registry, settings).bsn == digits


def test_evidence_never_shows_a_bsn_outside_the_bsn_fact(settings):
    registry = ClientRegistry([ClientRecord("K-1", "Pieter Bakker", bsn="111222333")])
    facts = extract_facts(["Loonstrook\nWerknemer: Pieter Bakker BSN 111222333"], registry, settings)
    assert facts.client_id == "K-1" and facts.bsn == "111222333"
    assert all("111222333" not in f.source_text for f in facts.evidence if f.name != "bsn")


def test_header_row_read_by_word_position(settings):
    # OCR joins a table's header into one line and its values into the next.
    text = (
        "Factuur\nFactuurnummer Factuurdatum Vervaldatum Klantnummer\nF-2026-031 03-02-2026 03-03-2026 K-30001\n"
        "Totaal € 5,00"
    )
    facts = extract_facts([text], ClientRegistry([]), settings)
    assert (facts.document_date, facts.reference) == (date(2026, 2, 3), "F-2026-031")


# A receipt's second reading (ingest.second_reading) only fills what the first lacks.
RECEIPT_FIRST = "KRUIDVAT\nMarkt 28\nPENNEN 9,12\nTAPE 3,40\nTOTAAL 12,52\nPIN 12,52"
RECEIPT_SECOND = "KRUIDVAT\nMarkt 28\n12-03-2024 10:11\nPENNEN 9,12\nTAPE 3,40\nTOTAAL 12,52"


def test_a_second_reading_gives_the_date_the_first_reading_lacks(settings):
    facts = extract_facts([RECEIPT_FIRST], ClientRegistry([]), settings, second_pages=[RECEIPT_SECOND])
    assert facts.document_date == date(2024, 3, 12)
    assert "no_date" not in facts.review_reasons
    assert facts.amount == Decimal("12.52")


def test_a_second_reading_gives_the_total_the_first_reading_lacks(settings):
    first = "KRUIDVAT\n12-03-2024 10:11\nPENNEN 9,12\nTAPE 3,40\nT0TA 12 52"
    facts = extract_facts([first], ClientRegistry([]), settings, second_pages=[RECEIPT_SECOND])
    assert facts.amount == Decimal("12.52")
    assert facts.document_date == date(2024, 3, 12)


def test_a_second_reading_never_overrules_what_the_first_found(settings):
    first = "KRUIDVAT\n11-03-2024 10:11\nPENNEN 9,12\nTAPE 3,40\nTOTAAL 12,52"
    second = "KRUIDVAT\n17-03-2024 10:11\nPENNEN 9,12\nTAPE 3,40\nTOTAAL 72,52"
    facts = extract_facts([first], ClientRegistry([]), settings, second_pages=[second])
    assert (facts.document_date, facts.amount) == (date(2024, 3, 11), Decimal("12.52"))


def test_pages_without_a_second_reading_are_read_as_before(settings):
    alone = extract_facts([RECEIPT_FIRST], ClientRegistry([]), settings)
    assert extract_facts([RECEIPT_FIRST], ClientRegistry([]), settings, second_pages=[""]) == alone
    assert alone.document_date is None


# A fax's second reading (ingest.second_reading) fills every fact the first lacks, and
# completes a reference the first cut short; otherwise the first reading stands.
JANSEN = ClientRecord(
    "K-10023", "Jansen Installatietechniek B.V.", "company", street="Molenweg", house_number="12", postcode="1234 AB"
)
FAX_FIRST = (
    "Bakkerij De Gouden Korst B.V.\nAan: Jamsen lnsta11atietechn1ek 8.V.\nMo1enweg 1Z\n1Z34 A8 Utrecht\n"
    "FACTUUR\nFactuurdatum: 12 maart 2024\nTotaal te betalen € 109,00\nBetaal op NL91 A8NA 04I7 1b43 00"
)
FAX_SECOND = (
    "Bakkerij De Gouden Korst B.V.\nAan: Jansen Installatietechniek B.V.\nMolenweg 12\n1234 AB Utrecht\n"
    "FACTUUR\nFactuurnummer: F2024-0012\nFactuurdatum: 17 maart 2024\nTotaal te betalen € 169,00\n"
    "Betaal op NL91 ABNA 0417 1643 00"
)


def test_a_second_reading_gives_the_client_reference_and_account_the_first_lacks(settings):
    registry = ClientRegistry([JANSEN])
    first = extract_facts([FAX_FIRST], registry, settings)
    assert (first.client_id, first.reference, first.iban) == (None, None, None)
    facts = extract_facts([FAX_FIRST], registry, settings, second_pages=[FAX_SECOND])
    assert (facts.client_id, facts.reference, facts.iban) == ("K-10023", "F2024-0012", "NL91ABNA0417164300")
    # Date and total the first reading found stand, though the second read them otherwise.
    assert (facts.document_date, facts.amount) == (date(2024, 3, 12), Decimal("109.00"))


def test_a_reference_cut_short_is_completed_by_the_other_reading_and_never_shortened(settings):
    def reference(first: str, second: str) -> str | None:
        pages = [f"Geachte heer,\nOns kenmerk: {first}\nMet vriendelijke groet"]
        again = [f"Geachte heer,\nOns kenmerk: {second}\nMet vriendelijke groet"]
        return extract_facts(pages, ClientRegistry([]), settings, second_pages=again).reference

    assert reference("967", "96714810") == "96714810"
    assert reference("25/2457", "2025/2457") == "2025/2457"
    assert reference("96714810", "967") == "96714810"
    assert reference("N-884683", "N-B84683") == "N-884683"  # nothing decides between two readings: the first


def test_a_reading_completes_another_only_when_it_keeps_every_character():
    assert completes("967", "96714810") and completes("25/2457", "#2025/2457")
    assert not completes("N-884683", "N-B84683") and not completes("2025/2457", "2025/2457")
    assert not completes("96714810", "967") and not completes("21", "2021")  # too short to be a part


def test_a_second_reading_gives_a_letter_no_account_from_its_letterhead(settings):
    # Type unknown from a garbled first reading: only an account named with a payment counts from the second.
    first = "Bakkerij De Gouden Korst B.V.\nGeachte heer Jansen,\nWij danken u."
    letterhead = "Bakkerij De Gouden Korst B.V. NL91 ABNA 0417 1643 00\nGeachte heer Jansen,\nWij danken u."
    paying = "Bakkerij De Gouden Korst B.V.\nGraag overmaken op NL91 ABNA 0417 1643 00\nWij danken u."
    assert extract_facts([first], ClientRegistry([]), settings, second_pages=[letterhead]).iban is None
    assert extract_facts([first], ClientRegistry([]), settings, second_pages=[paying]).iban == "NL91ABNA0417164300"


def test_the_account_the_registry_confirms_wins_from_either_reading(settings):
    # A payslip names the employee's own account: the registry's, read right only the second time.
    registry = ClientRegistry([ClientRecord("K-1", "Pieter Bakker", iban="NL44RABO0123456789")])
    first = "Loonstrook mei 2024\nWerknemer: Pieter Bakker\nNL63 TRIO 0212 3456 78\nNL44 RABO 0123 457 89"
    second = "Loonstrook mei 2024\nWerknemer: Pieter Bakker\nNL63 TRIO 0212 3456 78\nNL44 RABO 0123 4567 89"
    # Read one digit short, the account is the one IBAN mod 97 allows, and the registry's.
    assert extract_facts([first], registry, settings).iban == "NL44RABO0123456789"
    assert extract_facts([first], registry, settings, second_pages=[second]).iban == "NL44RABO0123456789"
    assert extract_facts([second], registry, settings, second_pages=[first]).iban == "NL44RABO0123456789"


def test_a_generated_stranger_shares_no_identifier_with_a_client():
    # A stranger holding a client's IBAN or address would be that client: "no client" would be the wrong truth.
    rng = random.Random(11)
    registry = make_registry(rng, 60)

    def identifiers(c: ClientRecord) -> set[str]:
        values = (c.iban, c.bsn, c.kvk, c.vat, c.email, f"{c.postcode}|{c.house_number}")
        return {v for v in values if v}

    taken = set().union(*(identifiers(c) for c in registry))
    assert all(not taken & identifiers(make_stranger(rng, registry)) for _ in range(200))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_generator_prints_an_amount_below_one_with_its_sign(lang):
    import random
    from decimal import Decimal

    from tests.facts.generator import fmt_amount

    rng = random.Random(3)
    assert all("-0" in fmt_amount(rng, Decimal("-0.50"), lang) for _ in range(20))
    assert all("-1" in fmt_amount(rng, Decimal("-1234.50"), lang) for _ in range(20))
