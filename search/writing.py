"""Opening a Whoosh writer the way every writer of the index must."""

from __future__ import annotations

from whoosh.index import LockError

from search._whoosh import BuildWriter
from search.errors import IndexBusy
from search.settings import SearchSettings


def open_writer(ix, settings: SearchSettings, busy: IndexBusy, bulk: bool = False):
    """Return a writer, waiting up to the lock timeout for another one; else raise ``busy``.

    ``bulk`` gives the rebuild's writer (BuildWriter): it only adds documents and
    commits without merging, faster and in less memory.

    Segments are written as separate files, not one compound file: Whoosh reads a
    compound segment by copying each part it opens into memory (a BytesIO over the
    whole part), which would hold most of a 100,000-document index in RAM. Separate
    files are read through the operating system's cache instead.
    """
    options = dict(timeout=settings.lock_timeout_seconds, delay=0.05, limitmb=settings.writer_memory_mb, compound=False)
    try:
        return BuildWriter(ix, **options) if bulk else ix.writer(**options)
    except LockError as exc:
        raise busy from exc


def expunge_deleted(writer, segments):
    """Merge policy (Whoosh's ``mergetype``): rewrite every segment holding deleted documents.

    Whoosh only marks a deleted document as deleted; its words and stored text stay in
    the segment's files until a merge happens to rewrite them. A disposal must not leave
    them there, so each segment with deletions is copied into the new segment without
    them (its old files are removed at the commit) and the others are kept as they are.
    """
    from whoosh.reading import SegmentReader

    kept = []
    for segment in segments:
        if segment.has_deletions():
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            kept.append(segment)
    return kept
