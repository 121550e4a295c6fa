"""The document text as numbered lines, the one shape every fact finder reads."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
# Wide gaps separate columns in text laid out like the page (pdftotext -layout, some PDFs):
# each column piece is read as a line of its own.
_COLUMN_GAP = re.compile(r"(?:[ \u00a0]{3,}|\t+)")


@dataclass(frozen=True)
class Line:
    """One non-empty text line: its page (1-based), index in the document and text."""

    page: int
    index: int
    text: str
    lower: str
    block: int = 0  # blank lines separate blocks (an address block, a letterhead)


def split_lines(pages: Sequence[str]) -> list[Line]:
    """Return the non-empty lines of all pages, in reading order."""
    lines: list[Line] = []
    block = 0
    for page_number, page in enumerate(pages, start=1):
        block += 1
        for raw in (page or "").splitlines():
            if not raw.strip():
                block += 1
                continue
            for piece in _COLUMN_GAP.split(raw):
                text = _SPACES.sub(" ", piece).strip()
                if text:
                    lines.append(Line(page_number, len(lines), text, text.lower(), block))
    return lines


def fold(text: str) -> str:
    """Return lower-case text without accents, for matching names and labels."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def label_pattern(labels: Sequence[str]) -> re.Pattern[str]:
    """Return one regex matching any of the labels as whole words (longest first)."""
    parts = sorted((re.escape(label).replace(r"\ ", r"\s*") for label in labels), key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z])", re.IGNORECASE)
