"""What a separator sheet's QR code says: "a new document starts here", and facts for it.

The text is short and versioned, ``FOA-SEP:1`` optionally followed by ``?client=…&
type=…&date=…``, so that an old sheet stays readable when new keys are added. The
``PATCHT`` code other archives print on their separator sheets is understood too, as
a separator without facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

PREFIX = "FOA-SEP:"
VERSION = "1"
# Separator codes printed by other document archives (paperless-ngx's default).
FOREIGN_SEPARATORS = frozenset({"PATCHT"})
KEYS = ("client", "type", "date")
_MAX_VALUE = 64


@dataclass(frozen=True)
class Separator:
    """A separator sheet read back: the facts the document after it gets (each may be None)."""

    client_id: str | None = None
    document_type: str | None = None
    document_date: str | None = None  # ISO date as printed; the archive checks it


def encode_separator(separator: Separator) -> str:
    """Return the QR text of a separator sheet (pure)."""
    values = {key: value for key, value in zip(KEYS, _values(separator)) if value}
    for key, value in values.items():
        if len(value) > _MAX_VALUE or not value.isprintable():
            raise ValueError(f"The {key} '{value[:20]}' cannot be printed on a separator sheet.")
    query = urlencode(values)
    return f"{PREFIX}{VERSION}" + (f"?{query}" if query else "")


def decode_separator(text: str) -> Separator | None:
    """Return the Separator a QR text announces, or None when it is some other code (pure)."""
    text = text.strip()
    if text in FOREIGN_SEPARATORS:
        return Separator()
    if not text.startswith(PREFIX):
        return None
    version, _, query = text[len(PREFIX) :].partition("?")
    if version != VERSION:
        return None
    fields = {key: values[0].strip() for key, values in parse_qs(query).items() if key in KEYS and values}
    return Separator(fields.get("client") or None, fields.get("type") or None, fields.get("date") or None)


def _values(separator: Separator) -> tuple[str | None, str | None, str | None]:
    return separator.client_id, separator.document_type, separator.document_date
