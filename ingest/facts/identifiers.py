"""Identifiers printed on documents: IBAN, BSN, KvK and VAT numbers, e-mail addresses.

Each finder returns the normalised value and where it stood in the line, and only
values that pass their check digits: a scanned number that fails mod 97 or the
11-check is not an identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from schwifty import IBAN as SchwiftyIban
from schwifty.exceptions import SchwiftyException
from stdnum import iban as std_iban
from stdnum.eu import vat as std_vat
from stdnum.exceptions import ValidationError

# A BSN's one home is ingest.values (the archive masks by the same rule); the client
# matching finds it here beside the other identifiers.
from ingest.values import bsn as bsn_rule
from ingest.values.bsn import valid_bsn as valid_bsn

# IBANs are printed in capitals; a lower-case start would swallow words ("to IBAN GB29…"),
# but OCR may glue one to the label before it ("werknemerNL83 BUNQ …"). A fax reads the
# gaps between its groups as dashes or dots ("NL74- ASNB 2337").
_IBAN = re.compile(r"(?<![A-Z0-9])([A-Z]{2}[.:]?\s?[0-9OIlSBZG]{2}(?:[-.,]?\s?[A-Z0-9]){10,30})(?![A-Za-z0-9])")
# OCR confuses letters and digits; an IBAN's structure says which one a position must be.
_TO_DIGIT = str.maketrans("OoIlSBZG", "00115826")
_TO_LETTER = str.maketrans("0158", "OISB")
_KVK = re.compile(r"(?<![\d.-])(\d{2}[ .]?\d{3}[ .]?\d{3}|\d{8})(?![\d-]|[.,]\d)")
_VAT = re.compile(
    r"(?<![A-Z0-9])((?:NL|BE|DE|FR|GB|LU)[\s.]?[0-9][0-9A-Z\s.]{7,14}[0-9A-Z])(?![A-Z0-9])", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Nine digits pass the 11-check one time in eleven (references, telephone numbers): only
# a label says a number is somebody's BSN.
BSN_LABEL = re.compile(r"\b(?:bsn|burgerservicenummer|sofi(?:nummer)?|citizen service number)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A validated identifier in a line: its kind, normalised value and span."""

    kind: str
    value: str
    start: int
    end: int
    text: str


def compact(text: str) -> str:
    """Return the identifier without spaces, dots and dashes, upper case."""
    return re.sub(r"[\s.\-]", "", text).upper()


def _compact_printed(text: str) -> str:
    # What OCR makes of the gaps of a printed IBAN: spaces, dots, dashes, a comma or a colon.
    return re.sub(r"[\s.,:\-]", "", text).upper()


def valid_iban(text: str) -> str | None:
    """Return the compact IBAN when it passes mod 97 (after undoing OCR letter/digit swaps), else None."""
    value = _compact_printed(text)
    for candidate in dict.fromkeys((value, _repaired(value))):
        try:
            return std_iban.validate(candidate)
        except ValidationError:
            continue
    return None


def typed_iban(text: str) -> str | None:
    """Return the compact IBAN a person typed (spaced or not) when it passes mod 97 as typed, else None.

    No OCR repair: a person's slip of the key is told back to them, never turned into
    another account that happens to pass the check.
    """
    try:
        return std_iban.validate(compact(text))
    except ValidationError:
        return None


def spaced_iban(value: str | None) -> str:
    """Return an IBAN in groups of four as it is printed (``NL91 ABNA 0417 1643 00``); other text as it is."""
    if not value:
        return ""
    return std_iban.format(value) if typed_iban(value) else value


def _repaired(value: str) -> str:
    head, check, rest = value[:2], value[2:4].translate(_TO_DIGIT), value[4:]
    if len(rest) == 14 and head != "NL" and ("N" in head or "L" in head):
        # One letter of "NL" misread ("NI97 RABO …", "NE…"): a Dutch bank code says which
        # country it is, and the check digits, which cover the country, confirm it.
        head = "NL" if dutch_bank(rest[:4].translate(_TO_LETTER)) else head
    if head == "NL" and len(rest) == 14:  # 4-letter bank code, 10-digit account
        rest = rest[:4].translate(_TO_LETTER) + rest[4:].translate(_TO_DIGIT)
    elif head in ("DE", "BE", "FR", "LU", "AT"):
        rest = rest.translate(_TO_DIGIT) if head != "FR" else rest
    return head + check + rest


@lru_cache(maxsize=256)
def dutch_bank(code: str) -> bool:
    """Whether a four-letter code is a Dutch bank's, as the IBAN registry knows them (pure)."""
    try:
        return SchwiftyIban(f"NL00{code}0000000000", allow_invalid=True).bank is not None
    except SchwiftyException:
        return False


# A Dutch IBAN as OCR may have read it with one digit lost or added: check digits, bank, account.
_DUTCH_SHAPE = re.compile(r"NL(?P<check>\d{1,3})(?P<bank>[A-Z]{4})(?P<account>\d{9,11})")


def one_slip_iban(text: str) -> str | None:
    """The one Dutch IBAN a reading that fails mod 97 is one digit away from (misread, lost or added), else None.

    One digit misread, lost or added; the bank code must be a Dutch bank's as printed.
    Mod 97 lets roughly one in 97 of a reading's hundred-odd neighbours pass by chance,
    so a reading that two IBANs explain is refused, never guessed between.
    """
    value = _repaired(_compact_printed(text))
    shape = _DUTCH_SHAPE.fullmatch(value)
    if shape is None or valid_iban(text) is not None or not dutch_bank(shape["bank"]):
        return None
    check, bank, account = shape["check"], shape["bank"], shape["account"]
    if len(check) == 2 and len(account) == 10:
        digits = check + account
        neighbours = [(c[:2], c[2:]) for c in _one_slip(digits, 12)]
    elif len(account) == 10:  # the bank code between them says which group lost or gained the digit
        neighbours = [(c, account) for c in _one_slip(check, 2)]
    elif len(check) == 2:
        neighbours = [(check, a) for a in _one_slip(account, 10)]
    else:
        return None
    passing = {f"NL{c}{bank}{a}" for c, a in neighbours if _mod97(f"{bank}{a}2321{c}")}  # NL = 23 21
    return passing.pop() if len(passing) == 1 else None


def _one_slip(digits: str, length: int) -> Iterator[str]:
    """The digit strings of `length` one digit away from `digits`: one changed, inserted or deleted."""
    if len(digits) == length:
        for at in range(length):
            for digit in "0123456789":
                if digit != digits[at]:
                    yield digits[:at] + digit + digits[at + 1 :]
    elif len(digits) == length - 1:
        for at in range(length):
            for digit in "0123456789":
                yield digits[:at] + digit + digits[at:]
    elif len(digits) == length + 1:
        for at in range(len(digits)):
            yield digits[:at] + digits[at + 1 :]


def _mod97(rearranged: str) -> bool:
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def valid_kvk(text: str) -> str | None:
    """Return the eight-digit KvK number, else None (it has no check digit)."""
    value = compact(text)
    return value if re.fullmatch(r"\d{8}", value) else None


def valid_vat(text: str) -> str | None:
    """Return the compact EU VAT id (e.g. NL123456789B01) when valid, else None."""
    value = compact(text)
    try:
        return std_vat.validate(value)
    except ValidationError:
        return None


def find_ibans(line: str) -> list[Found]:
    """Return the valid IBANs in a line (spaces allowed inside)."""
    found = []
    for match in _IBAN.finditer(line):
        raw = match.group(1)
        # Try the longest span first, then drop trailing words glued on by the regex.
        parts = raw.split()
        for cut in range(len(parts), 0, -1):
            value = valid_iban("".join(parts[:cut]))
            if value:
                text = " ".join(parts[:cut])
                found.append(Found("iban", value, match.start(1), match.start(1) + len(text), text))
                break
    return found


def find_misread_ibans(line: str) -> list[Found]:
    """Return the Dutch IBANs one misread, lost or added digit away from a reading in a line that fails mod 97."""
    found = []
    for match in _IBAN.finditer(line):
        if find_ibans(match.group(1)):
            continue
        parts = match.group(1).split()
        for cut in range(len(parts), 0, -1):
            value = one_slip_iban("".join(parts[:cut]))
            if value:
                text = " ".join(parts[:cut])
                found.append(Found("iban", value, match.start(1), match.start(1) + len(text), text))
                break
    return found


def find_bsns(line: str) -> list[Found]:
    """Return the numbers in a line that pass the BSN 11-check, however they are written."""
    return [Found("bsn", f.value, f.start, f.end, f.text) for f in bsn_rule.find_bsns(line)]


def find_kvks(line: str) -> list[Found]:
    """Return eight-digit numbers in a line (KvK candidates; only labels make them sure)."""
    found = []
    for match in _KVK.finditer(line):
        value = valid_kvk(match.group(1))
        if value:
            found.append(Found("kvk", value, match.start(1), match.end(1), match.group(1)))
    return found


def find_vats(line: str) -> list[Found]:
    """Return valid EU VAT ids in a line."""
    found = []
    for match in _VAT.finditer(line):
        value = valid_vat(match.group(1).strip())
        if value:
            found.append(Found("vat", value, match.start(1), match.end(1), match.group(1)))
    return found


def find_emails(line: str) -> list[Found]:
    """Return the e-mail addresses in a line, lower case."""
    return [
        Found("email", m.group(0).lower().rstrip("."), m.start(), m.end(), m.group(0)) for m in _EMAIL.finditer(line)
    ]
