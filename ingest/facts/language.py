"""The language a document is written in: Dutch or English, from its most common words.

Function words (articles, pronouns, prepositions) and the labels every front-office
document prints make up a large share of any text and differ between the two
languages; OCR keeps short words well. Words both languages share ("in", "is", "van"
in names) count for neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

_DUTCH = frozenset(
    """
de het een en van voor met op te aan uw u wij we ons onze niet naar bij door als dat dit deze die er
zijn is wordt worden heeft hebben kunt kan graag wilt tot uit ook nog maar om over binnen per geen
betreft geachte heer mevrouw groet vriendelijke hoogachtend datum factuur factuurnummer factuurdatum
vervaldatum totaal bedrag betalen btw omschrijving aantal prijs klantnummer rekening kenmerk
loonstrook periode bruto netto werknemer werkgever loonheffing uitbetaald overeenkomst partijen
artikel huurder verhuurder ondertekend handtekening formulier naam adres woonplaats geboortedatum
kassabon bon wisselgeld contant bedankt aankoop ontvangen betaald waarvan en/of gemeente straat
""".split()
)
_ENGLISH = (
    frozenset(
        """
the a an and of for with on to your you we our not by as that this these those are is be been
has have can please would will from at any into within per no which it its dear sir madam regards
sincerely yours date invoice number due total amount pay payment vat description quantity price
customer account reference payslip period gross net employee employer tax paid agreement parties
article tenant landlord signed signature form name address town birth receipt change cash thank
shopping purchase received sum subtotal balance
""".split()
    )
    - _DUTCH
)
_WORD = re.compile(r"[a-zà-ÿ/]+")
# At least this many telling words before a language is named at all.
_MIN_WORDS = 3


@dataclass(frozen=True)
class LanguageGuess:
    """The language (``nl`` | ``en``) and how sure the word counts make it (0.5-1)."""

    language: str
    confidence: float
    evidence: str  # the word counts it was decided on


def detect_language(pages: Sequence[str], default: str = "nl") -> LanguageGuess | None:
    """Return the document's language, or None when the text has too few telling words."""
    dutch = english = 0
    for page in pages:
        for word in _WORD.findall(page.lower()):
            if word in _DUTCH:
                dutch += 1
            elif word in _ENGLISH:
                english += 1
    if dutch + english < _MIN_WORDS:
        return None
    evidence = f"{dutch} Dutch and {english} English words"
    if dutch == english:
        return LanguageGuess(default, 0.5, evidence)
    language = "nl" if dutch > english else "en"
    share = max(dutch, english) / (dutch + english)
    return LanguageGuess(language, round(share, 3), evidence)
