"""A PDF's text layer (pypdf), checked for damage, passwords and absurd sizes first."""

from __future__ import annotations

import gc
import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pypdf import PasswordType, PdfReader

from ingest.errors import DamagedDocument, DocumentTooLarge, EncryptedDocument, IngestError
from ingest.pdf_guard import damaged, protected, repaired_copy
from ingest.settings import OcrSettings

log = logging.getLogger(__name__)

_POINTS_PER_INCH = 72.0
_HEADER_SEARCH_BYTES = 1024
# At least this share of a text layer's visible characters must be letters or digits:
# fonts without a Unicode map extract as punctuation, symbols and private-use glyphs.
_MIN_REAL_SHARE = 0.5
_COLLECT_ABOVE_BYTES = 5 * 2**20
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_NO_LETTER_OR_DIGIT = re.compile(r"[\W_]+")  # all but Unicode letters and digits; private-use glyphs are not \w


@dataclass(frozen=True)
class PdfText:
    """A validated PDF and the text layer of each page ('' where it has none)."""

    source: Path  # the file to read from: the original, or a copy without leading junk
    texts: tuple[str, ...]

    @property
    def page_count(self) -> int:
        """Number of pages."""
        return len(self.texts)


def has_real_text(text: str, min_chars: int) -> bool:
    """True when a text layer is real text worth keeping, not junk from unmapped fonts (pure).

    It needs `min_chars` visible characters, at least half of them letters or digits
    (private-use glyphs, symbols and stray punctuation are what unmapped fonts give).
    """
    # Counted by what is left once the rest is cut out, on every page of every PDF. str.split()
    # drops exactly what \s matches, and no space is a letter or digit, so the letters are
    # counted in what is left: a third of the work of two cuts over the whole page.
    visible = "".join(text.split())
    if len(visible) < min_chars:
        return False
    return len(_NO_LETTER_OR_DIGIT.sub("", visible)) >= len(visible) * _MIN_REAL_SHARE


def readable_source(path: Path, work_dir: Path) -> Path:
    """Return `path`, or a copy in `work_dir` starting at %PDF when junk bytes precede it."""
    with open(path, "rb") as handle:
        offset = handle.read(_HEADER_SEARCH_BYTES).find(b"%PDF-")
        if offset <= 0:
            return path
        # Lenient reading beats refusing: some mail gateways and scanners prepend bytes.
        copy = work_dir / "source-trimmed.pdf"
        handle.seek(offset)
        with open(copy, "wb") as out:
            shutil.copyfileobj(handle, out)
    log.info("%s has %d junk bytes before %%PDF; reading a trimmed copy", path.name, offset)
    return copy


def read_pdf_text(path: Path, work_dir: Path, settings: OcrSettings) -> PdfText:
    """Validate the PDF and return each page's text layer; raise IngestError subclasses.

    A PDF pypdf cannot read (broken cross-references, encryption it cannot open with
    the empty password) is read from a copy qpdf repaired before it is refused.
    """
    source = readable_source(path, work_dir)
    try:
        return _read_text(path, source, settings)
    except (DamagedDocument, EncryptedDocument) as exc:
        repaired = repaired_copy(source, work_dir / "source-repaired.pdf")  # raises when qpdf cannot either
        log.info("%s: reading the copy qpdf repaired (%s)", path.name, exc)
        return _read_text(path, repaired, settings)


def _read_text(path: Path, source: Path, settings: OcrSettings) -> PdfText:
    reader: PdfReader | None = None
    try:
        # A file handle, not a path: given a path pypdf first copies the whole file into memory.
        with open(source, "rb") as handle:
            reader = _open(handle)
            _check_size(reader, settings)
            texts = tuple(_page_text(reader, number) for number in range(len(reader.pages)))
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types on broken files; all mean "damaged"
        log.warning("pypdf could not read %s: %r", path.name, exc)
        raise damaged() from exc
    finally:
        reader = None
    if source.stat().st_size > _COLLECT_ABOVE_BYTES:
        # pypdf's reader keeps every object it parsed (image data included) in reference
        # cycles: without a collection a long scan's pages stay in memory for the whole OCR.
        gc.collect()
    return PdfText(source, texts)


def _open(source: BinaryIO) -> PdfReader:
    """Open with pypdf; PDFs with only owner restrictions open with the empty password."""
    reader = PdfReader(source, strict=False)
    if reader.is_encrypted and _decrypt_empty(reader) == PasswordType.NOT_DECRYPTED:
        raise protected()
    if len(reader.pages) == 0:
        raise DamagedDocument("pdf.no_pages", "This PDF has no pages.")
    return reader


def _decrypt_empty(reader: PdfReader) -> PasswordType:
    """Try the empty password; an encryption pypdf cannot handle counts as protected (qpdf tries next)."""
    try:
        return reader.decrypt("")
    except Exception as exc:  # unsupported algorithms, missing crypto parts, broken /Encrypt
        log.info("pypdf could not try the empty password: %r", exc)
        return PasswordType.NOT_DECRYPTED


def _check_size(reader: PdfReader, settings: OcrSettings) -> None:
    """Refuse absurd page counts and page sizes before doing any work on them."""
    count = len(reader.pages)
    if count > settings.max_pages:
        raise DocumentTooLarge(
            "pdf.too_many_pages",
            "This PDF has {count} pages; the archive takes at most {max_pages} pages per document.",
            count=count,
            max_pages=settings.max_pages,
        )
    limit = settings.max_page_side_inches
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        side = max(float(box.width), float(box.height)) / _POINTS_PER_INCH
        if side > limit:
            raise DocumentTooLarge(
                "pdf.page_too_large",
                "Page {number} of this PDF is {side:.0f} inches long; the archive "
                "takes pages up to {limit:.0f} inches.",
                number=number,
                side=side,
                limit=limit,
            )


def _without_lone_surrogates(text: str) -> str:
    # A font whose Unicode map splits an emoji gives lone surrogates, which no text store takes.
    return _LONE_SURROGATE.sub("\ufffd", text)


def _page_text(reader: PdfReader, index: int) -> str:
    """One page's text layer laid out as printed; a page whose text cannot be extracted is OCR'd instead.

    The layout mode places text by its position on the page, not in the order the PDF
    draws it: a right-aligned amount drawn before its label, or a table drawn column by
    column, comes out beside its label again.
    """
    page = reader.pages[index]
    try:
        return _without_lone_surrogates(compact_layout(page.extract_text(extraction_mode="layout") or ""))
    except Exception as exc:  # layout mode is stricter about odd fonts and operators
        log.info("layout text of page %d unreadable (%r); reading it in drawing order", index + 1, exc)
    try:
        return _without_lone_surrogates(page.extract_text() or "")
    except Exception as exc:  # a broken content stream on one page should not lose the rest
        log.info("text layer of page %d unreadable (%r); it will be OCR'd", index + 1, exc)
        return ""


_WIDE_GAP = re.compile(r" {3,}")
_CURRENCY_GAP = re.compile(r"(€|EUR|\$|£)\s{3,}(?=-?\d)")


def compact_layout(text: str) -> str:
    """Layout text without its padding: margins and indents dropped, every wide gap three spaces (pure).

    Three spaces is what the fact finders read as a column boundary.
    """
    lines = [_WIDE_GAP.sub("   ", _CURRENCY_GAP.sub(r"\1 ", line.strip())) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)  # one blank line where the page has a vertical gap
    return "\n".join(out).strip("\n")
