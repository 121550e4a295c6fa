"""The fonts of the PDFs the archive draws itself (e-invoices, mail bodies)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_FONT_FILES = (
    ("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    ("DejaVuSans-Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


def fonts_for(texts: Iterable[str]) -> tuple[str, str]:
    """(regular, bold) for drawing these texts: Helvetica when it has every character, else DejaVu.

    Helvetica is built into every PDF reader, so nothing is embedded: drawing a page is
    several times faster than with an embedded font, which only names in other scripts need.
    """
    try:
        for text in texts:
            text.encode("cp1252")
    except UnicodeEncodeError:
        return document_fonts()
    return "Helvetica", "Helvetica-Bold"


@lru_cache(maxsize=1)
def document_fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu for names in any script where installed, else Helvetica (Latin only)."""
    try:
        for name, path in _FONT_FILES:
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, path))
        return _FONT_FILES[0][0], _FONT_FILES[1][0]
    except Exception:  # reportlab raises its TTFError (a bare Exception subclass) for a missing font
        return "Helvetica", "Helvetica-Bold"
