"""Document templates for the generator: one function per type, Dutch and English."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from ingest.facts.clients import ClientRecord
from tests.facts.generator import (
    SHOPS,
    address_block,
    fmt_amount,
    fmt_date,
    letterhead,
    make_bsn,
    make_iban,
    money,
    person_parts,
    pick,
    row,
    some_date,
    spaced_iban,
)

ITEMS_NL = [
    "Arbeidsloon monteur",
    "Onderhoud cv-ketel",
    "Adviesgesprek",
    "Materiaal",
    "Licentie software",
    "Voorrijkosten",
    "Schilderwerk",
    "Consult",
    "Abonnement maand",
    "Verzendkosten",
    "Reparatie",
]
ITEMS_EN = [
    "Labour",
    "Boiler service",
    "Consultation",
    "Materials",
    "Software licence",
    "Call-out fee",
    "Painting",
    "Monthly subscription",
    "Shipping",
    "Repair",
    "Support hours",
]


def _ref(rng: random.Random, prefix: str) -> str:
    style = rng.random()
    if style < 0.3:
        return f"{prefix}{rng.randint(2014, 2026)}-{rng.randint(1, 9999):04d}"
    if style < 0.6:
        return str(rng.randint(100000, 99999999))
    if style < 0.8:
        return f"{prefix}-{rng.randint(10000, 999999)}"
    return f"{rng.randint(2014, 2026)}/{rng.randint(100, 9999)}"


def _client_line(rng: random.Random, who: ClientRecord, lang: str) -> list[str]:
    if not who.client_id or rng.random() < 0.4:
        return []
    label = pick(
        rng,
        lang,
        ["Klantnummer", "Klantnr.", "Relatienummer", "Debiteurnummer", "Cliëntnummer"],
        ["Client number", "Customer no.", "Customer ID", "Account number"],
    )
    return [row(rng, label, who.client_id)]


def invoice(rng: random.Random, sender: ClientRecord, who: ClientRecord, lang: str) -> tuple[list[str], dict]:
    """An invoice with subtotal, VAT, total, due date and the sender's bank account."""
    day = some_date(rng)
    due = day + timedelta(days=rng.choice([14, 30]))
    ref = _ref(rng, rng.choice(["F", "INV", "FAC", "N"]))
    head, foot = letterhead(rng, sender, lang)
    lines = list(head) + [""]
    lines += address_block(rng, who, lang, full=rng.random() < 0.85) + [""]
    lines.append(
        pick(rng, lang, ["FACTUUR", "Factuur", "Nota", "FACTUUR / INVOICE"], ["INVOICE", "Invoice", "Tax invoice"])
    )
    meta = [
        row(
            rng,
            pick(
                rng,
                lang,
                ["Factuurnummer", "Factuurnr.", "Factuur nr", "Nota nr."],
                ["Invoice number", "Invoice no.", "Invoice #"],
            ),
            ref,
        ),
        row(
            rng,
            pick(rng, lang, ["Factuurdatum", "Datum", "Datum factuur"], ["Invoice date", "Date", "Date of issue"]),
            fmt_date(rng, day, lang),
        ),
        row(
            rng,
            pick(
                rng,
                lang,
                ["Vervaldatum", "Te betalen voor", "Uiterste betaaldatum"],
                ["Due date", "Payment due", "Pay before"],
            ),
            fmt_date(rng, due, lang),
        ),
    ] + _client_line(rng, who, lang)
    if rng.random() < 0.3:
        meta.append(
            row(
                rng,
                pick(rng, lang, ["Orderdatum", "Leverdatum"], ["Order date", "Delivery date"]),
                fmt_date(rng, day - timedelta(days=rng.randint(1, 9)), lang),
            )
        )
    rng.shuffle(meta)
    lines += meta + [""]
    lines.append(
        pick(
            rng,
            lang,
            ["Omschrijving Aantal Prijs Bedrag", "Artikel  Aantal  Stukprijs  Totaal"],
            ["Description Qty Unit price Amount", "Item  Qty  Price  Total"],
        )
    )
    subtotal = Decimal("0")
    for _ in range(rng.randint(1, 5)):
        qty, price = rng.randint(1, 8), money(rng, 5, 400)
        subtotal += qty * price
        lines.append(
            f"{rng.choice(ITEMS_NL if lang == 'nl' else ITEMS_EN)} {qty} {fmt_amount(rng, price, lang)} {fmt_amount(rng, qty * price, lang)}"
        )
    vat = (subtotal * Decimal("0.21")).quantize(Decimal("0.01"))
    total = subtotal + vat
    layout = rng.random()
    if layout < 0.15:
        lines += _column_totals(rng, lang, subtotal, vat, total)
    elif layout < 0.3:
        total = _part_paid(rng, lang, subtotal, vat, total, lines)
    else:
        lines += _subtotal_vat_total(rng, lang, subtotal, vat, total)
    pay = spaced_iban(sender.iban) if rng.random() < 0.5 else sender.iban
    lines.append(
        pick(
            rng,
            lang,
            [
                f"Wij verzoeken u het bedrag binnen {(due - day).days} dagen over te maken op {pay} t.n.v. {sender.name} o.v.v. {ref}.",
                f"Graag betaling op rekening {pay} ten name van {sender.name}, onder vermelding van het factuurnummer.",
                f"Te betalen op rekening: {pay}",
            ],
            [
                f"Please pay within {(due - day).days} days to account {pay} in the name of {sender.name}, quoting {ref}.",
                f"Payment to: {pay} ({sender.name})",
                f"Bank details: IBAN {pay}",
            ],
        )
    )
    lines += [""] + foot
    truth = {
        "document_type": "invoice",
        "document_date": day,
        "amount": total,
        "currency": "EUR",
        "iban": sender.iban,
        "reference": ref,
    }
    return lines, truth


def _subtotal_vat_total(rng: random.Random, lang: str, subtotal: Decimal, vat: Decimal, total: Decimal) -> list[str]:
    return [
        row(
            rng,
            pick(
                rng,
                lang,
                ["Subtotaal", "Totaal excl. btw", "Bedrag excl. BTW"],
                ["Subtotal", "Total excl. VAT", "Net amount"],
            ),
            fmt_amount(rng, subtotal, lang),
        ),
        row(
            rng,
            pick(rng, lang, ["BTW 21%", "21% btw", "Btw hoog 21%"], ["VAT 21%", "VAT @ 21%", "Tax 21%"]),
            fmt_amount(rng, vat, lang),
        ),
        row(
            rng,
            pick(
                rng,
                lang,
                ["Totaal te betalen", "Totaal incl. btw", "Te betalen", "Totaal"],
                ["Total amount due", "Total", "Amount due", "Balance due", "Total incl. VAT"],
            ),
            fmt_amount(rng, total, lang),
        ),
        "",
    ]


def _column_totals(rng: random.Random, lang: str, subtotal: Decimal, vat: Decimal, total: Decimal) -> list[str]:
    """The amounts set out in columns (excl., VAT, incl.) with the column totals in one bottom row."""
    heading = pick(rng, lang, ["Excl. btw   Btw 21%   Incl. btw"], ["Excl. VAT   VAT 21%   Incl. VAT"])
    label = pick(rng, lang, ["Totaal", "Totalen", "Te betalen"], ["Total", "Totals", "Amount due"])
    amounts = "   ".join(fmt_amount(rng, value, lang) for value in (subtotal, vat, total))
    return [f"   {heading}", f"{label}   {amounts}", ""]


def _part_paid(
    rng: random.Random, lang: str, subtotal: Decimal, vat: Decimal, total: Decimal, lines: list[str]
) -> Decimal:
    """An invoice partly paid already: what is still due ("Nog te betalen") is not the total."""
    paid = (total * Decimal(rng.choice(["0.25", "0.3", "0.5"]))).quantize(Decimal("0.01"))
    lines += [
        row(
            rng,
            pick(rng, lang, ["Subtotaal", "Totaal excl. btw"], ["Subtotal", "Total excl. VAT"]),
            fmt_amount(rng, subtotal, lang),
        ),
        row(rng, pick(rng, lang, ["BTW 21%", "21% btw"], ["VAT 21%", "Tax 21%"]), fmt_amount(rng, vat, lang)),
        row(
            rng,
            pick(rng, lang, ["Totaal", "Totaal incl. btw"], ["Total", "Total incl. VAT"]),
            fmt_amount(rng, total, lang),
        ),
        row(
            rng,
            pick(
                rng,
                lang,
                ["Reeds betaald", "Aanbetaling", "Vooruitbetaald"],
                ["Already paid", "Deposit", "Paid in advance"],
            ),
            fmt_amount(rng, paid, lang),
        ),
        row(
            rng,
            pick(rng, lang, ["Nog te betalen", "Openstaand bedrag"], ["Balance due", "Amount still due"]),
            fmt_amount(rng, total - paid, lang),
        ),
        "",
    ]
    return total - paid


def receipt(rng: random.Random, sender: ClientRecord, who: ClientRecord, lang: str) -> tuple[list[str], dict]:
    """A till receipt (no client) or a kwitantie (received from a client)."""
    day = some_date(rng)
    if rng.random() < 0.6:
        return _till_receipt(rng, day, lang)
    amount = money(rng, 20, 900)
    number = str(rng.randint(100, 99999))
    head, foot = letterhead(rng, sender, lang)
    lines = head + [
        "",
        pick(rng, lang, ["KWITANTIE", "Kwitantie", "Betalingsbewijs"], ["RECEIPT", "Payment receipt"]),
        row(rng, pick(rng, lang, ["Kwitantienummer", "Nr.", "Bonnummer"], ["Receipt no.", "Receipt number"]), number),
    ]
    lines.append(row(rng, pick(rng, lang, ["Ontvangen van", "Betaald door"], ["Received from", "Paid by"]), who.name))
    lines += address_block(rng, who, lang)[1:] if rng.random() < 0.6 else []
    lines += _client_line(rng, who, lang)
    lines.append(
        row(
            rng,
            pick(rng, lang, ["Het bedrag van", "Bedrag", "Voor voldaan"], ["The sum of", "Amount paid", "Amount"]),
            fmt_amount(rng, amount, lang),
        )
    )
    lines.append(
        row(
            rng,
            pick(rng, lang, ["Wegens", "Omschrijving"], ["For", "Description"]),
            rng.choice(ITEMS_NL if lang == "nl" else ITEMS_EN),
        )
    )
    lines.append(
        row(rng, pick(rng, lang, ["Datum", "Plaats en datum"], ["Date", "Date received"]), fmt_date(rng, day, lang))
    )
    lines += [pick(rng, lang, ["Handtekening ontvanger", "Voor voldaan getekend"], ["Signature", "Signed"]), ""] + foot
    truth = {
        "document_type": "receipt",
        "document_date": day,
        "amount": amount,
        "currency": "EUR",
        "iban": None,
        "reference": number,
    }
    return lines, truth


def _till_receipt(rng: random.Random, day: date, lang: str) -> tuple[list[str], dict]:
    shop = rng.choice(SHOPS)
    lines = [shop.upper(), f"{rng.choice(['Markt', 'Hoofdstraat', 'High Street'])} {rng.randint(1, 99)}", ""]
    total = Decimal("0")
    for _ in range(rng.randint(2, 8)):
        price = money(rng, 1, 25)
        total += price
        lines.append(
            f"{rng.choice(['MELK', 'BROOD', 'KOFFIE', 'BATTERIJEN', 'TAPE', 'PENNEN', 'TEA', 'MILK', 'BREAD'])} {fmt_amount(rng, price, lang).replace('€ ', '')}"
        )
    paid = total + rng.choice([Decimal("0"), Decimal("5"), Decimal("10")]) if rng.random() < 0.4 else None
    if paid is not None and rng.random() < 0.5:
        # Paid in cash: the till prints the subtotal, rounds it to five cents and prints the total.
        rounded = (total / Decimal("0.05")).quantize(Decimal("1")) * Decimal("0.05")
        rounding = rounded - total
        lines.append(
            row(
                rng,
                pick(rng, lang, ["SUBTOTAAL", "Subtotaal"], ["SUBTOTAL", "Sub total"]),
                fmt_amount(rng, total, lang),
            )
        )
        sign = "-" if rounding < 0 else ""
        lines.append(
            row(
                rng,
                pick(rng, lang, ["AFRONDING", "Afronding"], ["ROUNDING", "Rounding"]),
                sign + fmt_amount(rng, abs(rounding), lang).replace("€ ", ""),
            )
        )
        paid, total = rounded + (paid - total), rounded
    lines.append(
        row(
            rng,
            pick(rng, lang, ["TOTAAL", "Totaal", "TE BETALEN"], ["TOTAL", "Total", "TOTAL DUE"]),
            fmt_amount(rng, total, lang),
        )
    )
    lines.append(
        row(
            rng,
            pick(rng, lang, ["BTW 9%", "waarvan btw"], ["VAT incl.", "of which VAT"]),
            fmt_amount(rng, (total * Decimal("0.0826")).quantize(Decimal("0.01")), lang),
        )
    )
    if paid is not None:
        lines.append(row(rng, pick(rng, lang, ["Contant", "CONTANT"], ["CASH", "Cash"]), fmt_amount(rng, paid, lang)))
        lines.append(
            row(
                rng, pick(rng, lang, ["Wisselgeld", "TERUG"], ["CHANGE", "Change"]), fmt_amount(rng, paid - total, lang)
            )
        )
    else:
        lines.append(
            pick(
                rng,
                lang,
                ["Betaald met PIN", "BETAALD MET: Maestro", "Pinbetaling contactloos"],
                ["Card payment - contactless", "PAID BY VISA", "Debit card"],
            )
        )
        lines.append(
            f"Terminal {rng.randint(10000, 99999)}  {pick(rng, lang, ['Autorisatiecode', 'Auth. code'], ['Auth code', 'Approval'])} {rng.randint(100000, 999999)}"
        )
    stamp = f"{fmt_date(rng, day, lang, ('dmy-', 'dmy/', 'abbr', 'dmy2'))} {rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}"
    lines.insert(rng.choice([2, len(lines)]), stamp)
    number = str(rng.randint(1000, 999999))
    lines.append(row(rng, pick(rng, lang, ["Bonnummer", "Bon nr."], ["Receipt no.", "Receipt #"]), number))
    lines.append(
        pick(rng, lang, ["Bedankt voor uw aankoop!", "Tot ziens!"], ["Thank you for shopping!", "Please come again"])
    )
    truth = {
        "document_type": "receipt",
        "document_date": day,
        "amount": total,
        "currency": "EUR",
        "iban": None,
        "reference": number,
        "client_id": None,
        "layout": "till",
    }
    return lines, truth


def payslip(rng: random.Random, sender: ClientRecord, who: ClientRecord, lang: str) -> tuple[list[str], dict]:
    """A payslip: pay period, gross, deductions, net pay, employee BSN and birth date."""
    year, month = rng.randint(2015, 2026), rng.randint(1, 12)
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    start = date(year, month, 1)
    gross = money(rng, 1800, 6500)
    tax = (gross * Decimal(rng.choice(["0.18", "0.25", "0.32"]))).quantize(Decimal("0.01"))
    pension = (gross * Decimal("0.05")).quantize(Decimal("0.01"))
    net = gross - tax - pension
    head, foot = letterhead(rng, sender, lang)
    lines = head + [
        "",
        pick(rng, lang, ["LOONSTROOK", "Salarisstrook", "Loonstrook"], ["PAYSLIP", "Payslip", "Pay slip"]),
    ]
    period = rng.random()
    months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
    months_en = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    if period < 0.5:
        lines.append(
            row(
                rng,
                pick(rng, lang, ["Periode", "Loonperiode"], ["Pay period", "Period"]),
                f"{fmt_date(rng, start, lang, ('dmy-', 'dmy/'))} {pick(rng, lang, ['t/m', 'tot en met', '-'], ['to', '-'])} {fmt_date(rng, end, lang, ('dmy-', 'dmy/'))}",
            )
        )
    else:
        lines.append(
            row(
                rng,
                pick(rng, lang, ["Periode", "Loonperiode"], ["Pay period", "Period"]),
                f"{(months if lang == 'nl' else months_en)[month - 1]} {year}",
            )
        )
    bsn = who.bsn or make_bsn(rng)
    employee = [
        row(rng, pick(rng, lang, ["Werknemer", "Naam werknemer"], ["Employee", "Employee name"]), who.name),
        row(
            rng,
            pick(rng, lang, ["Personeelsnummer", "Pers.nr."], ["Employee no.", "Staff number"]),
            str(rng.randint(100, 9999)),
        ),
        row(rng, pick(rng, lang, ["BSN", "Burgerservicenummer"], ["BSN", "Citizen service number"]), bsn),
        row(
            rng,
            pick(rng, lang, ["Geboortedatum", "Geb. datum"], ["Date of birth", "DOB"]),
            fmt_date(
                rng, date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28)), lang, ("dmy-", "dmy/")
            ),
        ),
        row(
            rng,
            pick(rng, lang, ["Datum in dienst", "In dienst sinds"], ["Start date", "Employed since"]),
            fmt_date(rng, date(rng.randint(2005, 2014), rng.randint(1, 12), 1), lang, ("dmy-", "dmy/")),
        ),
    ]
    if rng.random() < 0.6:
        employee[1:1] = address_block(rng, who, lang)[1:]
    lines += employee + [""]
    lines += [
        row(
            rng,
            pick(rng, lang, ["Bruto loon", "Brutosalaris", "Salaris bruto"], ["Gross pay", "Gross salary"]),
            fmt_amount(rng, gross, lang),
        ),
        row(
            rng,
            pick(rng, lang, ["Loonheffing", "Inhouding loonheffing"], ["Income tax", "Tax deducted"]),
            fmt_amount(rng, tax, lang),
        ),
        row(
            rng,
            pick(rng, lang, ["Pensioenpremie", "Premie pensioen"], ["Pension contribution", "Pension"]),
            fmt_amount(rng, pension, lang),
        ),
        row(
            rng,
            pick(
                rng,
                lang,
                ["Netto loon", "Netto uitbetaling", "Netto te betalen"],
                ["Net pay", "Net salary", "Take home pay"],
            ),
            fmt_amount(rng, net, lang),
        ),
    ]
    iban = who.iban or make_iban(rng)
    lines.append(
        pick(
            rng,
            lang,
            [f"Uitbetaald op rekening {iban}", f"IBAN werknemer: {spaced_iban(iban)}"],
            [f"Paid into account {iban}", f"Employee IBAN: {spaced_iban(iban)}"],
        )
    )
    if rng.random() < 0.5:
        lines.append(
            row(
                rng,
                pick(rng, lang, ["Afgedrukt op", "Aangemaakt op"], ["Printed on", "Generated on"]),
                fmt_date(rng, end + timedelta(days=rng.randint(20, 60)), lang, ("dmy-", "iso")),
            )
        )
    lines += [""] + foot
    # The employer's own IBAN in the footer is not the fact: the slip names the employee's account.
    truth = {
        "document_type": "payslip",
        "document_date": end,
        "amount": net,
        "currency": "EUR",
        "iban": iban,
        "reference": None,
    }
    return lines, truth


LETTER_SUBJECTS_NL = [
    "Wijziging van uw premie",
    "Uw aanvraag",
    "Herinnering openstaande factuur",
    "Afspraak bevestiging",
    "Jaaropgave",
    "Beëindiging abonnement",
    "Uw bezwaar",
    "Inschrijving",
]
LETTER_SUBJECTS_EN = [
    "Change to your policy",
    "Your application",
    "Payment reminder",
    "Appointment confirmation",
    "Annual statement",
    "Termination of subscription",
    "Your complaint",
]


def letter(rng: random.Random, sender: ClientRecord, who: ClientRecord, lang: str) -> tuple[list[str], dict]:
    """A letter: letterhead, addressee, place and date, references, subject, body with distractor dates."""
    day = some_date(rng)
    ref = _ref(rng, rng.choice(["AB/", "DOS", "ZK", "POL"]))
    head, foot = letterhead(rng, sender, lang)
    lines = head + [""] + address_block(rng, who, lang, full=rng.random() < 0.9) + [""]
    dated = rng.random()
    if dated < 0.5:
        lines.append(f"{sender.city}, {fmt_date(rng, day, lang, ('long', 'weekday', 'dmy-'))}")
    else:
        lines.append(
            row(rng, pick(rng, lang, ["Datum", "Datum:"], ["Date", "Dated"]).rstrip(":"), fmt_date(rng, day, lang))
        )
    refs = [
        row(
            rng,
            pick(
                rng,
                lang,
                ["Ons kenmerk", "Kenmerk", "Dossiernummer", "Polisnummer"],
                ["Our reference", "Our ref.", "Case number", "Policy number"],
            ),
            ref,
        )
    ]
    if rng.random() < 0.4:
        refs.append(
            row(
                rng,
                pick(rng, lang, ["Uw kenmerk"], ["Your reference"]),
                f"{rng.choice(['JV', 'mail', 'brief'])}-{rng.randint(10, 999)}",
            )
        )
    refs += _client_line(rng, who, lang)
    rng.shuffle(refs)
    lines += refs
    lines.append(
        row(
            rng,
            pick(rng, lang, ["Betreft", "Onderwerp"], ["Subject", "Re"]),
            pick(rng, lang, LETTER_SUBJECTS_NL, LETTER_SUBJECTS_EN),
        )
    )
    lines += [
        "",
        pick(
            rng,
            lang,
            ["Geachte heer/mevrouw,", f"Geachte {who.name},", f"Beste {who.name.split()[0]},"],
            ["Dear Sir or Madam,", f"Dear {who.name},"],
        ),
    ]
    earlier = day - timedelta(days=rng.randint(5, 60))
    later = day + timedelta(days=rng.randint(10, 60))
    body_nl = [
        f"Naar aanleiding van uw brief van {fmt_date(rng, earlier, lang)} delen wij u het volgende mee.",
        f"Wij verzoeken u uiterlijk {fmt_date(rng, later, lang)} te reageren.",
        f"Het openstaande bedrag van {fmt_amount(rng, money(rng, 20, 2000), lang)} dient vóór {fmt_date(rng, later, lang)} te zijn voldaan.",
        "Heeft u vragen, neem dan gerust contact met ons op.",
    ]
    body_en = [
        f"Thank you for your letter of {fmt_date(rng, earlier, lang)}.",
        f"Please reply no later than {fmt_date(rng, later, lang)}.",
        f"The outstanding amount of {fmt_amount(rng, money(rng, 20, 2000), lang)} is due before {fmt_date(rng, later, lang)}.",
        "If you have any questions, please do not hesitate to contact us.",
    ]
    body = body_nl if lang == "nl" else body_en
    lines += rng.sample(body, k=rng.randint(2, 4))
    lines += [
        "",
        pick(rng, lang, ["Met vriendelijke groet,", "Hoogachtend,"], ["Kind regards,", "Yours sincerely,"]),
        "",
        f"{rng.choice(['M.', 'J.', 'A.'])} {rng.choice(['Hoekstra', 'van Dam', 'Kuipers'])}",
        sender.name,
        "",
    ] + foot
    truth = {"document_type": "letter", "document_date": day, "amount": None, "iban": None, "reference": ref}
    return lines, truth


def contract(rng: random.Random, sender: ClientRecord, who: ClientRecord, lang: str) -> tuple[list[str], dict]:
    """A contract between the sender and the client, with a start date and a signing date."""
    signed = some_date(rng)
    start = signed + timedelta(days=rng.randint(1, 60))
    number = _ref(rng, rng.choice(["C", "HO", "AO"]))
    kind_nl, kind_en, role_nl, role_en, other_nl, other_en = rng.choice(
        [
            ("HUUROVEREENKOMST", "TENANCY AGREEMENT", "Huurder", "Tenant", "Verhuurder", "Landlord"),
            ("Arbeidsovereenkomst", "Employment contract", "Werknemer", "Employee", "Werkgever", "Employer"),
            (
                "Overeenkomst van opdracht",
                "Service agreement",
                "Opdrachtgever",
                "Client",
                "Opdrachtnemer",
                "Contractor",
            ),
        ]
    )
    lines = [
        kind_nl if lang == "nl" else kind_en,
        row(
            rng, pick(rng, lang, ["Contractnummer", "Overeenkomstnummer"], ["Contract number", "Agreement no."]), number
        ),
        "",
    ]
    lines.append(pick(rng, lang, ["De ondergetekenden:", "Partijen:"], ["The parties:", "Between:"]))
    party_sender = [
        f"{other_nl if lang == 'nl' else other_en}: {sender.name}, {sender.street} {sender.house_number}, {sender.postcode} {sender.city}, KvK {sender.kvk}"
    ]
    addr = f", {who.street} {who.house_number}, {who.postcode} {who.city}" if rng.random() < 0.8 else ""
    party_client = [f"{role_nl if lang == 'nl' else role_en}: {who.name}{addr}"] + _client_line(rng, who, lang)
    lines += party_sender + party_client if rng.random() < 0.6 else party_client + party_sender
    lines += [
        "",
        pick(
            rng,
            lang,
            ["verklaren te zijn overeengekomen als volgt:", "komen het volgende overeen:"],
            ["hereby agree as follows:", "agree as follows:"],
        ),
    ]
    lines.append(
        pick(rng, lang, ["Artikel 1 Ingangsdatum", "Artikel 1 Duur"], ["Article 1 Commencement", "Article 1 Term"])
    )
    lines.append(
        pick(
            rng,
            lang,
            [f"Deze overeenkomst gaat in op {fmt_date(rng, start, lang)} en geldt voor onbepaalde tijd."],
            [f"This agreement commences on {fmt_date(rng, start, lang)} for an indefinite period."],
        )
    )
    lines.append(pick(rng, lang, ["Artikel 2 Vergoeding", "Artikel 2 Prijs"], ["Article 2 Fee", "Article 2 Payment"]))
    lines.append(
        pick(
            rng,
            lang,
            [f"De vergoeding bedraagt {fmt_amount(rng, money(rng, 300, 4000), lang)} per maand."],
            [f"The fee is {fmt_amount(rng, money(rng, 300, 4000), lang)} per month."],
        )
    )
    lines.append(
        pick(
            rng,
            lang,
            ["Artikel 3 Opzegging: met een opzegtermijn van een maand."],
            ["Article 3 Notice period: one month."],
        )
    )
    lines.append("")
    lines.append(
        pick(
            rng,
            lang,
            [
                f"Aldus overeengekomen en in tweevoud getekend te {sender.city} op {fmt_date(rng, signed, lang)}.",
                f"Getekend te {sender.city}, {fmt_date(rng, signed, lang)}",
                f"Datum ondertekening: {fmt_date(rng, signed, lang)}",
            ],
            [
                f"Signed in {sender.city} on {fmt_date(rng, signed, lang)}.",
                f"Date signed: {fmt_date(rng, signed, lang)}",
                f"In witness whereof the parties have signed this agreement on {fmt_date(rng, signed, lang)}.",
            ],
        )
    )
    lines += [
        pick(rng, lang, ["Handtekening", "Handtekening huurder / werknemer"], ["Signature", "Signed by"]),
        "________________  ________________",
    ]
    truth = {"document_type": "contract", "document_date": signed, "amount": None, "iban": None, "reference": number}
    return lines, truth


def form(rng: random.Random, sender: ClientRecord, who: ClientRecord, lang: str) -> tuple[list[str], dict]:
    """A filled-in form: personal details with birth date and BSN, a signing date."""
    day = some_date(rng)
    head, _ = letterhead(rng, sender, lang)
    title = pick(
        rng,
        lang,
        ["AANMELDFORMULIER", "Intakeformulier", "Inschrijfformulier nieuwe patiënt", "Wijzigingsformulier"],
        ["APPLICATION FORM", "Registration form", "New patient registration form", "Change of details form"],
    )
    lines = head[:1] + [
        "",
        title,
        pick(
            rng,
            lang,
            ["Vul dit formulier in met blokletters.", "Graag volledig invullen."],
            ["Please complete in block capitals.", "Please fill in all fields."],
        ),
        "",
    ]
    number = None
    if rng.random() < 0.5:
        number = str(rng.randint(10000, 999999))
        lines.append(
            row(
                rng,
                pick(rng, lang, ["Formuliernummer", "Aanvraagnummer"], ["Form number", "Application number"]),
                number,
            )
        )
    given, surname = person_parts(who.name)
    fields = [
        row(
            rng,
            pick(rng, lang, ["Naam", "Achternaam en voorletters"], ["Name", "Full name"]),
            # "de Vries, J.", "Smit, A." (a one-word name as it is)
            who.name if rng.random() < 0.6 or not surname else f"{surname}, {given[0]}.",
        ),
        row(
            rng,
            pick(rng, lang, ["Geboortedatum", "Geb. datum"], ["Date of birth", "DOB"]),
            fmt_date(
                rng,
                date(rng.randint(1940, 2010), rng.randint(1, 12), rng.randint(1, 28)),
                lang,
                ("dmy-", "dmy/", "long"),
            ),
        ),
        row(
            rng,
            pick(rng, lang, ["Adres", "Straat en huisnummer"], ["Address", "Street"]),
            f"{who.street} {who.house_number}",
        ),
        row(
            rng,
            pick(rng, lang, ["Postcode en woonplaats", "Postcode"], ["Postcode and town", "Postal code"]),
            f"{who.postcode} {who.city}",
        ),
    ]
    if who.bsn and rng.random() < 0.7:
        fields.append(row(rng, "BSN", who.bsn))
    if who.email and rng.random() < 0.5:
        fields.append(row(rng, pick(rng, lang, ["E-mailadres", "E-mail"], ["Email address", "E-mail"]), who.email))
    fields.append(
        pick(
            rng,
            lang,
            ["Wilt u de nieuwsbrief ontvangen? [x] ja [ ] nee"],
            ["Would you like our newsletter? [x] yes [ ] no"],
        )
    )
    lines += fields + [""]
    lines.append(
        row(
            rng,
            pick(rng, lang, ["Datum", "Datum ondertekening", "Plaats en datum"], ["Date", "Date signed"]),
            fmt_date(rng, day, lang),
        )
    )
    lines.append(
        pick(rng, lang, ["Handtekening aanvrager:", "Handtekening:"], ["Signature of applicant:", "Signature:"])
    )
    truth = {"document_type": "form", "document_date": day, "amount": None, "iban": None, "reference": number}
    return lines, truth
