"""Refreshing a searcher after a commit, reusing the unchanged segment readers.

Whoosh's own ``Searcher.refresh()`` (whoosh-reloaded 2.7.5) is unsafe: it reuses a
segment's reader even when the commit added deletions to that segment (an updated or
deleted document stays findable), and it keeps segments that a merge removed (old
copies turn up twice). This module builds the new reader from the latest table of
contents instead, reusing a reader only when its segment is unchanged.
"""

from __future__ import annotations

from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher


def refreshed(ix, old: Searcher) -> tuple[Searcher, int]:
    """Return a searcher on the latest commit of ``ix`` and its generation.

    Closes the readers it drops.

    ``old`` must not be used afterwards: it shares segment readers with the result.
    """
    toc = ix._read_toc()  # the same call ix.reader() makes; no public way to get the segments
    reusable = {
        (r.segment().segment_id(), r.segment().deleted_count()): r
        for r, _offset in old.reader().leaf_readers()
        if r.segment() is not None
    }
    readers = []
    for segment in toc.segments:
        reader = reusable.pop((segment.segment_id(), segment.deleted_count()), None)
        if reader is None:
            reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
        readers.append(reader)
    for unused in reusable.values():
        unused.close()
    if not readers:
        return ix.searcher(), toc.generation
    reader = readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)
    return Searcher(reader, fromindex=ix), toc.generation
