"""A part of a stack as a PDF of its own: the stack's pages, copied, never re-encoded."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import img2pdf
import pikepdf

from ingest.errors import DamagedDocument

log = logging.getLogger(__name__)


def cut_pages(source: Path, pages: Sequence[int], target: Path) -> Path:
    """Write the 1-based `pages` of the PDF `source` at `target`, in that order."""
    try:
        with pikepdf.open(source) as stack, pikepdf.new() as part:
            for number in pages:
                part.pages.append(stack.pages[number - 1])
            part.save(target, deterministic_id=True)  # the same pages give the same bytes: refiling is recognised
    except (pikepdf.PdfError, IndexError) as exc:
        log.warning("could not cut pages %s out of %s: %s", list(pages), source.name, exc)
        raise DamagedDocument(
            "stack.not_separated", "The pages of this scanned stack could not be separated; please scan it again."
        ) from exc
    return target


def image_stack_pdf(image: Path, target: Path) -> Path:
    """Write a (multi-page) image scan as a PDF, each frame a page in its own compression."""
    try:
        target.write_bytes(img2pdf.convert(str(image), rotation=img2pdf.Rotation.ifvalid))
    except (img2pdf.ImageOpenError, img2pdf.PdfTooLargeError, ValueError, OSError) as exc:
        raise DamagedDocument(
            "stack.no_pages", "This scanned stack could not be turned into pages; please scan it again."
        ) from exc
    return target
