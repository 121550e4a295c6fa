"""A small picture of a document's first page, for result lists."""

from __future__ import annotations

from pathlib import Path

from ingest.images import write_thumbnail
from ingest.render import render_thumbnail
from ingest.sniff import PDF

THUMBNAIL_WIDTH = 300


def make_thumbnail(source: Path, mime_type: str, max_pixels: int, target: Path) -> Path:
    """Write a PNG of the first page, THUMBNAIL_WIDTH pixels wide, at `target`."""
    if mime_type == PDF:
        return render_thumbnail(source, THUMBNAIL_WIDTH, target)
    return write_thumbnail(source, THUMBNAIL_WIDTH, max_pixels, target)
