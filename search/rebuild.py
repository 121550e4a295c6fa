"""Rebuilding the index from the database: beside the live one, then swapped in.

The new index is written to ``<path>/build`` in batches, each its own commit, so an
interrupted rebuild resumes where it stopped (documents already in the build are
skipped) and memory stays bounded by the writer's pool. When all documents are in,
the build becomes the live generation in one atomic rename of the CURRENT pointer;
searches use the old index until then.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index

from search import location
from search.columns import Vocabulary, build_table
from search.documents import IndexedDocument
from search.errors import IndexBusy
from search.schema import INDEX_NAME, document_fields
from search.settings import SearchSettings
from search.writing import open_writer

log = logging.getLogger(__name__)
# How often (in documents) progress is reported.
PROGRESS_EVERY = 100


def rebuild_index(
    path: Path,
    settings: SearchSettings,
    documents: Iterable[IndexedDocument],
    total: int,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Build a fresh index of ``documents`` beside the live one and swap it in atomically.

    ``progress`` is called with the number of documents done since its last call (so
    ``tqdm.update`` fits); the calls add up to the number of documents.
    Raises IndexBusy when another rebuild is running.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    build = path / location.BUILD
    ix = _open_build(build)
    already = _ids_in(ix)
    if already:
        log.info("resuming index rebuild: %d of %d documents already built", len(already), total)
    seen = _write_batches(ix, settings, documents, already, progress)
    _finish(ix, settings, already - seen)
    folder = location.swap_in(path, build)
    location.remove_old_generations(path, keep=folder)
    log.info("index rebuilt: %d documents", len(seen))


def _open_build(build: Path):
    """Return the partial build to resume, or a new empty one."""
    if build.is_dir():
        try:
            return whoosh_index.open_dir(str(build), indexname=INDEX_NAME)
        except Exception as exc:  # a build of an older schema or a half-made folder: start over
            log.warning("discarding unusable partial index build in %s: %r", build, exc)
            shutil.rmtree(build)
    location.create_generation(build)
    return whoosh_index.open_dir(str(build), indexname=INDEX_NAME)


def _ids_in(ix) -> set[int]:
    with ix.searcher() as searcher:
        table = build_table(searcher.reader(), {}, Vocabulary())
        return set(table.docid[table.live].tolist())


def _writer(ix, settings: SearchSettings, bulk: bool = False):
    busy = IndexBusy("index.rebuild_running", "Another rebuild of the search index is running; wait for it to finish.")
    return open_writer(ix, settings, busy, bulk)


def _write_batches(
    ix,
    settings: SearchSettings,
    documents: Iterable[IndexedDocument],
    already: set[int],
    progress: Callable[[int], None] | None,
) -> set[int]:
    """Add the documents not yet in the build, committing every batch; return all ids seen."""
    seen: set[int] = set()
    writer = None
    pending = 0
    try:
        for doc in documents:
            if doc.id not in already and doc.id not in seen:
                writer = writer or _writer(ix, settings, bulk=True)
                writer.add_document(**document_fields(doc, settings.stored_text_chars))
                pending += 1
            seen.add(doc.id)
            if writer is not None and pending >= settings.rebuild_batch_size:
                # No merging while building: merging as we go rewrites every posting
                # several times over.
                writer.commit(merge=False)
                writer, pending = None, 0
            if progress is not None and len(seen) % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
    except BaseException:
        # An interrupted build lets go of its write lock now, not when the writer is
        # collected: a resumed build must not wait for it and give up as busy.
        if writer is not None:
            writer.cancel()
        raise
    if writer is not None:
        writer.commit(merge=False)
    if progress is not None and len(seen) % PROGRESS_EVERY:
        progress(len(seen) % PROGRESS_EVERY)
    return seen


def _finish(ix, settings: SearchSettings, stale: set[int]) -> None:
    """Drop documents built before an interruption that are no longer in the archive."""
    # The batches are not merged into one segment: Whoosh merges by pooling every
    # posting again, which costs as much as the whole build, and a handful of
    # segments of rebuild_batch_size documents each searches nearly as fast as one.
    if stale:
        writer = _writer(ix, settings)
        for document_id in stale:
            writer.delete_by_term("id", str(document_id))
        writer.commit(merge=False)
