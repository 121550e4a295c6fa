"""Fixity of derivatives: a searchable PDF or thumbnail found altered is rebuilt from its original.

A derivative is not a record — the original is — so one that no longer matches the hash
recorded when it was made is not a loss: it is rebuilt from the original (in a reading
worker) and the rebuild is audited, naming the document and the derivative. Only when it
cannot be rebuilt is it a problem. A document whose original is itself missing or altered
is left to the originals' fixity report, which calls that a loss.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from archive.access.actors import Actor
from archive.clock import iso
from archive.core import Core
from archive.documents.reader import RENDITION_KIND, DocumentReader
from archive.errors import Message
from ingest.thumbnail import THUMBNAIL_KIND
from storage import derivatives_repo, documents_repo
from storage.filestore import hash_file

log = logging.getLogger(__name__)

# What each derivative is called in a sentence (a thumbnail of an earlier release was a PNG).
DERIVATIVE_NAMES = {
    RENDITION_KIND: Message("derivative.rendition", "searchable PDF"),
    THUMBNAIL_KIND: Message("derivative.thumbnail", "thumbnail"),
    "thumb.png": Message("derivative.thumbnail", "thumbnail"),
}


@dataclass(frozen=True)
class DerivativeFinding:
    """One derivative that did not match its recorded hash, and what was done about it."""

    document_id: int
    kind: str
    rebuilt: bool

    def message(self) -> Message:
        """The sentence for the report: rebuilt (a note), or not (a problem)."""
        name = DERIVATIVE_NAMES.get(self.kind, Message("derivative.other", "derivative"))
        if self.rebuilt:
            return Message(
                "fixity.derivative_rebuilt",
                "Document {id}: its {derivative} was altered or replaced; it was rebuilt from the original.",
                {"id": self.document_id, "derivative": name},
            )
        return Message(
            "fixity.derivative_not_rebuilt",
            "Document {id}: its {derivative} was altered or replaced and could not be rebuilt from the "
            "original; the details are in the log.",
            {"id": self.document_id, "derivative": name},
        )

    def to_json(self) -> dict[str, object]:
        return {"document_id": self.document_id, "derivative": self.kind, "rebuilt": self.rebuilt}


@dataclass(frozen=True)
class DerivativeReport:
    checked: int
    findings: tuple[DerivativeFinding, ...]
    recorded_now: int  # derivatives made before their hashes were kept: recorded as found

    @property
    def problems(self) -> tuple[DerivativeFinding, ...]:
        return tuple(f for f in self.findings if not f.rebuilt)


class DerivativeFixity:
    """Checks the derivatives of every filed document against their recorded hashes."""

    def __init__(self, core: Core, reader: DocumentReader) -> None:
        self._core = core
        self._reader = reader

    def check(
        self, actor: Actor, lost: Collection[int] = (), progress: Callable[[int], None] | None = None
    ) -> DerivativeReport:
        """Re-hash every derivative; rebuild (audited) those altered. ``lost``: documents whose
        original is missing or altered, left alone (nothing true to rebuild from)."""
        core = self._core
        checked, recorded_now, findings = 0, 0, []
        for document_id, sha256, mime_type in derivatives_repo.kept_documents(core.db.read()):
            if document_id in lost:
                continue
            for kind, path in _present(core, sha256):
                checked += 1
                digest, size = hash_file(path)
                # Read per derivative: rebuilding the searchable PDF draws the thumbnail anew too.
                recorded = derivatives_repo.recorded(core.db.read(), sha256)
                if kind not in recorded:
                    self._record(sha256, kind, digest, size)
                    recorded_now += 1
                elif digest != recorded[kind]:
                    findings.append(self._rebuild(actor, document_id, sha256, mime_type, kind, path, digest))
            if progress:
                progress(1)
        return DerivativeReport(checked=checked, findings=tuple(findings), recorded_now=recorded_now)

    def _record(self, sha256: str, kind: str, digest: str, size: int) -> None:
        with self._core.db.atomic() as conn:
            derivatives_repo.record(conn, sha256, kind, digest, size, iso(self._core.clock.now()))

    def _rebuild(
        self, actor: Actor, document_id: int, sha256: str, mime_type: str | None, kind: str, path: Path, found: str
    ) -> DerivativeFinding:
        # The altered bytes go first: a page must never show them, whatever the rebuild does.
        path.unlink(missing_ok=True)
        try:
            if kind == RENDITION_KIND:
                self._reader.rebuild_derivatives(sha256)
                rebuilt = self._core.store.derivative_path(sha256, RENDITION_KIND).exists()
            else:
                rebuilt = self._reader.rebuild_thumbnail(document_id, sha256, mime_type) is not None
        except Exception:  # a rebuild that fails is reported, never the end of the check
            log.exception("Rebuilding the %s of document %s failed", kind, document_id)
            rebuilt = False
        row = documents_repo.get_document(self._core.db.read(), document_id)
        self._core.audit.record(
            actor,
            "derivative_rebuilt" if rebuilt else "derivative_lost",
            document_id,
            client_id=row["client_id"] if row else None,
            details={"derivative": kind, "found_sha256": found},
        )
        finding = DerivativeFinding(document_id, kind, rebuilt)
        log.warning("Fixity: %s", finding.message())
        return finding


def _present(core: Core, sha256: str) -> list[tuple[str, Path]]:
    """The derivatives of an original that are in the store now, by kind."""
    folder = core.store.derivative_path(sha256, "x").parent
    found = []
    for path in sorted(folder.glob(f"{sha256}.*")):
        kind = path.name.split(".", 1)[1]
        if kind in DERIVATIVE_NAMES and path.is_file():
            found.append((kind, path))
    return found
