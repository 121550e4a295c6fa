"""Dutch by default, English selectable: a dict catalogue keyed by the English text.

No compiled .mo files, so nothing to build; a missing Dutch entry shows the
English text. Dates and amounts follow the chosen language's notation.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

LANGUAGES = ("nl", "en")
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}

NL: dict[str, str] = {
    # navigation and general
    "Front Office Archive": "Front Office Archief",
    "Search": "Zoeken", "Upload": "Uploaden", "Review": "Te beoordelen", "Clients": "Cliënten",
    "Inbox": "Postvak", "Records": "Bewaarbeheer", "Audit trail": "Controlespoor", "Analysis": "Analyse",
    "Users": "Gebruikers", "Log out": "Afmelden", "Log in": "Aanmelden", "Language": "Taal",
    "Save": "Opslaan", "Cancel": "Annuleren", "Back": "Terug", "Next": "Volgende", "Previous": "Vorige",
    "yes": "ja", "no": "nee", "none": "geen", "Filter": "Filteren", "Add": "Toevoegen", "Edit": "Wijzigen",
    "Name": "Naam", "Role": "Rol", "Password": "Wachtwoord", "Code": "Code", "Actions": "Acties",
    "Logged in as": "Aangemeld als",
    # log-in
    "User name": "Gebruikersnaam",
    "Enter the six-digit code from your authenticator app.": "Voer de zescijferige code uit uw authenticator-app in.",
    "Second factor": "Tweede factor", "Confirm": "Bevestigen",
    "The name, password or code is not right.": "De naam, het wachtwoord of de code klopt niet.",
    "Too many failed log-ins; try again in {seconds} seconds.":
        "Te veel mislukte aanmeldpogingen; probeer het over {seconds} seconden opnieuw.",
    "Log in again, please.": "Meld u opnieuw aan.",
    "{prefixes} fits too many words; only the most common ones were searched. Type more letters for the rest.":
        "{prefixes} past bij te veel woorden; alleen de meest voorkomende zijn gezocht. Typ meer letters voor de rest.",
    # query errors (the search's own sentences, with what was typed filled in)
    "OR needs a word on both sides, as in: factuur OR nota.":
        "OR heeft aan beide kanten een woord nodig, zoals in: factuur OR nota.",
    'A quotation mark is not closed: put a " after the exact phrase.':
        'Een aanhalingsteken is niet gesloten: zet een " achter de letterlijke zin.',
    "'{body}' has a * inside it; a * may only end a word, as in huur*.":
        "'{body}' heeft een * in het woord; een * mag alleen aan het eind staan, zoals in huur*.",
    "Type at least two letters before the *, as in fa*, not '{body}'.":
        "Typ minstens twee letters voor de *, zoals fa*, niet '{body}'.",
    "A quotation mark after {name}: is not closed.": "Een aanhalingsteken na {name}: is niet gesloten.",
    "Type a value after '{name}:', as in {example}.": "Typ een waarde na '{name}:', zoals in {example}.",
    "Type a value after '{name}:{operator}', as in {example}.":
        "Typ een waarde na '{name}:{operator}', zoals in {example}.",
    "The range after '{name}:' is not closed: end it with ], as in {name}:[2024-01-01 to 2024-03-31].":
        "Het bereik na '{name}:' is niet gesloten: sluit het af met ], zoals in {name}:[2024-01-01 tot 2024-03-31].",
    "Write a range as {name}:[2024-01-01 to 2024-03-31] or {name}:100..200.":
        "Schrijf een bereik als {name}:[2024-01-01 tot 2024-03-31] of {name}:100..200.",
    "'{typed}' is not a date; write {name}:2024, {name}:2024-03, {name}:2024-03-31 or {name}:[2024-01-01 to 2024-03-31].":
        "'{typed}' is geen datum; schrijf {name}:2024, {name}:2024-03, {name}:2024-03-31 of "
        "{name}:[2024-01-01 tot 2024-03-31].",
    "'{typed}' is not an amount; write {name}:250, {name}:>100, {name}:<=99,95 or {name}:100..200.":
        "'{typed}' is geen bedrag; schrijf {name}:250, {name}:>100, {name}:<=99,95 of {name}:100..200.",
    "The dates in {name}:{value} go beyond the calendar; use years 1 to 9999.":
        "De datums in {name}:{value} vallen buiten de kalender; gebruik jaren 1 tot en met 9999.",
    "In {name}:{value} the first date comes after the second; swap them.":
        "In {name}:{value} komt de eerste datum na de tweede; draai ze om.",
    "In {name}:{value} the first amount is larger than the second; swap them.":
        "In {name}:{value} is het eerste bedrag groter dan het tweede; draai ze om.",
    "An amount filter cannot be one side of OR; use it on its own, as in amount:>100.":
        "Een bedragfilter kan niet aan één kant van OR staan; gebruik het los, zoals in amount:>100.",
    "This query cannot be understood; see the search help for examples.":
        "Deze zoekopdracht is niet te begrijpen; zie de zoekhulp voor voorbeelden.",
    "Results can be ordered by relevance or by date only.":
        "Resultaten kunnen alleen op relevantie of op datum worden gesorteerd.",
    "Page numbers run from 1 to {pages}.": "Paginanummers lopen van 1 tot en met {pages}.",
    "A page holds between 1 and {size} results.": "Een pagina bevat 1 tot en met {size} resultaten.",
    # one's own password
    "Change password": "Wachtwoord wijzigen", "Current password": "Huidig wachtwoord",
    "New password": "Nieuw wachtwoord", "New password again": "Nieuw wachtwoord nogmaals",
    "Your password was changed.": "Uw wachtwoord is gewijzigd.",
    "The current password is not right.": "Het huidige wachtwoord klopt niet.",
    "The two new passwords are not the same.": "De twee nieuwe wachtwoorden zijn niet gelijk.",
    "The new password must differ from the current one.": "Het nieuwe wachtwoord moet anders zijn dan het huidige.",
    "A password needs at least {n} characters.": "Een wachtwoord heeft minstens {n} tekens nodig.",
    "This password is one of the most common ones; choose another.":
        "Dit wachtwoord is een van de meest gebruikte; kies een ander.",
    "A password must not contain the user name.": "Een wachtwoord mag de gebruikersnaam niet bevatten.",
    "A password needs more different characters.": "Een wachtwoord heeft meer verschillende tekens nodig.",
    "You are logged out.": "U bent afgemeld.",
    # search
    "Search the archive": "Zoek in het archief",
    "Search words, client, type:factuur, date:2024, amount:>100 …": "Zoekwoorden, cliënt, type:factuur, date:2024, amount:>100 …",
    "{total} documents": "{total} documenten", "1 document": "1 document",
    "No documents found.": "Geen documenten gevonden.", "Did you mean": "Bedoelde u",
    "Type": "Soort", "Client": "Cliënt", "Year": "Jaar", "Sort": "Sorteren", "Relevance": "Relevantie",
    "Newest first": "Nieuwste eerst", "Remove filter": "Filter weghalen", "Page {page}": "Pagina {page}",
    "How to search": "Zo zoekt u",
    # document
    "Document": "Document", "Facts": "Gegevens", "Confidence": "Zekerheid", "Date": "Datum",
    "Amount": "Bedrag", "Currency": "Valuta", "Reference": "Kenmerk", "BSN": "BSN", "Title": "Titel",
    "From a scanned stack": "Uit een gescande stapel", "pages {first}–{last} of the stack": "pagina's {first}–{last} van de stapel",
    "E-mail": "E-mail",
    "File": "Bestand", "Pages": "Pagina's", "Read by OCR": "Gelezen met OCR", "Filed": "Gearchiveerd",
    "Keep until": "Bewaren tot", "Retention rule": "Bewaarregel", "Legal hold": "Juridische bewaring",
    "History": "Geschiedenis", "Text": "Tekst", "Download original": "Origineel downloaden",
    "Download searchable PDF": "Doorzoekbare PDF downloaden", "Open PDF": "PDF openen",
    "Show BSN": "BSN tonen", "To review": "Te beoordelen", "Reasons": "Redenen",
    "Change facts": "Gegevens wijzigen", "The facts were saved.": "De gegevens zijn opgeslagen.",
    "Confirmed: no longer in the review queue.": "Bevestigd: niet meer in de controlelijst.",
    "When": "Wanneer", "Who": "Wie", "What": "Wat", "Details": "Details", "Origin": "Herkomst",
    "Value": "Waarde", "extracted": "herkend", "given": "opgegeven", "corrected": "gecorrigeerd",
    "Duplicates received": "Ontvangen duplicaten", "Channel": "Kanaal", "Size": "Grootte",
    "This document was destroyed under the retention schedule.":
        "Dit document is vernietigd volgens de bewaartermijnen.",
    "Preview": "Voorbeeld", "Confirm as correct": "Bevestigen als juist",
    # upload
    "Upload documents": "Documenten uploaden",
    "Drop files here or choose them": "Sleep bestanden hierheen of kies ze",
    "Choose files": "Bestanden kiezen",
    "Known facts (optional, for all files)": "Bekende gegevens (optioneel, voor alle bestanden)",
    "filed as #{id}": "gearchiveerd als #{id}", "duplicate of #{id}": "duplicaat van #{id}",
    "failed: {reason}": "mislukt: {reason}", "Uploading…": "Bezig met uploaden…",
    "Choose at least one file.": "Kies minstens één bestand.",
    "The file is larger than {mb} MB.": "Het bestand is groter dan {mb} MB.",
    # review
    "Review queue": "Controlelijst", "Nothing to review.": "Niets te beoordelen.",
    "{count} waiting": "{count} wachtend", "Suspected values": "Vermoedelijke waarden",
    "Save and next": "Opslaan en volgende", "Received": "Ontvangen",
    # clients
    "Add client": "Cliënt toevoegen", "Client number": "Cliëntnummer", "Kind": "Soort",
    "person": "persoon", "company": "bedrijf", "KvK": "KvK", "VAT id": "Btw-id", "IBAN": "IBAN",
    "Street": "Straat", "House number": "Huisnummer", "Postcode": "Postcode",
    "City": "Plaats", "Dossier": "Dossier", "No clients.": "Geen cliënten.",
    "The client was saved.": "De cliënt is opgeslagen.", "Documents": "Documenten",
    # inbox
    "Waiting": "Wachtend", "In progress": "Bezig", "Failed": "Mislukt", "Retry": "Opnieuw proberen",
    "Reason": "Reden", "Nothing here.": "Niets hier.",
    # records and audit
    "Due for disposal": "Toe aan vernietiging", "Holds": "Bewaringen", "Retention schedule": "Bewaartermijnen",
    "Not available yet.": "Nog niet beschikbaar.", "Years": "Jaren", "Starts at": "Begint bij",
    "Action": "Handeling", "From": "Van", "To": "Tot", "Export CSV": "CSV exporteren",
    "Approve": "Goedkeuren", "Place hold": "Bewaring plaatsen", "Release": "Opheffen",
    "Case reference": "Zaakkenmerk", "Certificates": "Verklaringen van vernietiging",
    "Destroyed: {destroyed}; waiting for a second approval: {waiting}.":
        "Vernietigd: {destroyed}; wacht op een tweede goedkeuring: {waiting}.",
    # admin
    "Add user": "Gebruiker toevoegen", "Active": "Actief", "Disable": "Uitschakelen", "Enable": "Inschakelen",
    "Second factor enrolment": "Aanmelden tweede factor",
    "Enter this in the user's authenticator app now; it is shown only once.":
        "Voer dit nu in de authenticator-app van de gebruiker in; het wordt maar één keer getoond.",
    "New API token": "Nieuw API-token", "API tokens": "API-tokens",
    "Keep this token now; it is shown only once.": "Bewaar dit token nu; het wordt maar één keer getoond.",
    "Change role": "Rol wijzigen", "The user was saved.": "De gebruiker is opgeslagen.",
    "clerk": "baliemedewerker", "staff": "medewerker", "records_manager": "archivaris",
    "auditor": "auditor", "admin": "beheerder",
    # review reasons (stable codes from extraction) and fact names
    "no_client": "geen cliënt herkend", "ambiguous_client": "meerdere cliënten mogelijk",
    "unsure_client": "cliënt onzeker", "no_type": "soort niet herkend", "unsure_type": "soort onzeker",
    "no_date": "geen datum gevonden", "unsure_date": "datum onzeker", "no_amount": "geen bedrag gevonden",
    "unsure_amount": "bedrag onzeker", "conflicting_totals": "totalen spreken elkaar tegen",
    "low_ocr_confidence": "scan slecht leesbaar", "no_text": "geen tekst gevonden", "no_ocr": "niet gelezen",
    "client_id": "cliënt", "document_type": "soort", "document_date": "datum", "amount": "bedrag",
    "currency": "valuta", "iban": "IBAN", "reference": "kenmerk", "bsn": "BSN",
    "start:document_date": "documentdatum", "start:end_of_year": "einde van het jaar",
    "start:event": "gebeurtenis", "start:last_change": "laatste wijziging van het dossier",
    "The newest {limit} entries; narrow the filters or download the CSV for all.":
        "De nieuwste {limit} regels; verfijn de filters of download de CSV voor alles.",
    # audit actions as the history shows them
    "action:receive": "ontvangen", "action:file": "gearchiveerd", "action:view": "bekeken",
    "action:download": "gedownload", "action:change": "gewijzigd", "action:reveal_bsn": "BSN getoond",
    "action:duplicate": "duplicaat ontvangen", "action:review_confirmed": "bevestigd",
    "action:hold_add": "bewaring geplaatst", "action:hold_remove": "bewaring opgeheven",
    "action:ingest_failed": "archiveren mislukt", "action:dispose": "vernietigd",
    # errors
    "Not allowed": "Niet toegestaan", "Not found": "Niet gevonden", "Something went wrong": "Er ging iets mis",
    "Your role does not allow this.": "Uw rol staat dit niet toe.",
    "There is nothing at this address, or you may not see it.":
        "Op dit adres staat niets, of u mag het niet zien.",
    "The archive could not do this; the details are in its log.":
        "Het archief kon dit niet doen; de details staan in het logboek.",
    "The form had expired; please try again.": "Het formulier was verlopen; probeer het opnieuw.",
    "Not acceptable": "Niet geaccepteerd", "Go to the search page": "Naar de zoekpagina",
    "The upload is too large.": "De upload is te groot.",
}

EN: dict[str, str] = {
    "no_client": "no client recognised", "ambiguous_client": "several clients possible",
    "unsure_client": "client unsure", "no_type": "type not recognised", "unsure_type": "type unsure",
    "no_date": "no date found", "unsure_date": "date unsure", "no_amount": "no amount found",
    "unsure_amount": "amount unsure", "conflicting_totals": "totals disagree",
    "low_ocr_confidence": "scan hard to read", "no_text": "no text found", "no_ocr": "not read",
    "client_id": "client", "document_type": "type", "document_date": "date", "amount": "amount",
    "currency": "currency", "iban": "IBAN", "reference": "reference", "bsn": "BSN",
    "start:document_date": "document date", "start:end_of_year": "end of the year", "start:event": "event",
    "start:last_change": "last change of the dossier",
    "action:receive": "received", "action:file": "filed", "action:view": "viewed",
    "action:download": "downloaded", "action:change": "changed", "action:reveal_bsn": "BSN shown",
    "action:duplicate": "duplicate received", "action:review_confirmed": "confirmed",
    "action:hold_add": "hold placed", "action:hold_remove": "hold released",
    "action:ingest_failed": "filing failed", "action:dispose": "destroyed",
}

CATALOGUES = {"nl": NL, "en": EN}


def translate(language: str, text: str, **values: object) -> str:
    """Return the text in the language (English when no entry), with {values} filled in."""
    result = CATALOGUES.get(language, {}).get(text, text)
    return result.format(**values) if values else result


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def format_date(value: object, language: str) -> str:
    """Return a date as `12 maart 2024` / `12 March 2024`; empty for none."""
    day = _as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day.day} {MONTHS.get(language, MONTHS['nl'])[day.month - 1]} {day.year}"


def format_datetime(value: object, language: str) -> str:
    """Return a UTC timestamp as local date and time, `12 maart 2024 14:05`."""
    if value in (None, ""):
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(LOCAL_TIME)
    return f"{format_date(local.date(), language)} {local:%H:%M}"


def format_amount(value: object, language: str, currency: str | None = "EUR") -> str:
    """Return an amount as `€ 1.234,56` (Dutch) or `€1,234.56` (English); empty for none."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    symbol = "€" if (currency or "EUR") == "EUR" else (currency or "")
    english = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    if language == "en":
        return f"{sign}{symbol}{english}" if symbol == "€" else f"{sign}{symbol} {english}"
    dutch = english.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{sign}{symbol} {dutch}"


def format_size(size: object, language: str) -> str:
    """Return a byte count as `1,2 MB` / `1.2 MB`."""
    try:
        number = float(size)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    for unit in ("B", "kB", "MB", "GB"):
        if number < 1024 or unit == "GB":
            text = f"{number:.0f}" if unit == "B" else f"{number:.1f}"
            return (text.replace(".", ",") if language == "nl" else text) + f" {unit}"
        number /= 1024
    return ""
