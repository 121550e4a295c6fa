"""Which lines speak about the addressee (the client) and which about the sender.

An invoice prints the supplier's own KvK, VAT id and bank account in its header or
footer and under "te betalen op rekening"; the client is the addressee ("Aan:",
"t.a.v.", "klant", "debiteur"). Evidence found in sender lines counts for little.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from ingest.facts.caseblind import CaseBlind
from ingest.facts.text import Line

# A letterhead or footer is a few lines; a longer first block is the document itself.
_MAX_LETTERHEAD = 8
RECIPIENT = "recipient"
SENDER = "sender"
NEUTRAL = "neutral"

RECIPIENT_LABEL = re.compile(
    r"^(?:(?:factuur|nota|rekening|invoice|bill|statement|geadresseerd|verzonden|sent|delivered|geleverd)\s+(?:aan|to)|"
    r"aan|to|t\.?\s?a\.?\s?v\.?|ter attentie van|attn\.?|attention|factuuradres|afleveradres|"
    r"bill(?:ed)? to|invoice to|sold to|ship to|billing address|customer(?: name)?|klant(?:naam|gegevens)?|"
    r"debiteur(?:gegevens)?|geadresseerde|werknemer|employee(?: name)?|naam werknemer|huurder|tenant|"
    r"verzekerde|verzekeringnemer|policy ?holder|cli[eëéè]nt(?:naam)?|client(?: name)?|pati[eëéè]nt|"
    r"opdrachtgever|koper|buyer|aanvrager|applicant|deelnemer|ontvanger|recipient|"
    r"ontvangen van|received from|betaald door|paid by|naam|name|full name|achternaam(?: en voorletters)?|"
    r"uw gegevens|your details|persoonsgegevens|personal details|gegevens cli[eëéè]nt)\b\s*[:.]?",
    re.IGNORECASE,
)
# Courtesy titles open an address block of a person.
_SALUTATION_ADDRESS = re.compile(
    r"^(?:de heer|mevrouw|dhr\.?|mevr\.?|mw\.?|mr\.?|mrs\.?|ms\.?|fam(?:ilie)?\.?)\s", re.I
)
_SENDER_PHRASE = CaseBlind(
    r"betaal|overmaken|maak .* over|t\.?\s?n\.?\s?v\.?|ten name van|te betalen op|op rekening|rekeningnummer|"
    r"bankrekening|bankgegevens|pay(?:able)? to|remit|bank details|bank account|our account|"
    r"afzender|^van\s*:|^from\s*:|leverancier|supplier|sold by|verkoper|seller|werkgever|employer|"
    r"verhuurder|landlord|verzekeraar|insurer|opdrachtnemer|contractor|ons kenmerk|onze referentie",
)
_SENDER_ID_LABEL = CaseBlind(
    r"\b(?:kvk|k\.v\.k\.?|btw|vat|iban|bic|swift|tel(?:efoon)?|phone|fax|www\.|http|website|"
    r"coc|chamber of commerce|handelsregister|rsin)\b",
)
# Money paid out to the addressee goes to an account of the addressee's, never the sender's:
# a payslip's salary account, a refund ("wordt uitbetaald op rekening …", "paid into account
# …"). Not proof of the client alone: people share accounts, so such a line stays neutral.
_PAID_TO_ADDRESSEE = CaseBlind(r"\b(?:uitbetaald|uitbetaling|paid into|paid out to|credited to|refunded to)\b")
# The other party's label alone on its line ("Verhuurder:"): its name stands on the next line.
_SENDER_LABEL_ALONE = re.compile(
    r"^(?:afzender|van|from|leverancier|supplier|verkoper|seller|werkgever|employer|verhuurder|landlord|"
    r"verzekeraar|insurer|opdrachtnemer|contractor)\s*:?$",
    re.IGNORECASE,
)
# A letter's salutation names its addressee ("Geachte Kees van der Berg,"), unless it names nobody.
_SALUTATION_LETTER = re.compile(
    r"^(?:geachte|beste|dear)\s+(?!(?:heer\s*/\s*mevrouw|heer of mevrouw|sir|madam|klant|relatie|customer|lezer|reader)\b)",
    re.IGNORECASE,
)
# A letter's closing: the signature under it (a person, the sender's name) is the sender's.
_CLOSING = re.compile(
    r"^(?:met (?:vriendelijke|hartelijke) groet(?:en)?|vriendelijke groet(?:en)?|hoogachtend|"
    r"kind regards|best regards|yours (?:sincerely|faithfully|truly)|sincerely)\b",
    re.IGNORECASE,
)
_SIGNATURE_LINES = 4
# "t.a.v." under a name: the name above is the addressee (a company, for the attention of someone there).
_ATTENTION = re.compile(r"^(?:t\.?\s?a\.?\s?v\.?|ter attentie van|attn\.?|attention|fao)\b", re.IGNORECASE)
_CLIENT_WORD = CaseBlind(r"\b(?:uw|your|klant|customer|debiteur|cli[eëéè]nt|werknemer|employee|huurder|tenant)\b")


def line_roles(lines: Sequence[Line]) -> list[str]:
    """Return for each line whether it speaks of the recipient, the sender, or neither."""
    roles = [NEUTRAL] * len(lines)
    for i, line in enumerate(lines):
        if _PAID_TO_ADDRESSEE.found(line.text):
            continue
        if _SENDER_PHRASE.found(line.text) and not _CLIENT_WORD.found(line.text):
            roles[i] = SENDER
        elif _SENDER_ID_LABEL.found(line.text) and not _CLIENT_WORD.found(line.text):
            # Only the line itself: neighbouring lines may belong to another column or block.
            roles[i] = SENDER
        if i > 0 and _SENDER_LABEL_ALONE.match(lines[i - 1].text.strip()) and not RECIPIENT_LABEL.match(line.text):
            roles[i] = SENDER
    for i, line in enumerate(lines):
        if RECIPIENT_LABEL.match(line.text) or _SALUTATION_ADDRESS.match(line.text):
            rest = RECIPIENT_LABEL.sub("", line.text, count=1).strip()
            _mark_block(lines, roles, i if rest else i + 1, RECIPIENT, before=0, after=4 if rest else 3, overwrite=True)
        elif (_CLIENT_WORD.found(line.text) or _SALUTATION_LETTER.match(line.text)) and roles[i] != SENDER:
            roles[i] = RECIPIENT
        if _ATTENTION.match(line.text) and i > 0:
            _mark_name_above(lines, roles, i)
        if _CLOSING.match(line.text):
            _mark_signature(lines, roles, i)
    _mark_letterhead(lines, roles)
    return roles


def _mark_signature(lines: Sequence[Line], roles: list[str], closing: int) -> None:
    for j in range(closing + 1, min(closing + 1 + _SIGNATURE_LINES, len(lines))):
        if lines[j].page != lines[closing].page or roles[j] == RECIPIENT:
            break
        roles[j] = SENDER


def _mark_name_above(lines: Sequence[Line], roles: list[str], i: int) -> None:
    above = lines[i - 1]
    same_block = above.page == lines[i].page and above.block == lines[i].block
    # A name line, not the sender's postcode line that OCR ran into the address block.
    if same_block and roles[i - 1] != SENDER and not any(ch.isdigit() for ch in above.text):
        roles[i - 1] = RECIPIENT


def _mark_letterhead(lines: Sequence[Line], roles: list[str]) -> None:
    """The first block (letterhead) and the last block of a page (footer) speak for the sender.

    Only when they show it: the sender's identifiers (KvK, VAT, IBAN, telephone…) stand in
    them, or, for the first block, an addressee is named further down or the document has
    more blocks below it (a short first block of several is the letterhead).
    """
    if not lines:
        return
    first = lines[0].block
    sizes = Counter(line.block for line in lines)
    if len(sizes) < 2:
        return  # one block (blank lines lost in OCR): no telling the letterhead apart
    later_recipient = any(role == RECIPIENT and line.block != first for line, role in zip(lines, roles))
    labelled = any(RECIPIENT_LABEL.match(line.text) for line in lines if line.block == first)
    # A short first block of a document of several blocks is its letterhead, also when OCR
    # garbled the sender's identifiers and the addressee's label below it.
    if (
        sizes[first] <= _MAX_LETTERHEAD
        and not labelled
        and (later_recipient or _has_sender_ids(lines, first) or len(sizes) >= 3)
    ):
        _sender_block(lines, roles, first)
    for page in {line.page for line in lines}:
        last = max(line.block for line in lines if line.page == page)
        if last != first and sizes[last] <= _MAX_LETTERHEAD and _has_sender_ids(lines, last):
            _sender_block(lines, roles, last)


def _has_sender_ids(lines: Sequence[Line], block: int) -> bool:
    return any(_SENDER_ID_LABEL.found(line.text) for line in lines if line.block == block)


def _sender_block(lines: Sequence[Line], roles: list[str], block: int) -> None:
    second = _second_address(lines, block)
    for i, line in enumerate(lines):
        if line.block == block and roles[i] == NEUTRAL and i not in second:
            roles[i] = SENDER


# A Dutch postcode ending a line of an address ("3511 AB Utrecht", "3511AB").
_POSTCODE_LINE = re.compile(r"(?<!\d)\d{4}\s?[A-Z]{2}\b")


def _second_address(lines: Sequence[Line], block: int) -> set[int]:
    """The lines of a second address in a letterhead's block: the addressee's, run into it by a lost blank line.

    A letterhead prints its own address once; the name, street and postcode after its
    postcode line (not its KvK, VAT or telephone lines) are someone else's.
    """
    own = [i for i, line in enumerate(lines) if line.block == block]
    at = [i for i in own if _POSTCODE_LINE.search(lines[i].text)]
    if len(at) < 2:
        return set()
    between = range(at[0] + 1, at[1] + 1)
    if any(_SENDER_ID_LABEL.found(lines[i].text) for i in between):
        return set()  # a second address of the sender's own (its postal address beside its visiting one)
    return set(between)


def _mark_block(
    lines: Sequence[Line], roles: list[str], start: int, role: str, before: int, after: int, overwrite: bool
) -> None:
    if start >= len(lines):
        return
    first = lines[start]
    for j in range(max(start - before, 0), min(start + after + 1, len(lines))):
        line = lines[j]
        if line.page != first.page or (j > start and line.block != first.block and j > start + 1):
            break  # a blank line ends the address block
        if j > start and role == RECIPIENT and (roles[j] == SENDER or _SENDER_ID_LABEL.found(line.text)):
            break  # the address block ended where the sender's lines begin
        if overwrite or roles[j] == NEUTRAL:
            roles[j] = role
