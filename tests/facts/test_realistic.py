"""Hand-written documents in layouts the generator does not make (tables, columns, footers).

They guard against rules that only fit the generated set.
"""

from __future__ import annotations

import pytest

from ingest.facts import ClientRecord, ClientRegistry, extract_facts

DOCS = [
    (
        "kpn_invoice",
        """KPN B.V.
Postbus 9107
7300 HX Apeldoorn

Dhr. P. Bakker
Julianalaan 7
2511 CV DEN HAAG

Uw factuur van november 2024

Factuurdatum        Klantnummer        Factuurnummer
14-11-2024          K-10025            2024-11-883726

Overzicht kosten
Abonnement Internet + TV        01-12-2024 t/m 31-12-2024     € 59,50
Eenmalige kosten                                              € 15,00
Totaal excl. btw                                              € 61,57
Btw 21%                                                       € 12,93
Totaal incl. btw                                              € 74,50

Het totaalbedrag van € 74,50 wordt rond 28-11-2024 automatisch afgeschreven van uw
rekening NL20 INGB 0001 2345 67.
KPN B.V. | KvK 27124701 | BTW NL009292056B01 | IBAN NL82 ABNA 0244 4016 42
""",
        dict(
            document_type="invoice",
            document_date="2024-11-14",
            amount="74.50",
            client_id="K-10025",
            reference="2024-11-883726",
        ),
    ),
    (
        "ah_receipt",
        """ALBERT HEIJN
Stationsplein 12 Utrecht
Tel 030-1234567

BANANEN                 1,29
HALFVOLLE MELK          1,15
VOLKORENBROOD           2,49
KOFFIE SNELFILTER       4,99
BONUS KOFFIE           -1,00
SUBTOTAAL               8,92
TOTAAL                  8,92

BETAALD MET PIN         8,92

BTW      OVER     BEDRAG
9%       8,18     0,74

Kassa 4   Bon 0231   27-11-2026 14:22
Vragen? Bel 0800-0305
Bedankt en tot ziens!
""",
        dict(document_type="receipt", document_date="2026-11-27", amount="8.92"),
    ),
    (
        "belasting_letter",
        """Belastingdienst

Mevrouw S. Mulder
Kerkstraat 4
3511 AB Utrecht

Datum      3 maart 2025
Ons kenmerk   IB/2024/55123
Uw kenmerk    geen
Onderwerp     Voorlopige aanslag inkomstenbelasting 2025

Geachte mevrouw Mulder,

U ontvangt hierbij de voorlopige aanslag. U betaalt het bedrag van € 1.245,00 in
termijnen; de eerste termijn vervalt op 30 april 2025.
Uw burgerservicenummer: 123456782

Met vriendelijke groet,
de inspecteur
""",
        dict(document_type="letter", document_date="2025-03-03", reference="IB/2024/55123", client_id="K-30001"),
    ),
    (
        "payslip_table",
        """SALARISSPECIFICATIE
Werkgever: Jansen Installatietechniek B.V.
Werknemer: J. de Vries               Personeelsnr: 0042
Adres: Vismarkt 9, 9711 BB Groningen
BSN: 2345.67.891        Geboortedatum: 14-07-1985
Tijdvak: 01-10-2026 t/m 31-10-2026       Datum uitbetaling: 24-10-2026

Omschrijving                 Bedrag
Salaris                      3.250,00
Vakantiegeld 8%               260,00
Loon voor loonheffing        3.510,00
Loonheffing                  -812,44
Pensioenpremie werknemer     -145,10
Netto loon                   2.552,46

Uitbetaald op NL12 RABO 0123 4567 89
""",
        dict(document_type="payslip", document_date="2026-10-31", amount="2552.46", client_id="K-20002"),
    ),
    (
        "english_invoice",
        """Bright Software Ltd
12 High Street, London EC1A 1BB
VAT Reg No GB123456789

INVOICE

Bill To:
Jansen Installatietechniek B.V.
Molenweg 12
1234 AB Utrecht
The Netherlands

Invoice #: BS-2025-0187
Invoice Date: March 14, 2025
Due Date: April 13, 2025

Description                          Qty    Rate       Amount
Annual licence                        1   1,200.00   1,200.00
Support plan                          1     300.00     300.00

                                   Subtotal          1,500.00
                                   VAT (0%)              0.00
                                   Total           EUR 1,500.00
                                   Balance Due     EUR 1,500.00

Please pay by bank transfer to IBAN GB29 NWBK 6016 1331 9268 19
""",
        dict(
            document_type="invoice",
            document_date="2025-03-14",
            amount="1500.00",
            client_id="K-10023",
            reference="BS-2025-0187",
            iban="GB29NWBK60161331926819",
        ),
    ),
    (
        "huurcontract",
        """HUUROVEREENKOMST WOONRUIMTE

De ondergetekenden:
1. Woonstichting De Linie, gevestigd te Utrecht, hierna te noemen "verhuurder",
2. De heer P. Bakker, wonende Julianalaan 7, 2511 CV Den Haag, hierna te noemen "huurder",

verklaren te zijn overeengekomen als volgt:

Artikel 1 Het gehuurde
De woning aan de Lindelaan 4 te Utrecht.
Artikel 2 Duur
Deze overeenkomst gaat in op 1 januari 2026 en is aangegaan voor onbepaalde tijd.
Artikel 3 Huurprijs
De huurprijs bedraagt € 1.150,00 per maand.

Aldus opgemaakt en in tweevoud ondertekend te Utrecht op 12 december 2025.

Verhuurder                          Huurder
""",
        dict(document_type="contract", document_date="2025-12-12", client_id="K-10025"),
    ),
    (
        "intake_form",
        """Huisartsenpraktijk Zuid
INSCHRIJFFORMULIER

Achternaam: Mulder            Voorletters: S.
Geboortedatum: 02-02-1990     Geslacht: V
Adres: Kerkstraat 4
Postcode/Woonplaats: 3511 AB Utrecht
BSN: 123456782
Telefoon: 06-12345678
E-mail: s.mulder@example.nl
Vorige huisarts: Dr. Pietersen

Datum: 5-1-2026               Handtekening: ..................
""",
        dict(document_type="form", document_date="2026-01-05", client_id="K-30001"),
    ),
    (
        "kwitantie",
        """KWITANTIE                                   Nr. 2026-014

Ontvangen van: Jansen Installatietechniek B.V.
de som van: € 250,00 (zegge: tweehonderdvijftig euro)
wegens: borg sleutels bedrijfspand Molenweg 12

Utrecht, 8 februari 2026

Handtekening: ____________
""",
        dict(
            document_type="receipt",
            document_date="2026-02-08",
            amount="250.00",
            reference="2026-014",
            client_id="K-10023",
        ),
    ),
    (
        "card_receipt_en",
        """TESCO EXPRESS
221 Baker St, London
VAT No: GB 220 4302 31

Meal deal            3.50
Water 1L             0.95
Sandwich             2.80
TOTAL               £7.25
VISA DEBIT          £7.25
CONTACTLESS
AUTH CODE: 123456
14/03/2018 12:41
THANK YOU FOR SHOPPING
""",
        dict(document_type="receipt", document_date="2018-03-14", amount="7.25"),
    ),
]


DOCS += [
    (
        "trap_invoice",
        """Janssen Installaties
Kerkstraat 3, 5678 CD Zwolle
KvK 87654321 - BTW NL810433941B01

Factuur aan:
Pieter Bakker
Julianalaan 7
2511 CV Den Haag

Debiteurnr.: 5521
Factuur nr: 2024-117
Datum: 02-04-2024

Vervangen kraan                     € 145,00
Btw 21%                             €  30,45
Totaal                              € 175,45

Gelieve binnen 14 dagen over te maken naar NL91 ABNA 0417 1643 00 t.n.v. Janssen Installaties.
""",
        dict(
            document_type="invoice",
            document_date="2024-04-02",
            amount="175.45",
            client_id="K-10025",
            reference="2024-117",
            iban="NL91ABNA0417164300",
        ),
    ),
    (
        "law_letter_en",
        """HARRIS & COLE SOLICITORS
10 King Street, Manchester M2 4LQ

Ms S. Mulder
Kerkstraat 4
3511 AB Utrecht
Netherlands

Our ref: HC/PL/2291
Your ref: SM-1

14th March 2018

Dear Ms Mulder,

Re: Estate of the late Mr J. Mulder

Further to your letter of 2 February 2018, we enclose the documents. Please return the
signed copy by 30 April 2018.

Yours sincerely,

Harris & Cole
""",
        dict(document_type="letter", document_date="2018-03-14", reference="HC/PL/2291", client_id="K-30001"),
    ),
    (
        "energy_bill",
        """Energie Direct
Jaarafrekening 2025

Aan: De heer J. de Vries
Oudegracht 1
3511 AA Utrecht

Klantnummer: 20001
Factuurnummer: 91827364
Factuurdatum: 15 januari 2026

Verbruik stroom 2.450 kWh                         € 612,50
Verbruik gas 1.100 m3                             € 1.320,00
Vaste leveringskosten                             € 78,00
Energiebelasting                                  € 410,12
Vermindering energiebelasting                    -€ 524,95
Totaal jaarkosten                                 € 1.895,67
Betaalde voorschotten                            -€ 1.800,00
Totaal te betalen                                 € 95,67

Wij schrijven het bedrag op 29 januari 2026 af van uw rekening.
""",
        dict(
            document_type="invoice",
            document_date="2026-01-15",
            amount="95.67",
            client_id="K-20001",
            reference="91827364",
        ),
    ),
    (
        "receipt_split",
        """HEMA
Oudegracht 100
UTRECHT

Theedoek            3,50
Pennen 10st         2,25
Subtotaal
5,75
Totaal
5,75
Pin
5,75
Datum: 03-12-2025 Tijd: 16:02
Bonnr: 4471
""",
        dict(document_type="receipt", document_date="2025-12-03", amount="5.75", reference="4471"),
    ),
    (
        "uk_payslip",
        """ACME LTD
PAYSLIP

Employee: Pieter Bakker          Employee No: 114
NI Number: QQ123456C             Tax Code: 1257L
Pay Date: 28/02/2025             Tax Period: 11
Period ending: 28/02/2025

Basic Pay                  2,800.00
Overtime                     150.00
Gross Pay                  2,950.00
Income Tax                  -380.20
National Insurance          -160.40
Pension                     -88.50
Net Pay                    2,320.90

Paid to account ending 4567
Address: Julianalaan 7, 2511 CV Den Haag
""",
        dict(document_type="payslip", document_date="2025-02-28", amount="2320.90", client_id="K-10025"),
    ),
    (
        "date_above",
        """VISSER ADVIES
FACTUUR

Datum
12-03-2024
Factuurnummer
VA-0042
Klant
Jansen Installatietechniek B.V., Molenweg 12, 1234 AB Utrecht

Advieswerkzaamheden maart    € 800,00
BTW 21%                      € 168,00
Te betalen                   € 968,00
Betalingskenmerk 1234 5678 9012 3456
""",
        dict(
            document_type="invoice",
            document_date="2024-03-12",
            amount="968.00",
            client_id="K-10023",
            reference="VA-0042",
        ),
    ),
    (
        "letter_dated",
        """Gemeente Utrecht
Postbus 16200
3500 CE Utrecht

Mevrouw S. Mulder
Kerkstraat 4
3511 AB Utrecht

Datum: 12 maart 2024
Uw brief van: 1 maart 2024
Kenmerk: 2024-0312-77
Onderwerp: Parkeervergunning

Geachte mevrouw Mulder,

Uw aanvraag is toegekend. De vergunning is geldig tot 31 december 2024.

Met vriendelijke groet,
""",
        dict(document_type="letter", document_date="2024-03-12", reference="2024-0312-77", client_id="K-30001"),
    ),
]


DOCS += [
    (
        "us_invoice",
        """Northwind Traders Inc.
1200 Market St, Suite 400
San Francisco, CA 94103

INVOICE

Bill To: Jansen Installatietechniek B.V., Molenweg 12, 1234 AB Utrecht, Netherlands
Invoice Date: 11/27/2026
Invoice No: NW-88213
Terms: Net 30
Due: 12/27/2026

Item                         Qty   Unit Price     Line Total
Valve assembly                4      $120.00        $480.00
Shipping                      1       $35.50         $35.50
                                     Subtotal        $515.50
                                     Sales Tax         $0.00
                                     Amount Due    $1,234.56

Remit payment to: Northwind Traders Inc.
""",
        dict(
            document_type="invoice",
            document_date="2026-11-27",
            amount="1234.56",
            client_id="K-10023",
            reference="NW-88213",
        ),
    ),
    (
        "aanmaning",
        """Incassobureau Noord B.V.
Postbus 123, 9700 AA Groningen

De heer P. Bakker
Julianalaan 7
2511 CV Den Haag

Groningen, 14 februari 2026

Betreft: aanmaning factuur 2025-0099 van 12 december 2025
Ons kenmerk: INC-55120

Geachte heer Bakker,

Ondanks eerdere herinneringen hebben wij het bedrag van € 345,00 nog niet ontvangen.
Wij verzoeken u dit bedrag uiterlijk 28 februari 2026 over te maken.

Met vriendelijke groet,
Incassobureau Noord
""",
        dict(document_type="letter", document_date="2026-02-14", reference="INC-55120", client_id="K-10025"),
    ),
    (
        "tenancy_en",
        """ASSURED SHORTHOLD TENANCY AGREEMENT

This Agreement is made on 1st April 2024 between:

Landlord: Harbour Lettings Ltd, 5 Quay Road, Bristol BS1 4DJ
Tenant: Sanne Mulder, Kerkstraat 4, 3511 AB Utrecht

1. The term starts on 15 April 2024 for 12 months.
2. The rent is £950.00 per calendar month.
3. The deposit is £1,096.00.

Signed by the Tenant: ______________
""",
        dict(document_type="contract", document_date="2024-04-01", client_id="K-30001"),
    ),
    (
        "header_table_nl",
        """Installatiebedrijf De Wit
Industrieweg 8, 3542 AD Utrecht | KvK 30123456 | IBAN NL91 ABNA 0417 1643 00

Factuur

Debiteur: Sanne Mulder, Kerkstraat 4, 3511 AB Utrecht

Factuurnummer    Factuurdatum    Vervaldatum    Klantnummer
F-2026-031       03-02-2026      03-03-2026     K-30001

Omschrijving                         Bedrag
Onderhoud cv-ketel                   € 95,00
Btw 21%                              € 19,95
Totaal te voldoen                    € 114,95
""",
        dict(
            document_type="invoice",
            document_date="2026-02-03",
            amount="114.95",
            client_id="K-30001",
            reference="F-2026-031",
            iban="NL91ABNA0417164300",
        ),
    ),
    (
        "form_en",
        """Greenfield Dental Practice
NEW PATIENT REGISTRATION FORM
Please complete all sections in BLOCK CAPITALS.

Surname: BAKKER              First name: PIETER
Date of birth: 03/07/1979
Address: JULIANALAAN 7, 2511 CV DEN HAAG
Email: P.BAKKER@EXAMPLE.NL

Do you smoke? Yes / No
Signature: ________   Date: 19/01/2026
""",
        dict(document_type="form", document_date="2026-01-19", client_id="K-10025"),
    ),
    (
        "kwitantie_short",
        """Kwitantie

Ontvangen van Janssen Installaties, Kerkstraat 3, 5678 CD Zwolle
de som van € 75,- wegens huur aanhanger.

Datum: 1-2-2026
Handtekening:
""",
        dict(document_type="receipt", document_date="2026-02-01", amount="75.00", client_id="K-10024"),
    ),
]


REGISTRY = ClientRegistry(
    [
        ClientRecord(
            "K-10023",
            "Jansen Installatietechniek B.V.",
            "company",
            kvk="12345678",
            street="Molenweg",
            house_number="12",
            postcode="1234 AB",
            city="Utrecht",
        ),
        ClientRecord(
            "K-10024",
            "Janssen Installaties",
            "company",
            street="Kerkstraat",
            house_number="3",
            postcode="5678 CD",
            city="Zwolle",
        ),
        ClientRecord(
            "K-10025",
            "Pieter Bakker",
            bsn="111222333",
            iban="NL20INGB0001234567",
            street="Julianalaan",
            house_number="7",
            postcode="2511 CV",
            city="Den Haag",
        ),
        ClientRecord(
            "K-20001", "Jan de Vries", postcode="3511 AA", street="Oudegracht", house_number="1", city="Utrecht"
        ),
        ClientRecord(
            "K-20002",
            "Jan de Vries",
            bsn="234567891",
            postcode="9711 BB",
            street="Vismarkt",
            house_number="9",
            city="Groningen",
        ),
        ClientRecord(
            "K-30001",
            "Sanne Mulder",
            email="s.mulder@example.nl",
            bsn="123456782",
            postcode="3511 AB",
            street="Kerkstraat",
            house_number="4",
            city="Utrecht",
        ),
    ]
)


@pytest.mark.parametrize("name, text, truth", DOCS, ids=[d[0] for d in DOCS])
def test_realistic_document(settings, name, text, truth):
    facts = extract_facts([text], REGISTRY, settings)
    got = {
        "document_type": facts.document_type,
        "client_id": facts.client_id,
        "reference": facts.reference,
        "iban": facts.iban,
        "document_date": facts.document_date.isoformat() if facts.document_date else None,
        "amount": str(facts.amount) if facts.amount is not None else None,
    }
    assert {key: got[key] for key in truth} == truth
    if "client_id" not in truth:
        assert facts.client_id is None
