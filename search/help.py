"""The query language in a few lines, for `archive search --help` and the web help."""

QUERY_HELP = """\
Type words to find documents that contain all of them; the order does not matter and
upper/lower case and accents do not either (cafe finds café). Dutch and English word
forms are found together (rekening finds rekeningen, invoice finds invoices) and so are
parts of Dutch compounds (overeenkomst finds huurovereenkomst).

  huur jansen                 both words
  "met vriendelijke groet"    this exact phrase
  factuur OR nota             either word
  huur -herinnering           huur, but not herinnering
  huurover*                   words that begin with huurover (a very short prefix,
                              like ver*, searches only its most common words)
  vlinderdosier               small typing mistakes are forgiven (did you mean …?)

Filters (combine them with words; Dutch names work too: klant, soort, datum, bedrag):

  client:K-10023              one client's documents
  type:invoice  type:factuur  a document type, by code or Dutch name
  date:2024  date:2024-03  date:2024-03-31
  date:[2024-01-01 to 2024-03-31]   a date range (also date:>2024-06, date:<=2023)
  12-03-2024                  a day typed on its own: that text, or a document of that day
  amount:>100  amount:<=99,95  amount:100..200   total amount in euros
  ref:F2024-0012              a reference or invoice number (also typed on its own)
  iban:NL91ABNA0417164300     a bank account
  tag:urgent  file:scan       a tag; a word of the original file name
"""

# The same in Dutch, for the web page in Dutch (field names work in both languages).
QUERY_HELP_NL = """\
Typ woorden om documenten te vinden waarin ze allemaal staan; de volgorde doet er niet
toe, hoofdletters en accenten evenmin (cafe vindt café). Nederlandse en Engelse
woordvormen worden samen gevonden (rekening vindt rekeningen, invoice vindt invoices),
en ook delen van samenstellingen (overeenkomst vindt huurovereenkomst).

  huur jansen                 beide woorden
  "met vriendelijke groet"    precies deze woorden achter elkaar
  factuur OR nota             een van beide woorden
  huur -herinnering           huur, maar niet herinnering
  huurover*                   woorden die met huurover beginnen (een heel kort begin,
                              zoals ver*, zoekt alleen de meest voorkomende woorden)
  vlinderdosier               kleine tikfouten worden vergeven (bedoelde u …?)

Filters (te combineren met woorden; Engelse namen werken ook: client, type, date, amount):

  klant:K-10023               de documenten van één cliënt
  soort:factuur  type:invoice een documentsoort, met code of Nederlandse naam
  datum:2024  datum:2024-03  datum:2024-03-31
  datum:[2024-01-01 tot 2024-03-31]   een periode (ook datum:>2024-06, datum:<=2023)
  12-03-2024                  een dag, los getypt: die tekst, of een document van die dag
  bedrag:>100  bedrag:<=99,95  bedrag:100..200   totaalbedrag in euro
  kenmerk:F2024-0012          een kenmerk of factuurnummer (ook los getypt)
  iban:NL91ABNA0417164300     een bankrekening
  label:urgent  bestand:scan  een label; een woord uit de oorspronkelijke bestandsnaam
"""


def _keep_lines_for_click(text: str) -> str:
    """Mark each indented block with click's "\\b" line so --help does not rewrap it."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(f"\b\n{p}" if p.startswith("  ") else p for p in paragraphs)


# The same text for click's --help (the example blocks keep their lines).
CLI_QUERY_HELP = _keep_lines_for_click(QUERY_HELP)
