"""Every use of Whoosh's private or undocumented internals, in one place.

The rest of the search room uses Whoosh's public API only. What is here reaches past
it, each piece for a reason it states: reading posting blocks and field lengths as
whole arrays (searching 100,000 documents in milliseconds), reading a column's bytes
in one call, refreshing a searcher correctly, and the rebuild's bulk segment writer.
It was written against whoosh-reloaded ``WRITTEN_FOR`` exactly;
tests/search/test_whoosh_internals.py fails on any other version and exercises each
piece on a real index, so an upgrade of Whoosh is a deliberate review of this file
and nothing else.
"""

from __future__ import annotations

from array import array

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

WRITTEN_FOR = "2.7.5"
VERSION = whoosh.versionstring()

# A field's length as BM25 sees it, by the byte Whoosh stores it in.
_LENGTH_OF_BYTE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


def refreshed(ix, old: Searcher) -> tuple[Searcher, int]:
    """Return a searcher on the latest commit of ``ix`` and its generation; closes the readers it drops.

    Whoosh's own ``Searcher.refresh()`` is unsafe: it reuses a segment's reader even when
    the commit added deletions to that segment (an updated or deleted document stays
    findable), and it keeps segments that a merge removed (old copies turn up twice).
    This builds the new reader from the latest table of contents instead, reusing a
    reader only when its segment is unchanged. ``old`` must not be used afterwards: it
    shares segment readers with the result.
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


def segments(ix) -> list:
    """Return the segments of the latest commit of ``ix`` (its table of contents)."""
    return list(ix._read_toc().segments)


def field_lengths(sub, fieldname: str) -> np.ndarray | None:
    """Return the lengths of ``fieldname`` in one segment reader's documents (None when not scored).

    Whoosh keeps field lengths in a per-segment column of bytes behind a private
    reader; BM25 over whole arrays needs all of them at once.
    """
    perdoc = sub._perdoc
    if not perdoc.has_column(_lenfield(fieldname)):
        return None
    column = perdoc.column_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    return _LENGTH_OF_BYTE[np.fromiter(column, dtype=np.uint8, count=sub.doc_count_all())]


def posting_arrays(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Return the document numbers and term frequencies of one term in one segment.

    Reads W3LeafMatcher's posting blocks whole: ~50x faster than stepping through them id by id.
    """
    if isinstance(matcher, FilterMatcher):  # the wrapper that hides deleted documents
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):  # short lists are held in memory
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32)
    blocks, frequencies = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        blocks.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))  # stored as differences
        count = len(block_ids)
        if block_weights is None:
            frequencies.append(np.ones(count, dtype=np.float32))
        elif isinstance(block_weights, float):
            frequencies.append(np.full(count, block_weights, dtype=np.float32))
        else:
            frequencies.append(np.asarray(block_weights, dtype=np.float32))
        matcher._next_block()
    if not blocks:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(blocks), np.concatenate(frequencies)


def column_bytes(column, count: int) -> tuple[np.ndarray, bytes]:
    """Return each document's value length and all values back to back, of a bytes column.

    A VarBytesColumn's values lie back to back in the file: one read for all of them
    instead of one call per document.
    """
    lengths = getattr(column, "_lengths", None)
    if lengths is not None:
        sizes = np.asarray(lengths, dtype=np.int64)
        return sizes, column._dbfile.get(column._basepos, int(sizes.sum()))
    values = [bytes(v) for v in column] if column is not None else [b""] * count
    return np.array([len(v) for v in values], dtype=np.int64), b"".join(values)


def frequency_bytes(count: int) -> bytes:
    """Return a term frequency encoded as Whoosh's Frequency format stores it in a posting."""
    return pack_uint(count)


# ---- the rebuild's bulk writer ---------------------------------------------------------
#
# A Whoosh segment writer for building the index in bulk: postings grouped by term.
# Whoosh's SegmentWriter puts every posting of every document into a pool as a tuple,
# sorts the pool (spilling sorted runs to disk past ``limitmb`` and merging them back),
# then writes the postings one Python call at a time. For a rebuild that was most of
# the time and memory. Documents arrive in document-number order, so this writer keeps
# each term's postings in compact arrays as they come — already in order — and at the
# commit sorts only the terms and writes each posting list a whole block at a time with
# Whoosh's own block writer. The files are the same as SegmentWriter writes.
#
# Only for adding documents to a fresh segment: the commit never merges segments (that
# would route other segments' postings through the pool), and fields with term vectors
# or separate spelling words are not supported.

# Field length as Whoosh's postings see it, by the stored length byte (0 = no length).
_POSTING_LENGTH_OF_BYTE = [None] + [byte_to_length(b) for b in range(1, 256)]


class _TermPostings:
    """The postings of one term in the segment being built."""

    __slots__ = ("docnums", "values", "weights")

    def __init__(self) -> None:
        self.docnums = array("I")
        self.weights = array("d")  # doubles: the exact weights Whoosh's writer would see
        self.values: list[bytes] = []


class BuildWriter(SegmentWriter):
    """SegmentWriter whose postings bypass the sorting pool (see the module docstring)."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                self.cancel()
                raise ValueError(f"BuildWriter cannot write field {name!r} (vectors or spelling words)")
        self._terms: dict[str, dict[bytes, _TermPostings]] = {}
        self._values: dict[bytes, bytes] = {}  # one shared object per distinct value

    def add_document(self, **fields) -> None:
        """Add one document (same arguments as SegmentWriter.add_document)."""
        self._check_state()
        docnum = self.docnum
        perdoc = self.perdocwriter
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(self.schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is not None:
                    self._add_field(perdoc, docnum, name, value, fields, docboost)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field(self, perdoc, docnum: int, name: str, value, fields: dict, docboost: float) -> None:
        field = self.schema[name]
        length = 0
        if field.indexed:
            boost = self._field_boost(fields, name, docboost)
            terms = self._terms.setdefault(name, {})
            # Fixed-size values are joined into one string per block, so equal ones can
            # share one object; others are pickled, where sharing would change the bytes.
            fixed = (field.format.fixed_value_size() or 0) > 0
            shared = self._values.setdefault if fixed else _same
            for btext, freq, weight, vbytes in field.index(value):
                postings = terms.get(btext)
                if postings is None:
                    postings = terms[btext] = _TermPostings()
                postings.docnums.append(docnum)
                postings.weights.append(weight * boost)
                postings.values.append(shared(vbytes, vbytes))
                length += freq
            if not field.scorable:
                length = 0
        stored = fields.get(f"_stored_{name}", value)
        perdoc.add_field(name, field, stored if field.stored else None, length)
        if field.column_type and stored is not None:
            perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))

    def commit(self, mergetype=None, optimize=False, merge=False) -> None:
        """Write the segment and the table of contents; never merges (see the module docstring)."""
        if mergetype is not None or optimize or merge:
            raise ValueError("BuildWriter commits without merging segments")
        super().commit(merge=False)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        try:
            fieldwriter = self.fieldwriter
            for name in sorted(self._terms):
                terms = self._terms[name]
                field_lengths = _field_lengths(lengths, name)
                fieldwriter.start_field(name, self.schema[name])
                for btext in sorted(terms):
                    _write_term(fieldwriter, btext, terms[btext], field_lengths)
                fieldwriter.finish_field()
                del self._terms[name]  # free the memory as we go
            fieldwriter.close()
        finally:
            lengths.close()


def _same(value: bytes, _default: bytes) -> bytes:
    return value


def _field_lengths(lengths, name: str) -> list | None:
    """Return each document's length of field ``name`` as the postings record it (None: none)."""
    if not lengths.has_column(_lenfield(name)):
        return None
    column = lengths.column_reader(_lenfield(name), LENGTHS_COLUMN)
    return [_POSTING_LENGTH_OF_BYTE[b] for b in column]


def _write_term(fieldwriter, btext: bytes, postings: _TermPostings, field_lengths: list | None) -> None:
    """Write one posting list, a block at a time, as W3PostingsWriter.add_posting would."""
    fieldwriter.start_term(btext)
    writer = fieldwriter._postwriter
    limit = writer._blocklimit
    docnums, weights, values = postings.docnums, postings.weights, postings.values
    count = len(docnums)
    for start in range(0, count, limit):
        end = min(start + limit, count)
        writer._ids = docnums[start:end]
        block_weights = weights[start:end]
        writer._weights = array("f", block_weights)
        writer._maxweight = max(0, max(block_weights))
        writer._values = [v for v in values[start:end] if v]  # as add_posting: empty values are left out
        known = [] if field_lengths is None else [n for n in map(field_lengths.__getitem__, writer._ids) if n]
        writer._minlength = min(known) if known else None
        writer._maxlength = max(known) if known else 0
        if end < count:  # the last block is written by finish_term, marked as the last
            writer._write_block()
    fieldwriter.finish_term()
