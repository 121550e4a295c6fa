"""Checks a PDF passes before it is drawn, and a repaired copy for PDFs strict readers refuse.

PDFium draws whatever a page asks for: a content stream of a few hundred kilobytes that
inflates to 600 MB, or an image that declares billions of pixels, makes it allocate
gigabytes. The page size is checked elsewhere; here the drawing instructions and the
images of the pages that will be drawn (OCR'd pages and the thumbnail's first page)
are measured first, by inflating in bounded pieces, never all at once.

qpdf (through pikepdf) rebuilds broken cross-reference tables and opens encryption
that an empty password unlocks where pypdf gives up; a copy it writes is read instead
of refusing the original, which is never changed.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pikepdf

from ingest.errors import DamagedDocument, DocumentTooLarge, EncryptedDocument

log = logging.getLogger(__name__)

# Drawing instructions of one page, inflated. Office and scanner pages use kilobytes;
# detailed drawings a few megabytes.
MAX_PAGE_CONTENT_BYTES = 50 * 2**20
_PIECE = 2**20
_MAX_FORM_DEPTH = 8
_MAX_OBJECTS_PER_PAGE = 10_000


def protected() -> EncryptedDocument:
    return EncryptedDocument(
        "pdf.encrypted", "This PDF is protected with a password; please save it without the password and file it again."
    )


def damaged() -> DamagedDocument:
    return DamagedDocument(
        "pdf.damaged", "This PDF is damaged or incomplete and cannot be read; please scan or save it again."
    )


def check_pages_to_draw(
    source: Path, indexes: Iterable[int], max_image_pixels: int, max_content_bytes: int = MAX_PAGE_CONTENT_BYTES
) -> None:
    """Raise DocumentTooLarge when a page to be drawn would need unbounded work.

    Other problems (damage, passwords) are left to the renderer, which says them its own way.
    """
    try:
        pdf = pikepdf.open(source)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError) as exc:
        log.info("not checked before drawing (%s): %s", source.name, exc)
        return
    with pdf:
        for index in indexes:
            if 0 <= index < len(pdf.pages):
                _check_page(pdf.pages[index], index + 1, max_image_pixels, max_content_bytes)


def _check_page(page: pikepdf.Page, number: int, max_image_pixels: int, max_content_bytes: int) -> None:
    total = 0
    for stream in _content_streams(page.obj):
        total += decoded_size(stream, max_content_bytes - total + 1)
        if total > max_content_bytes:
            raise DocumentTooLarge(
                "pdf.content_too_large",
                "Page {number} of this PDF unpacks to more than {megabytes} MB of "
                "drawing instructions, far beyond any real document; it may be made to overload the archive.",
                number=number,
                megabytes=max_content_bytes // 2**20,
            )
    for image in _images(page.obj):
        try:
            pixels = int(image.get(pikepdf.Name.Width, 0)) * int(image.get(pikepdf.Name.Height, 0))
        except (TypeError, ValueError):
            continue
        if pixels > max_image_pixels:
            raise DocumentTooLarge(
                "pdf.image_too_many_pixels",
                "Page {number} of this PDF holds an image of {pixels:.0f} million "
                "pixels; the archive takes images of at most {limit:.0f} million pixels.",
                number=number,
                pixels=pixels / 1e6,
                limit=max_image_pixels / 1e6,
            )


def decoded_size(stream: pikepdf.Object, limit: int) -> int:
    """The stream's inflated size, counted in pieces and given up past `limit` (then any value above it)."""
    filters = stream.get(pikepdf.Name.Filter)
    names = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
    try:
        raw = stream.read_raw_bytes()
    except pikepdf.PdfError:
        return 0
    if not names:
        return len(raw)
    if names == [pikepdf.Name.FlateDecode]:
        return _inflated_size(raw, limit)
    try:  # other filter chains are rare in content streams; qpdf decodes them
        return len(stream.read_bytes())
    except pikepdf.PdfError:
        return 0


def _inflated_size(raw: bytes, limit: int) -> int:
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending and size <= limit:
            size += len(inflater.decompress(pending, _PIECE))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # a damaged stream: the renderer stops where it breaks too
    return size


def _content_streams(page: pikepdf.Object) -> Iterator[pikepdf.Object]:
    contents = page.get(pikepdf.Name.Contents)
    if isinstance(contents, pikepdf.Stream):
        yield contents
    elif isinstance(contents, pikepdf.Array):
        yield from (item for item in contents if isinstance(item, pikepdf.Stream))
    yield from (form for form in _xobjects(page, pikepdf.Name.Form))


def _images(page: pikepdf.Object) -> Iterator[pikepdf.Object]:
    yield from _xobjects(page, pikepdf.Name.Image)


def _xobjects(owner: pikepdf.Object, subtype: pikepdf.Name) -> Iterator[pikepdf.Object]:
    """Every XObject of `subtype` the owner's resources reach, through nested forms, each once."""
    seen: set[tuple[int, int]] = set()
    todo = [(owner, 0)]
    while todo and len(seen) < _MAX_OBJECTS_PER_PAGE:
        current, depth = todo.pop()
        resources = current.get(pikepdf.Name.Resources)
        xobjects = resources.get(pikepdf.Name.XObject) if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        for key in list(xobjects.keys()):
            item = xobjects[key]
            if not isinstance(item, pikepdf.Stream) or item.objgen in seen:
                continue
            seen.add(item.objgen)
            kind = item.get(pikepdf.Name.Subtype)
            if kind == subtype:
                yield item
            if kind == pikepdf.Name.Form and depth < _MAX_FORM_DEPTH:
                todo.append((item, depth + 1))


def repaired_copy(path: Path, target: Path) -> Path:
    """Write `path` as qpdf reads it (cross-references rebuilt, empty-password encryption removed) to `target`.

    Raises EncryptedDocument when it needs a password, DamagedDocument when qpdf cannot read it either.
    """
    try:
        with pikepdf.open(path, password="") as pdf:
            if len(pdf.pages) == 0:
                raise DamagedDocument("pdf.no_pages", "This PDF has no pages.")
            pdf.save(target)
    except pikepdf.PasswordError as exc:
        raise protected() from exc
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as exc:
        log.info("qpdf could not repair %s either: %s", path.name, exc)
        raise damaged() from exc
    log.info("%s read from a copy repaired by qpdf", path.name)
    return target
