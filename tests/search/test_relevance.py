"""Relevance: realistic questions over a seeded archive each find the expected document
among the first three results.

The archive: a few dozen documents of a small Dutch front office (with some English),
hidden among two hundred everyday ones that share their vocabulary.
"""

from __future__ import annotations

import random

import pytest

from search import SearchIndex, SearchRequest
from search.settings import SearchSettings
from tests.search.conftest import TYPE_ALIASES, VALUES, make_document

CLIENTS = {
    "K-10023": "Jansen Installatietechniek B.V.",
    "K-10024": "Bakkerij De Vries",
    "K-10025": "Tandartspraktijk Smit",
    "K-10026": "Mevrouw F. El Amrani",
    "K-10027": "Café De Zwaan",
    "K-10028": "Oakwood Consulting Ltd",
    "K-10029": "Stichting Het Vlinderhuis",
}

SEEDED = [
    # (id, type, client, date, amount, reference, title, text)
    (
        1,
        "invoice",
        "K-10023",
        "2024-01-15",
        "1210.00",
        "F2024-0007",
        "Factuur F2024-0007 – Jansen",
        "Factuur voor het onderhoud van de cv-ketel in januari. Totaal te betalen € 1.210,00.",
    ),
    (
        2,
        "invoice",
        "K-10023",
        "2024-02-14",
        "484.00",
        "F2024-0011",
        "Factuur F2024-0011 – Jansen",
        "Factuur voor de vervanging van een thermostaat. Te betalen binnen dertig dagen.",
    ),
    (
        3,
        "invoice",
        "K-10023",
        "2024-03-12",
        "2420.00",
        "F2024-0012",
        "Factuur F2024-0012 – Jansen",
        "Factuur voor de installatie van een warmtepomp in maart. Totaalbedrag € 2.420,00 inclusief btw.",
    ),
    (
        4,
        "invoice",
        "K-10023",
        "2024-04-09",
        "99.95",
        "F2024-0019",
        "Factuur F2024-0019 – Jansen",
        "Factuur voor een storingsbezoek. Voorrijkosten en arbeid.",
    ),
    (
        5,
        "letter",
        "K-10026",
        "2024-05-02",
        None,
        None,
        "Brief over achterstallige huur",
        "Geachte mevrouw El Amrani, wij verzoeken u vriendelijk de achterstallige huur van april en mei "
        "binnen veertien dagen te voldoen. Met vriendelijke groet, de administratie.",
    ),
    (
        6,
        "contract",
        "K-10026",
        "2023-09-01",
        "950.00",
        "HO-2023-114",
        "Huurovereenkomst Kerkstraat 12",
        "Huurovereenkomst tussen verhuurder en huurder voor de woning aan de Kerkstraat 12 te Utrecht. "
        "De huurprijs bedraagt € 950,- per maand. Ondertekend te Utrecht.",
    ),
    (
        7,
        "invoice",
        "K-10025",
        "2024-06-20",
        "184.50",
        "TN-88231",
        "Tandartsnota juni",
        "Tandartsnota voor controle en gebitsreiniging. Behandeling door tandarts Smit.",
    ),
    (
        8,
        "receipt",
        "K-10027",
        "2024-03-08",
        "23.40",
        None,
        "Kassabon Café De Zwaan",
        "Kassabon café De Zwaan: 2 koffie, 2 appeltaart. Betaald met pinpas. Bedankt voor uw bezoek!",
    ),
    (
        9,
        "payslip",
        "K-10024",
        "2024-02-29",
        "2315.77",
        None,
        "Loonstrook februari 2024",
        "Loonstrook periode februari 2024. Bruto salaris, loonheffing, vakantiegeld. Netto uit te betalen.",
    ),
    (
        10,
        "invoice",
        "K-10028",
        "2024-03-28",
        "3500.00",
        "INV-2024-031",
        "Invoice INV-2024-031 – Oakwood",
        "Invoice for consulting services rendered in March. Amount due within 30 days. Kind regards.",
    ),
    (
        11,
        "letter",
        "K-10028",
        "2024-07-11",
        None,
        None,
        "Letter about the renewal of the agreement",
        "Dear Sir or Madam, we would like to discuss the renewal of our agreement. Yours sincerely.",
    ),
    (
        12,
        "form",
        "K-10029",
        "2024-08-19",
        None,
        None,
        "Aanmeldformulier vlinderdossier",
        "Aanmeldformulier voor het vlinderdossier van Stichting Het Vlinderhuis. Geboortedatum, handtekening.",
    ),
    (
        13,
        "contract",
        "K-10024",
        "2022-11-01",
        None,
        "AO-2022-3",
        "Arbeidsovereenkomst bakker",
        "Arbeidsovereenkomst voor onbepaalde tijd tussen Bakkerij De Vries en de werknemer.",
    ),
    (
        14,
        "letter",
        "K-10025",
        "2024-09-03",
        None,
        None,
        "Herinnering openstaande rekeningen",
        "Herinnering: volgens onze administratie staan er nog twee rekeningen open. Graag betalen.",
    ),
    (
        15,
        "invoice",
        "K-10027",
        "2023-12-22",
        "640.00",
        "CZ-2023-090",
        "Factuur kerstborrel",
        "Factuur voor de kerstborrel in het café: drankjes en hapjes voor veertig personen.",
    ),
    (
        16,
        "receipt",
        "K-10023",
        "2024-03-19",
        "56.10",
        None,
        "Pinbon bouwmarkt",
        "Pinbon bouwmarkt: koperen knelkoppelingen en teflontape. Betaald met pinpas, transactie 4471.",
    ),
    (
        17,
        "letter",
        "K-10024",
        "2024-10-15",
        None,
        None,
        "Brief van de Belastingdienst",
        "Betreft: naheffingsaanslag omzetbelasting over het derde kwartaal. Bezwaar binnen zes weken.",
    ),
    (
        18,
        "invoice",
        "K-10024",
        "2024-03-05",
        "312.00",
        "BV-2024-044",
        "Factuur meelleverancier",
        "Factuur van de meelleverancier voor tarwebloem en roggemeel, geleverd in maart.",
    ),
    (
        19,
        "contract",
        "K-10027",
        "2024-01-01",
        "1500.00",
        "PO-2024-1",
        "Pachtovereenkomst terras",
        "Pachtovereenkomst voor het terras van Café De Zwaan aan de gracht.",
    ),
    (
        20,
        "form",
        "K-10026",
        "2024-04-04",
        None,
        None,
        "Intakeformulier huurtoeslag",
        "Intakeformulier voor de aanvraag van huurtoeslag. Inkomen, huurprijs en gezinssamenstelling.",
    ),
]
IBANS = {3: "NL91ABNA0417164300", 10: "GB29NWBK60161331926819"}
TAGS = {17: ("bezwaar", "urgent")}

FILLER_WORDS = (
    "administratie afspraak betaling bijlage controle datum dossier gegevens klant "
    "maand overzicht periode post verzoek werkzaamheden adres telefoon email bericht "
    "onderwerp nummer bedrag termijn levering order regel totaal"
).split()


def _seeded():
    for number, kind, client, day, amount, reference, title, text in SEEDED:
        yield make_document(
            number,
            text,
            title=title,
            document_type=kind,
            client_id=client,
            client_name=CLIENTS[client],
            document_date=day,
            amount=amount,
            reference=reference,
            iban=IBANS.get(number),
            tags=TAGS.get(number, ()),
        )


def _filler(count: int = 200):
    rng = random.Random(7)
    kinds = ("invoice", "letter", "receipt", "contract", "form", "payslip")
    for number in range(1000, 1000 + count):
        client = rng.choice(sorted(CLIENTS))
        words = " ".join(rng.choice(FILLER_WORDS) for _ in range(60))
        yield make_document(
            number,
            words,
            title=f"Stuk {number}",
            document_type=rng.choice(kinds),
            client_id=client,
            client_name=CLIENTS[client],
            document_date=f"20{rng.randint(21, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            amount=str(rng.randint(5, 5000)),
        )


@pytest.fixture(scope="module")
def archive_index(tmp_path_factory):
    index = SearchIndex.open(
        tmp_path_factory.mktemp("relevance") / "index", SearchSettings(), TYPE_ALIASES, values=VALUES
    )
    index.upsert(list(_seeded()) + list(_filler()))
    yield index
    index.close()


QUESTIONS = [
    # (question, expected id, what it tests)
    ("client:K-10023 type:factuur date:2024-03", 3, "a client's invoices of last March"),
    ("jansen factuur maart", 3, "the same, typed as words"),
    ('"achterstallige huur"', 5, "a letter by a phrase from it"),
    ('"verzoeken u vriendelijk"', 5, "a phrase with a stop word inside"),
    ("Jansne cv-ketel", 1, "a misspelt client name"),
    ("F2024-0012", 3, "a reference number typed on its own"),
    ("ref:F2024-0012", 3, "a reference number as a filter"),
    ("INV-2024-031", 10, "an English invoice number"),
    ("amount:2000..3000 type:invoice", 3, "an amount range"),
    ("amount:<100 jansen", 4, "an amount below a limit"),
    ("bedrag:>=3.000 consulting", 10, "a Dutch-typed amount"),
    ("rekening", 14, "Dutch plural found by its singular"),
    ("rekeningen herinnering", 14, "Dutch plural"),
    ("overeenkomst kerkstraat", 6, "part of a compound: huurovereenkomst"),
    ("overeenkomst bakkerij", 13, "part of a compound: arbeidsovereenkomst"),
    ("nota tandarts", 7, "part of a compound: tandartsnota"),
    ("cafe zwaan kassabon", 8, "accents folded: café"),
    ("Café De Zwaan terras overeenkomst", 19, "accents typed, compound pachtovereenkomst"),
    ("type:bon café", 8, "type alias bon = receipt"),
    ("type:loonstrook februari", 9, "type alias loonstrook = payslip"),
    ("type:nota smit", 7, "type alias nota = invoice"),
    ("invoices consulting", 10, "English plural"),
    ("agreement renewal", 11, "English letter"),
    ("vlinderdosier", 12, "a typo in a rare word"),
    ("vlinder*", 12, "a prefix"),
    ("warmtepomp", 3, "one rare word"),
    ("kerstborrel date:2023", 15, "a word and a year"),
    ("date:[2024-03-01 to 2024-03-31] pinbon", 16, "a date range and a word"),
    ("iban:NL91ABNA0417164300", 3, "an IBAN"),
    ("NL91ABNA0417164300", 3, "an IBAN typed on its own"),
    ("tag:urgent", 17, "a tag"),
    ("belastingdienst bezwaar", 17, "two words from a letter"),
    ("huurtoeslag OR huursubsidie", 20, "OR"),
    ("huur -toeslag -overeenkomst -huurovereenkomst mei", 5, "exclusions"),
    ("client:K-10024 meel", 18, "a client and a compound part: roggemeel"),
    ("tarwebloem", 18, "a compound word itself"),
    ("El Amrani formulier", 20, "client name and compound part of intakeformulier"),
    ("loonheffing vakantiegeld", 9, "payslip words"),
    ("thermostaat", 2, "a word only in the body"),
    ("scan_0012", 12, "the original file name"),
]


@pytest.mark.parametrize("question, expected, why", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_question_finds_the_document_in_the_top_three(archive_index, question, expected, why):
    results = archive_index.search(SearchRequest(question, page_size=3))
    assert expected in [hit.id for hit in results.hits], f"{why}: got {[h.title for h in results.hits]}"


def test_there_are_at_least_thirty_questions():
    assert len(QUESTIONS) >= 30


def test_a_typo_offers_a_suggestion(archive_index):
    assert archive_index.search(SearchRequest("vlinderdosier")).suggestion == "vlinderdossier"


def test_date_order_lists_a_clients_latest_first(archive_index):
    results = archive_index.search(SearchRequest("client:K-10023 type:invoice", sort="date"))
    assert [hit.id for hit in results.hits][:4] == [4, 3, 2, 1] or results.hits[0].document_date.year == 2024
