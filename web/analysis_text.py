"""The Analysis page's words: chart titles, column heads and each figure's definition.

Kept apart from the app's catalogue because the definitions are long and belong
to the analysis; Dutch first, English second, same keys.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "page": "Frontofficeanalyse",
        "bad_period": "Deze periode kan niet: schrijf datums als 12-03-2024 of 2024-03-12 en laat de periode "
        "niet eindigen vóór het begin. Hieronder staan de laatste 30 dagen.",
        "intro": "Alle cijfers komen uit het controlespoor en de database van het archief; niets is geschat. "
        "Dagen zijn UTC-dagen; begin- en einddatum tellen allebei mee.",
        "since": "Van",
        "until": "Tot en met",
        "days": "dagen",
        "by": "Per",
        "day": "dag",
        "week": "week",
        "month": "maand",
        "show": "Tonen",
        "csv": "Cijfers als CSV",
        "table": "Cijfers",
        "period": "Periode",
        "filed": "Gearchiveerd",
        "pages": "Pagina's",
        "documents": "documenten",
        "auto_filed": "Automatisch goed",
        "review_queue": "Te beoordelen nu",
        "oldest": "oudste wacht",
        "failed": "Mislukt",
        "duplicates": "Dubbel onderschept",
        "searches": "Zoekopdrachten",
        "opened": "leidde tot openen",
        "per_visit": "Documenten per cliëntbezoek",
        "filed_chart": "Gearchiveerde documenten per {by}",
        "pages_chart": "Pagina's per {by}",
        "type_chart": "Gearchiveerd per documentsoort",
        "clerk_chart": "Gearchiveerd per medewerker",
        "channel_chart": "Gearchiveerd per kanaal",
        "time_chart": "Tijd van binnenkomst tot gearchiveerd ({unit})",
        "review_time": "Tijd van binnenkomst tot beoordeeld",
        "correction_chart": "Correcties per gegeven (aandeel van de gearchiveerde documenten)",
        "failed_chart": "Mislukte bestanden per reden",
        "ocr_chart": "OCR-betrouwbaarheid van de gearchiveerde documenten",
        "search_chart": "Zoekopdrachten per {by}",
        "retrieval": "Opvragen per cliëntbezoek",
        "count": "aantal",
        "reviewed": "beoordeeld",
        "rate": "aandeel",
        "reason": "reden",
        "type": "soort",
        "clerk": "medewerker",
        "channel": "kanaal",
        "fact": "gegeven",
        "bin": "betrouwbaarheid",
        "corrected": "gecorrigeerd",
        "no_ocr": "zonder OCR (tekstlaag)",
        "views": "geopend",
        "visit_days": "cliëntbezoekdagen",
        "documents_viewed": "geopende documenten",
        "zero_results": "zonder resultaat",
        "per_day": "per dag",
        "none": "geen gegevens",
        "client": "cliënt",
        "date": "datum",
        "amount": "bedrag",
        "unknown": "onbekend",
        "def_filed": "Documenten waarvan het eerste archiveringsitem (‘file’) in het controlespoor in de periode "
        "valt; pagina's: de gelezen pagina's van die documenten.",
        "def_type": "De in de periode gearchiveerde documenten per documentsoort zoals die nu is, na correcties "
        "door medewerkers; ‘onbekend’ als er geen soort herkend of opgegeven is.",
        "def_clerk": "De in de periode gearchiveerde documenten per gebruiker die ze aanbood (de uploader; "
        "‘system’ voor het postvak en de opdrachtregel); ‘beoordeeld’: de items uit de "
        "beoordelingslijst die deze gebruiker in de periode afhandelde.",
        "def_channel": "De in de periode gearchiveerde documenten per manier van binnenkomst: inbox (postvak), "
        "upload (browser), api, cli (opdrachtregel).",
        "def_time": "Tijd van binnenkomst (bestand ontvangen en opgeslagen) tot gearchiveerd (gegevens vastgelegd, "
        "vindbaar) van de in de periode gearchiveerde documenten. p50 en p90 zijn percentielen volgens "
        "de nearest-rank-methode: van n gesorteerde tijden de waarde op plaats ⌈p/100 × n⌉ — de helft "
        "(p50) of negen op de tien (p90) documenten duurde hooguit zo lang.",
        "def_review": "Voor de in de periode afgehandelde beoordelingen (de eerste bevestiging per document in de "
        "beoordelingslijst, ‘review_confirmed’): tijd van binnenkomst van het document tot die "
        "bevestiging; dezelfde percentielen.",
        "def_auto": "Aandeel van de in de periode gearchiveerde documenten waarvan daarna (tot nu) geen enkel "
        "gegeven door een medewerker is gewijzigd (geen ‘change’ met een echte wijziging).",
        "def_corrections": "Per gegeven (cliënt, soort, datum, bedrag): aandeel van de in de periode gearchiveerde "
        "documenten waarvan een medewerker dat gegeven daarna (tot nu) wijzigde — de werkelijke "
        "foutmarge van de herkenning zoals medewerkers die ervaren.",
        "def_queue": "Gearchiveerde documenten die nu (niet alleen in de periode) in de beoordelingslijst staan, "
        "en hoe lang geleden de oudste binnenkwam.",
        "def_failed": "Bestanden die niet gearchiveerd konden worden, per reden: de ‘ingest_failed’-items in de "
        "periode (elke mislukte poging telt één keer).",
        "def_duplicates": "Bestanden waarvan exact dezelfde bytes (zelfde SHA-256) al in het archief stonden, "
        "onderschept en niet nogmaals gearchiveerd: ‘duplicate’-items in de periode.",
        "def_ocr": "Gemiddelde woordbetrouwbaarheid van Tesseract (0–100) over de OCR-pagina's van elk in de "
        "periode gearchiveerd document, in klassen van 10 punten; documenten met een tekstlaag hebben "
        "geen OCR en worden apart geteld.",
        "def_searches": "Zoekopdrachten in de periode (web, API en opdrachtregel); per dag = zoekopdrachten / dagen "
        "in de periode; ‘leidde tot openen’: dezelfde gebruiker opende daarna een document uit de "
        "resultaten vóór de volgende zoekopdracht.",
        "def_retrieval": "Geopende documenten per cliëntbezoekdag: weergaven in de periode van documenten met een "
        "cliënt, als verschillende (cliënt, dag, document) gedeeld door verschillende (cliënt, dag).",
    },
    "en": {
        "page": "Front-office analysis",
        "bad_period": "That period cannot be shown: write dates like 12-03-2024 or 2024-03-12 and do not let "
        "the period end before it starts. Below are the last 30 days.",
        "intro": "Every figure comes from the archive's audit trail and database; nothing is estimated. "
        "Days are UTC days; the first and last day are both included.",
        "since": "From",
        "until": "To (included)",
        "days": "days",
        "by": "Per",
        "day": "day",
        "week": "week",
        "month": "month",
        "show": "Show",
        "csv": "Figures as CSV",
        "table": "Figures",
        "period": "Period",
        "filed": "Filed",
        "pages": "Pages",
        "documents": "documents",
        "auto_filed": "Filed automatically",
        "review_queue": "To review now",
        "oldest": "oldest waiting",
        "failed": "Failed",
        "duplicates": "Duplicates caught",
        "searches": "Searches",
        "opened": "led to opening",
        "per_visit": "Documents per client visit",
        "filed_chart": "Documents filed per {by}",
        "pages_chart": "Pages per {by}",
        "type_chart": "Filed by document type",
        "clerk_chart": "Filed by clerk",
        "channel_chart": "Filed by channel",
        "time_chart": "Time from arrival to filed ({unit})",
        "review_time": "Time from arrival to reviewed",
        "correction_chart": "Corrections per fact (share of the documents filed)",
        "failed_chart": "Failed files by reason",
        "ocr_chart": "OCR confidence of the documents filed",
        "search_chart": "Searches per {by}",
        "retrieval": "Retrieval per client visit",
        "count": "count",
        "reviewed": "reviewed",
        "rate": "share",
        "reason": "reason",
        "type": "type",
        "clerk": "clerk",
        "channel": "channel",
        "fact": "fact",
        "bin": "confidence",
        "corrected": "corrected",
        "no_ocr": "without OCR (text layer)",
        "views": "opened",
        "visit_days": "client visit-days",
        "documents_viewed": "documents opened",
        "zero_results": "no results",
        "per_day": "per day",
        "none": "no data",
        "client": "client",
        "date": "date",
        "amount": "amount",
        "unknown": "unknown",
        "def_filed": "Documents whose first \u2018file\u2019 entry in the audit trail falls in the period; pages: the "
        "pages read from them.",
        "def_type": "Documents filed in the period by document type as it stands now, after the clerks' "
        "corrections; \u2018unknown\u2019 when no type was recognised or given.",
        "def_clerk": "Documents filed in the period per user who brought them in (the uploader; \u2018system\u2019 "
        "for the inbox and the command line); \u2018reviewed\u2019: review items that user cleared in "
        "the period.",
        "def_channel": "Documents filed in the period per way of arrival: inbox (watched folder), upload "
        "(browser), api, cli (command line).",
        "def_time": "Time from arrival (bytes received and stored) to filed (facts committed, searchable) of the "
        "documents filed in the period. p50 and p90 are nearest-rank percentiles: of n times sorted "
        "ascending, the value at rank \u2308p/100 \u00d7 n\u2309 \u2014 half (p50) or nine in ten (p90) "
        "of the documents took at most that long.",
        "def_review": "For review items cleared in the period (a document's first confirmation in the review "
        "queue, \u2018review_confirmed\u2019): time from the document's arrival to that "
        "confirmation; the same percentiles.",
        "def_auto": "Share of the documents filed in the period of which no clerk changed any fact afterwards, "
        "up to now (no \u2018change\u2019 entry with a real change).",
        "def_corrections": "Per fact (client, type, date, amount): share of the documents filed in the period "
        "whose fact a clerk changed afterwards, up to now \u2014 the extraction's real error "
        "rate as the clerks experience it.",
        "def_queue": "Filed documents waiting in the review queue now (not only in the period), and how long ago "
        "the oldest arrived.",
        "def_failed": "Files that could not be filed, per reason: \u2018ingest_failed\u2019 entries in the period "
        "(each failed attempt counts once).",
        "def_duplicates": "Files whose exact bytes (same SHA-256) were already in the archive, caught and not "
        "filed twice: \u2018duplicate\u2019 entries in the period.",
        "def_ocr": "Tesseract's mean word confidence (0\u2013100) over the OCR'd pages of each document filed in "
        "the period, in bins of 10 points; documents with a text layer have no OCR and are counted "
        "apart.",
        "def_searches": "Searches in the period (web, API and command line); per day = searches / days in the "
        "period; \u2018led to opening\u2019: the same user then opened a document from the results "
        "before searching again.",
        "def_retrieval": "Documents opened per client visit-day: views in the period of documents with a client, "
        "counted as distinct (client, day, document) over distinct (client, day).",
    },
}


def text_for(language: str) -> dict[str, str]:
    """Return the page's words in a language (Dutch when it is unknown)."""
    return TEXT.get(language, TEXT["nl"])
