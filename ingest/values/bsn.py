"""Citizen service numbers (BSN): found however they are written, masked the one way.

A BSN is nine digits that pass the 11-check (python-stdnum). People and documents
write it ``123456782``, ``123 456 782``, ``123.456.782``, ``1234.56.782``,
``12-34-56-782``, ``12345 6782``, and printed without its leading zero as eight digits. Wherever one
may stand — a file name, a log line, a search query kept in the audit trail, a
snippet, an exported bag — it is shown as ``*****6782``: the last four digits, which
say which of a client's numbers it is without revealing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.exceptions import ValidationError
from stdnum.nl import bsn as std_bsn

from ingest.values.errors import NotABsn

MASK = "*****"
# Groupings people use (3-3-3, 4-2-3, 2-2-2-3, 5-4), each gap one space, dot or dash; or no gaps.
# Not part of a longer number or an amount (1.234.567,89): no digit on either side, nor
# a dot or comma with a digit beyond it; a grouped number is not continued by another
# group either ("020 123 456 782" is a telephone number). A dash may touch nine plain
# digits: scans are named "paspoort-123456782.pdf" and "20240312-123456782.pdf".
_SEP = r"[ .\-]"
_GROUPED = (
    rf"\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}|\d{{4}}{_SEP}\d{{2}}{_SEP}\d{{3}}"
    rf"|\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}|\d{{5}}{_SEP}\d{{4}}"
)
# The leading (?=\d) lets the search skip every other position at once: a page of text
# is mostly letters, and the lookbehinds would otherwise be tried at each of them.
_BSN = re.compile(rf"(?=\d)(?<!\d)(?<!\d[.,])(?:(?<!\d{_SEP})(?:{_GROUPED})(?!{_SEP}\d)|\d{{8,9}})(?!\d)(?![.,]\d)")
_GAPS = re.compile(_SEP)
_DIGIT = re.compile(r"\d")
# A hex digest (the SHA-256 of a stored file) is a long run of hex digits: nine digits
# inside one are part of the hash, not a BSN, and masking them makes the hash useless.
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")


@dataclass(frozen=True)
class FoundBsn:
    """A valid BSN in a text: its nine digits and where it stood."""

    value: str
    start: int
    end: int
    text: str


def valid_bsn(text: str) -> str | None:
    """Return the nine digits of a BSN written in any of its forms when it passes the 11-check, else None."""
    digits = _GAPS.sub("", text.strip())
    if not digits.isdigit() or len(digits) not in (8, 9):
        return None
    digits = digits.zfill(9)  # a BSN printed with its leading zero dropped
    try:
        return std_bsn.validate(digits) if int(digits) else None
    except ValidationError:
        return None


def parse_bsn(text: str) -> str:
    """Return the nine digits of a BSN a person typed (``123 456 782``, ``1234.56.782``…); raise NotABsn."""
    digits = _GAPS.sub("", text.strip())
    value = valid_bsn(text) if len(digits) == 9 else None
    if value is None:
        raise NotABsn(text)
    return value


def find_bsns(text: str) -> list[FoundBsn]:
    """Return the valid BSNs in a text, in order."""
    found = []
    for match in _BSN.finditer(text):
        value = valid_bsn(match.group(0))
        if value:
            found.append(FoundBsn(value, match.start(), match.end(), match.group(0)))
    return found


def mask_bsn(value: str | None) -> str | None:
    """Return a BSN as anyone may see it: ``*****6782`` (None and "" stay as they are)."""
    if not value:
        return value
    return MASK + _GAPS.sub("", value)[-4:]


def mask_bsns(text: str) -> str:
    """Return ``text`` with every valid BSN in it, however written, as ``*****6782``."""
    if not _DIGIT.search(text):
        return text
    digests = [(m.start(), m.end()) for m in _HEX_RUN.finditer(text)]
    pieces, cursor = [], 0
    for found in find_bsns(text):
        if any(start <= found.start and found.end <= end for start, end in digests):
            continue
        pieces += [text[cursor : found.start], MASK + found.value[-4:]]
        cursor = found.end
    return "".join(pieces) + text[cursor:] if pieces else text
