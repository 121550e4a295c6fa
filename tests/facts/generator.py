"""Labelled test documents for fact extraction: Dutch and English, six types, many layouts.

Every document is built from a random but seeded choice of layout, label synonyms,
date and amount notations, distractors (due dates, birth dates, printed timestamps,
subtotals, VAT lines, unit prices, the sender's own identifiers) and clients: some
addressed to a registered client, some to look-alikes, some to nobody registered.
``ocr_noise`` imitates Tesseract's misreadings for text-level tests; the rendering
helpers in ``tests/facts/rendering.py`` turn a document into a real scan.
The bench (``bench/extraction.py``) uses the same generator.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Sequence

from schwifty import IBAN

from ingest.facts.clients import ClientRecord

FIRST = [
    "Jan",
    "Pieter",
    "Sanne",
    "Emma",
    "Daan",
    "Lotte",
    "Willem",
    "Fatima",
    "Mohammed",
    "Anouk",
    "Bram",
    "Sophie",
    "Thijs",
    "Noor",
    "Ruben",
    "Julia",
    "Kees",
    "Ingrid",
    "Youssef",
    "Marieke",
    "Hendrik",
    "Eva",
    "Zoë",
    "Chloé",
    "Inès",
    "Jürgen",
    "René",
    "Noël",
    "Anaïs",
    "Gert-Jan",
    "Marie-José",
    "Sem",
    "Lieke",
    "Ayşe",
    "Mehmet",
    "Priya",
    "Wei",
    "Joost",
    "Annemiek",
    "Stefan",
    "Bart",
]
LAST = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "van den Berg",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "van Dijk",
    "Schouten",
    "El Amrani",
    "Yilmaz",
    "Willems",
    "van 't Hof",
    "'t Hart",
    "van der Meer",
    "ter Horst",
    "op den Brouw",
    "Özdemir",
    "Çelik",
    "Müller",
    "Hoëvenaars",
    "de Jong-van Dijk",
    "van Beek",
    "Verhoeven",
    "Kuijpers",
    "van der Linden",
    "Bouali",
    "Nguyen",
    "Rijkaart",
    "in 't Veld",
    "van Oosterhout",
]
COMPANY_WORDS = [
    "Bouw",
    "Installatietechniek",
    "Advies",
    "Transport",
    "Bakkerij",
    "Schilders",
    "Administratie",
    "Tuinontwerp",
    "Logistiek",
    "Dakwerken",
    "Elektro",
    "Catering",
    "Fysiotherapie",
    "Makelaardij",
    "Autoschade",
    "Kinderopvang",
    "Accountants",
    "Loodgieters",
    "Vastgoed",
    "Horeca",
    "Zorg",
]
LEGAL = ["B.V.", "B.V.", "BV", "V.O.F.", "", "Holding B.V.", "N.V.", "& Zn."]
STREETS = [
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Stationsplein",
    "Julianalaan",
    "Schoolstraat",
    "Parallelweg",
    "Beatrixstraat",
    "Oranjelaan",
    "Industrieweg",
    "Havenkade",
    "Prinsengracht",
    "Lindelaan",
    "Nieuwstraat",
    "Burgemeester de Withstraat",
    "Van Goghlaan",
    "Laan van Meerdervoort",
    "Oude Gracht",
    "Sint Annastraat",
    "Korte Noordsingel",
    "Rijksstraatweg",
    "Händelstraat",
]
CITIES = [
    "Amsterdam",
    "Utrecht",
    "Rotterdam",
    "Den Haag",
    "Eindhoven",
    "Groningen",
    "Zwolle",
    "Haarlem",
    "Arnhem",
    "Leiden",
    "Breda",
    "Nijmegen",
    "Amersfoort",
    "Delft",
    "Deventer",
    "Alkmaar",
    "'s-Hertogenbosch",
    "Bergen op Zoom",
    "Capelle aan den IJssel",
    "Sittard",
    "Leeuwarden",
    "Purmerend",
]
BANKS = ["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"]
SUPPLIERS = [
    "Energie Direct",
    "Waterbedrijf Midden",
    "Ziggo Zakelijk",
    "Kantoorhuis Nederland",
    "Autobedrijf Van Dam",
    "Dierenkliniek De Hoef",
    "Verzekeringen Unive",
    "Gemeente Belastingen",
    "Technisch Bureau Hoekstra",
    "Office Supplies Ltd",
    "Greenline Energy",
    "Bright Software Ltd",
    "Het Notarishuis",
    "Tandartspraktijk Zuid",
]
SHOPS = [
    "Albert Heijn",
    "Jumbo",
    "HEMA",
    "Gamma",
    "Praxis",
    "Kruidvat",
    "Blokker",
    "Action",
    "Tesco Express",
    "Boots",
    "Etos",
    "Bakkerij Bart",
    "Cafe De Zwaan",
]
MONTHS_NL = [
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
MONTHS_EN = [
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
DAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TYPES = ("invoice", "receipt", "payslip", "letter", "contract", "form")


@dataclass
class Doc:
    """One generated document: the text of its pages and the facts it should yield."""

    name: str
    pages: list[str]
    language: str
    truth: dict[str, object] = field(default_factory=dict)
    tags: tuple[str, ...] = ()


# ---------------------------------------------------------------- identifiers


def make_bsn(rng: random.Random) -> str:
    """Return a random nine-digit number that passes the BSN 11-check."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        if digits[0] == 0:
            continue
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1)))
        last = total % 11
        if last <= 9:
            return "".join(map(str, digits)) + str(last)


def make_vat(rng: random.Random) -> str:
    """Return a Dutch VAT id (NL + 9 digits passing the 11-check + B01)."""
    return "NL" + make_bsn(rng) + "B0" + str(rng.randint(1, 3))


def make_iban(rng: random.Random) -> str:
    """Return a valid Dutch IBAN."""
    return str(IBAN.generate("NL", bank_code=rng.choice(BANKS), account_code=str(rng.randint(10**8, 10**10 - 1))))


def make_postcode(rng: random.Random) -> str:
    letters = "ABCEGHJKLMNPRTVWXZ"
    return f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}"


def spaced_iban(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


# ---------------------------------------------------------------- registry


# How offices number their clients (one style per registry).
CLIENT_NUMBERS = ("K-{:05d}", "C{:03d}", "{:05d}", "KL{:04d}", "REL-{:04d}", "K-{:05d}")


def registered_name(rng: random.Random, first: str, last: str) -> str:
    """A person's name as an office registers it: in full, with initials, or surname first."""
    roll = rng.random()
    initials = (
        ".".join(part[0] for part in first.split("-"))
        + "."
        + (f"{rng.choice('ACHJMPW')}." if rng.random() < 0.4 else "")
    )
    if roll < 0.6:
        return f"{first} {last}"
    if roll < 0.78:
        return f"{initials} {last}"
    prefix, _, surname = last.rpartition(" ") if last.split()[0].islower() or last.startswith("'") else ("", "", last)
    given = first if roll < 0.9 else initials
    return f"{surname}, {given} {prefix}".strip()


def make_client(
    rng: random.Random, number: int, kind: str | None = None, name: str | None = None, number_style: str = "K-{:05d}"
) -> ClientRecord:
    """Return a registered client with valid identifiers and a Dutch address."""
    kind = kind or rng.choice(["person", "person", "company"])
    if name is None:
        name = registered_name(rng, rng.choice(FIRST), rng.choice(LAST)) if kind == "person" else company_name(rng)
    city = rng.choice(CITIES)
    house = str(rng.randint(1, 250)) + (rng.choice(["A", "B", "a", "-2", "-II", " bis"]) if rng.random() < 0.15 else "")
    return ClientRecord(
        client_id=number_style.format(number),
        name=name,
        kind=kind,
        kvk=f"{rng.randint(10_000_000, 99_999_999)}" if kind == "company" else None,
        vat=make_vat(rng) if kind == "company" and rng.random() < 0.8 else None,
        iban=make_iban(rng) if rng.random() < 0.8 else None,
        bsn=make_bsn(rng) if kind == "person" and rng.random() < 0.8 else None,
        email=f"{_ascii(name.split()[0].strip(',.')).lower()}.{number}@example.nl" if rng.random() < 0.6 else None,
        street=rng.choice(STREETS),
        house_number=house.strip(),
        postcode=make_postcode(rng),
        city=city,
    )


def company_name(rng: random.Random) -> str:
    """A company name: a family name and a trade, a trade and a town, a foundation…"""
    last = rng.choice(LAST).split()[-1].strip("'")
    word, legal = rng.choice(COMPANY_WORDS), rng.choice(LEGAL)
    return rng.choice(
        [
            f"{last} {word} {legal}",
            f"{last} {word} {legal}",
            f"{word}bedrijf {last} {legal}",
            f"{word} {rng.choice(CITIES).split()[-1]} {legal}",
            f"Stichting {word} {rng.choice(CITIES).split()[-1]}",
            f"{last} & {rng.choice(LAST).split()[-1]} {word}",
            f"{rng.choice('ABHJKMPW')}. {last} {word} {legal}",
        ]
    ).strip()


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text)
        if (not unicodedata.combining(ch) and ch.isalnum()) or ch == "-"
    )


LOOK_ALIKES = (
    ("Jansen Installatietechniek B.V.", "company"),
    ("Janssen Installaties", "company"),
    ("Jan de Vries", "person"),
    ("Jan de Vries", "person"),  # namesakes at different addresses
    ("Pieter Bakker", "person"),
    ("Pieter Bakkers", "person"),
    ("Bakkerij Visser V.O.F.", "company"),
    ("Bakkerij Vissers", "company"),
    ("Sanne Mulder", "person"),
    ("Sanne Mulders", "person"),
)


def make_registry(rng: random.Random, size: int = 60, varied: bool = False) -> list[ClientRecord]:
    """Return registered clients including the look-alike pairs.

    ``varied`` registries number their clients in one of several office styles and add
    the harder look-alikes: a person and a company of the same name, namesakes in
    different towns, a name that differs only in a prefix or a diacritic.
    """
    style = rng.choice(CLIENT_NUMBERS) if varied else "K-{:05d}"
    pairs = LOOK_ALIKES + (HARD_LOOK_ALIKES if varied else ())
    clients = [make_client(rng, i + 1, kind, name, style) for i, (name, kind) in enumerate(pairs)]
    while len(clients) < size:
        clients.append(make_client(rng, len(clients) + 1, number_style=style))
    return clients


HARD_LOOK_ALIKES = (
    ("Willem Visser", "person"),
    ("Visser B.V.", "company"),  # a person and a firm
    ("Visser", "company"),
    ("Anna de Boer", "person"),
    ("Anna de Boer", "person"),  # namesakes in different towns
    ("Kees van den Berg", "person"),
    ("Kees van der Berg", "person"),
    ("Zoë Müller", "person"),
    ("Zoe Muller", "person"),
    ("Hendriks Advies B.V.", "company"),
    ("Hendriks Advies Groep B.V.", "company"),
)


def make_large_registry(rng: random.Random, size: int, varied: bool = False) -> list[ClientRecord]:
    """Return a registry of ``size`` clients: the look-alikes, common Dutch names, and made-up surnames.

    A real registry of 10,000 has thousands of distinct names; the made-up ones give the
    name index its real size.
    """
    clients = make_registry(rng, min(size, 400), varied)
    while len(clients) < size:
        client = make_client(rng, len(clients) + 1)
        made_up = rng.choice("BDGHKLMPRSTVW") + "".join(
            rng.choice("aeiou" if i % 2 else "bdfghklmnprstvwz") for i in range(rng.randint(4, 8))
        )
        name = (
            f"{rng.choice(FIRST)} {made_up}"
            if client.kind == "person"
            else f"{made_up} {rng.choice(COMPANY_WORDS)} B.V."
        )
        clients.append(ClientRecord(**{**client.__dict__, "name": name}))
    return clients


def make_stranger(rng: random.Random, registry: Sequence[ClientRecord] = ()) -> ClientRecord:
    """Return an addressee who is not registered (no client number) and shares no identifier with a client.

    A stranger holding a client's IBAN, BSN, KvK, VAT id, e-mail or address would be that
    client to any office: the truth "no client" would then be wrong, not hard.
    """
    taken = {value for client in registry for value in _identifiers(client)}
    while True:
        stranger = make_client(rng, 99999)
        if not taken.intersection(_identifiers(stranger)):
            return ClientRecord(**{**stranger.__dict__, "client_id": ""})


def _identifiers(client: ClientRecord) -> set[str]:
    address = f"{client.postcode}|{client.house_number}" if client.postcode else None
    return {value for value in (client.iban, client.bsn, client.kvk, client.vat, client.email, address) if value}


# ---------------------------------------------------------------- notations


def fmt_date(rng: random.Random, day: date, lang: str, styles: tuple[str, ...] | None = None) -> str:
    """Return a date in one of the notations seen on real documents."""
    style = rng.choice(
        styles
        or ("dmy-", "dmy/", "dmy.", "long", "long", "abbr", "weekday", "iso", "dmy2")
        + (("mdy",) if lang == "en" and not styles else ())
    )
    months = MONTHS_NL if lang == "nl" else MONTHS_EN
    if style == "dmy-":
        return day.strftime("%d-%m-%Y")
    if style == "dmy/":
        return day.strftime("%d/%m/%Y")
    if style == "dmy.":
        return day.strftime("%d.%m.%Y")
    if style == "dmy2":
        return day.strftime(rng.choice(["%d-%m-%y", "%d/%m/%y"]))
    if style == "mdy" and day.day > 12:
        return day.strftime("%m/%d/%Y")  # American order, only where it cannot be misread
    if style == "iso":
        return day.isoformat()
    if style == "abbr":
        text = months[day.month - 1][:3]
        return f"{day.day} {text}. {day.year}" if lang == "nl" else f"{day.day} {text.upper()} {day.year}"
    if style == "weekday":
        days = DAYS_NL if lang == "nl" else DAYS_EN
        if lang == "nl":
            return f"{days[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}"
        return f"{days[day.weekday()]}, {months[day.month - 1]} {day.day}, {day.year}"
    if lang == "en" and rng.random() < 0.5:
        return f"{months[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {months[day.month - 1]} {day.year}"


def fmt_amount(rng: random.Random, value: Decimal, lang: str, currency: str = "EUR") -> str:
    """Return an amount in Dutch or English notation with a currency mark."""
    whole, cents = f"{abs(value):.2f}".split(".")
    # The sign kept apart: int("-0") of an amount between -1 and 0 would drop it.
    grouped = ("-" if value < 0 else "") + f"{int(whole):,}"
    mark = {"EUR": "€", "USD": "$", "GBP": "£"}[currency]
    if lang == "nl":
        number = grouped.replace(",", ".") + "," + cents
        if cents == "00" and rng.random() < 0.3:
            number = grouped.replace(",", ".") + ",-"
        return rng.choice(
            [
                f"{mark} {number}",
                f"{mark}{number}",
                f"EUR {number}" if currency == "EUR" else f"{mark} {number}",
                f"{number}",
            ]
        )
    number = grouped + "." + cents
    return rng.choice([f"{mark}{number}", f"{mark} {number}", f"{currency} {number}", f"{number}"])


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def some_date(rng: random.Random) -> date:
    return date(2014, 1, 1) + timedelta(days=rng.randint(0, 12 * 365))


def pick(rng: random.Random, lang: str, nl: list[str], en: list[str]) -> str:
    return rng.choice(nl if lang == "nl" else en)


def row(rng: random.Random, label: str, value: str) -> str:
    """Return a label/value line with one of several separators (sometimes the value on the next line)."""
    roll = rng.random()
    if roll < 0.08:
        return f"{label}:\n{value}"  # label above its value, as OCR reads two columns
    if roll < 0.14:
        return f"{label} {'.' * rng.randint(4, 12)} {value}"  # dot leaders
    if roll < 0.18:
        return f"{label}\t{value}"
    return rng.choice([f"{label}: {value}", f"{label} {value}", f"{label}:   {value}", f"{label} : {value}"])


def person_parts(name: str) -> tuple[str, str]:
    """Split a registered person's name into (given names or initials, surname with prefix)."""
    if "," in name:  # "Berg, J.M. van den"
        surname, _, rest = name.partition(",")
        words = rest.split()
        prefixes = [w for w in words if w.islower() or w.startswith("'")]
        given = " ".join(w for w in words if w not in prefixes)
        return given, " ".join(prefixes + [surname.strip()])
    words = name.split()
    return words[0], " ".join(words[1:])


def printed_name(rng: random.Random, who: ClientRecord, lang: str) -> str:
    """The addressee's name as a sender prints it: titles, initials, surname first, capitals, lost accents."""
    name = who.name
    if who.kind == "person" and len(name.split()) > 1:
        given, surname = person_parts(name)
        initials = "".join(part[0] + "." for part in re.split(r"[\s.-]+", given) if part)
        title = pick(
            rng,
            lang,
            [
                "De heer",
                "Mevrouw",
                "Dhr.",
                "Mevr.",
                "Mw.",
                "T.a.v.",
                "Fam.",
                "De heer/mevrouw",
                "Dhr. en mevr.",
                "De heer en mevrouw",
                "Mevrouw drs.",
                "Dhr. ir.",
                "Ter attentie van",
            ],
            ["Mr", "Mrs", "Ms", "Mr.", "Attn:", "Mr and Mrs", "Dr", "Miss", "FAO"],
        )
        form = rng.random()
        if form < 0.2:
            name = f"{given} {surname}"
        elif form < 0.45:
            name = f"{title} {initials} {surname}"
        elif form < 0.6:
            name = f"{title} {given} {surname}"
        elif form < 0.72:
            prefix, _, last = surname.rpartition(" ") if surname.split()[0].islower() else ("", "", surname)
            name = f"{last}, {initials} {prefix}".strip()  # the way registers print it
        elif form < 0.84:
            name = f"{initials} {surname}"
        else:
            name = f"{title} {surname}"
    elif who.kind == "company":
        legal = re.search(r"\s(B\.V\.|BV|N\.V\.|V\.O\.F\.)$", name)
        if legal and rng.random() < 0.4:
            name = name[: legal.start()] + rng.choice([" B.V.", " BV", " bv", ""]) if "B" in legal.group(1) else name
    if rng.random() < 0.2:
        name = name.upper()
    if rng.random() < 0.15:
        name = _ascii_text(name)  # the sender's system has no accents
    return name


def _ascii_text(text: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def street_line(rng: random.Random, who: ClientRecord) -> str:
    street = who.street or ""
    if rng.random() < 0.1 and street.endswith("straat"):
        street = street[:-4] + "."  # Kerkstr.
    number = who.house_number or ""
    if rng.random() < 0.2 and re.fullmatch(r"\d+[A-Za-z]", number):
        number = number[:-1] + " " + number[-1]
    line = f"{street} {number}".strip()
    return line.upper() if rng.random() < 0.1 else line  # an address printed in capitals


def postcode_line(rng: random.Random, who: ClientRecord) -> str:
    code = who.postcode or ""
    roll = rng.random()
    code = code.replace(" ", "") if roll < 0.25 else f"NL-{code}" if roll > 0.93 else code
    city = who.city or ""
    city = city.upper() if rng.random() < 0.35 else city
    return f"{code}{rng.choice([' ', ' ', '  '])}{city}"


def address_block(rng: random.Random, who: ClientRecord, lang: str, full: bool = True) -> list[str]:
    """Return the addressee block (name, street, postcode and city), sometimes labelled, sometimes broken up."""
    lines = [printed_name(rng, who, lang)]
    if who.kind == "company" and rng.random() < 0.3:
        lines.append(
            pick(
                rng,
                lang,
                ["T.a.v. de administratie", "t.a.v. crediteurenadministratie", "T.a.v. mevrouw J. Bos"],
                ["Attn: Accounts Payable", "FAO the director"],
            )
        )
    if full:
        street, town = street_line(rng, who), postcode_line(rng, who)
        shape = rng.random()
        if shape < 0.12:
            lines += [f"{street}, {town}"]  # one line
        elif shape < 0.2:
            lines[-1] += f", {street}"
            lines.append(town)
        elif shape < 0.26:
            name_street, _, number = street.rpartition(" ")
            lines += [name_street, number, town] if name_street else [street, town]  # the number broke off
        else:
            lines += [street, town]
        if rng.random() < 0.1:
            lines.append("Nederland" if lang == "nl" else "The Netherlands")
    label = rng.random()
    if label < 0.35:
        head = pick(
            rng,
            lang,
            ["Aan:", "Factuuradres:", "Klant:", "Geadresseerde:", "Debiteur:", "Cliënt:", "Naam:", "Patiënt:"],
            ["To:", "Bill to:", "Customer:", "Invoice to:", "Billing address:", "Client:", "Name:", "Sold to:"],
        )
        return [head] + lines if rng.random() < 0.5 else [f"{head} {lines[0]}"] + lines[1:]
    return lines


def letterhead(rng: random.Random, sender: ClientRecord, lang: str) -> tuple[list[str], list[str]]:
    """Return the sender's header lines and footer lines (with its own KvK, VAT and IBAN)."""
    head = [
        sender.name.upper() if rng.random() < 0.3 else sender.name,
        f"{sender.street} {sender.house_number}",
        f"{sender.postcode} {sender.city}",
    ]
    ids = []
    if sender.kvk:
        ids.append(
            pick(
                rng,
                lang,
                [f"KvK {sender.kvk}", f"KvK-nummer: {sender.kvk}", f"K.v.K. {sender.kvk}"],
                [f"CoC {sender.kvk}", f"Chamber of Commerce: {sender.kvk}", f"KvK no. {sender.kvk}"],
            )
        )
    if sender.vat:
        ids.append(
            pick(
                rng,
                lang,
                [f"BTW-nr: {sender.vat}", f"Btw-id {sender.vat}"],
                [f"VAT no. {sender.vat}", f"VAT: {sender.vat}"],
            )
        )
    if sender.iban:
        ids.append(f"IBAN {spaced_iban(sender.iban) if rng.random() < 0.5 else sender.iban}")
    ids.append(f"Tel. 0{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}")
    rng.shuffle(ids)
    if rng.random() < 0.5:
        return head + ids, []
    footer = [" | ".join(ids)] if rng.random() < 0.5 else ids
    return head, footer


def make_sender(rng: random.Random, registry: list[ClientRecord]) -> ClientRecord:
    """Return the sender: usually an outside supplier; sometimes a registered client (a trap)."""
    if rng.random() < 0.15:
        companies = [c for c in registry if c.kind == "company" and c.iban and c.kvk]
        if companies:
            return rng.choice(companies)
    supplier = make_client(rng, 0, "company", rng.choice(SUPPLIERS))
    return ClientRecord(
        **{
            **supplier.__dict__,
            "client_id": "",
            "kvk": supplier.kvk or f"{rng.randint(10_000_000, 99_999_999)}",
            "iban": supplier.iban or make_iban(rng),
        }
    )


def pick_addressee(
    rng: random.Random, registry: list[ClientRecord], sender: ClientRecord, kind: str | None = None
) -> ClientRecord:
    """Return the addressee: mostly registered (look-alikes included), sometimes a stranger."""
    if rng.random() < 0.2:
        stranger = make_stranger(rng, registry)
        return stranger if kind is None else ClientRecord(**{**stranger.__dict__, "kind": kind})
    pool = [c for c in registry if c.client_id != sender.client_id and (kind is None or c.kind == kind)]
    if rng.random() < 0.3:
        pool = pool[: len(LOOK_ALIKES) + len(HARD_LOOK_ALIKES)] or pool
    return rng.choice(pool)


# ---------------------------------------------------------------- noise and assembly

_OCR_SWAPS = {
    "l": "1",
    "i": "l",
    "o": "0",
    "e": "c",
    "rn": "m",
    "m": "rn",
    "S": "5",
    "B": "8",
    "a": "e",
    "u": "v",
    "h": "b",
    "t": "f",
    "c": "e",
    "n": "u",
}


def ocr_noise(text: str, rng: random.Random, rate: float = 0.01) -> str:
    """Return the text with Tesseract-like misreadings in words (digits in numbers are kept)."""
    out: list[str] = []
    for word in text.split(" "):
        if word and not any(ch.isdigit() for ch in word) and rng.random() < rate * 5:
            key = rng.choice([k for k in _OCR_SWAPS if k in word] or [""])
            if key:
                word = word.replace(key, _OCR_SWAPS[key], 1)
        out.append(word)
    noisy = " ".join(out)
    if rng.random() < 0.3:
        noisy = noisy.replace("\n\n", "\n")
    return noisy


def generate(
    seed: int = 7, count: int = 72, registry: list[ClientRecord] | None = None, noise_share: float = 0.4
) -> tuple[list[ClientRecord], list[Doc]]:
    """Return a registry and ``count`` labelled documents, every type and both languages."""
    from tests.facts import templates

    rng = random.Random(seed)
    clients = registry if registry is not None else make_registry(rng)
    builders = {name: getattr(templates, name) for name in TYPES}
    docs: list[Doc] = []
    for number in range(count):
        doc_type = TYPES[number % len(TYPES)]
        lang = "nl" if (number // len(TYPES)) % 3 != 2 else "en"
        sender = make_sender(rng, clients)
        person_only = doc_type in ("payslip", "form")
        who = pick_addressee(rng, clients, sender, "person" if person_only else None)
        lines, truth = builders[doc_type](rng, sender, who, lang)
        truth.setdefault("client_id", who.client_id or None)
        truth.setdefault("currency", "EUR" if truth.get("amount") is not None else None)
        text = "\n".join(lines)
        tags = [doc_type, lang] + (["till"] if truth.pop("layout", None) == "till" else [])
        pages = [text]
        if rng.random() < 0.15 and len(lines) > 16:
            cut = rng.randint(len(lines) // 2, len(lines) - 4)
            pages = ["\n".join(lines[:cut]), "\n".join(lines[cut:])]
            tags.append("two_pages")
        if rng.random() < noise_share:
            pages = [ocr_noise(page, rng) for page in pages]
            tags.append("noisy")
        if sender.client_id:
            tags.append("sender_is_client")
        if not who.client_id:
            tags.append("unregistered")
        docs.append(Doc(f"{number:03d}-{doc_type}-{lang}", pages, lang, truth, tuple(tags)))
    return clients, docs
