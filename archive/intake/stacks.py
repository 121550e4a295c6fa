"""A scanned stack filed as one document per part, cut at its separator sheets.

    what each page is (in a reading worker) ─► no separator sheets: filed whole, its text
    layers not read again ─► else keep the stack (store + row) ─► parts ─► for each part:
    its pages cut into a PDF of their own ─► filed like any file, naming the stack and pages

The stack's original is kept and checked by ``archive verify``; cutting is
deterministic, so a stack filed again (or resumed after a crash) gives the same
parts, which the filing path recognises by their bytes.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Protocol

from archive.access.actors import Actor
from archive.clients import ClientService
from archive.clock import iso
from archive.core import Core
from archive.documents.filing import FilingHints, shown_name
from archive.documents.provenance import Provenance
from archive.documents.reader import DocumentReader
from archive.documents.views import IngestOutcome
from ingest.errors import IngestError
from ingest.formats import Format
from ingest.sniff import PDF
from ingest.stacks import Part, Separator, cut_pages, has_separators, image_stack_pdf, split_stack
from storage import intake_repo


class FileOne(Protocol):
    """Files one file as one document (``Filer.file``)."""

    def __call__(
        self,
        source: Path,
        actor: Actor,
        hints: FilingHints,
        channel: str,
        provenance: Provenance = ...,
        text_layers: tuple[str, ...] | None = None,
        work_dir: Path | None = None,
    ) -> IngestOutcome: ...


log = logging.getLogger(__name__)


class StackFiler:
    """Cuts stacks into documents for one Archive."""

    def __init__(self, core: Core, file_one: FileOne, reader: DocumentReader, clients: ClientService) -> None:
        """`file_one` files one file as one document (the Filer's path); `reader` looks at the pages."""
        self._core = core
        self._file = file_one
        self._reader = reader
        self._clients = clients

    def file(
        self, path: Path, fmt: Format, actor: Actor, hints: FilingHints, channel: str, shown: str
    ) -> list[IngestOutcome]:
        """File a scan by its parts when it has separator sheets, else whole as one document."""
        settings = self._core.config.ingest
        if not settings.find_separators:
            return [self._file(path, actor, hints, channel)]
        work = self._core.store.temp_dir()
        try:
            parts, page_count, texts = self._parts(path, fmt, work, settings.drop_blank_pages)
            if parts:
                stack = self._keep_stack(path, fmt, actor, channel, shown, page_count)
                source = path if fmt.mime_type == PDF else image_stack_pdf(path, work / "stack.pdf")
                outcomes = self._file_parts(source, stack, parts, work, actor, hints, channel, shown)
            else:
                # Read in the folder the look used: a work folder made and removed costs ~0.1 ms of CPU.
                outcomes = [self._file(path, actor, hints, channel, text_layers=texts, work_dir=work)]
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if not parts:
            return outcomes
        self._mark_split(stack, outcomes, actor)
        return outcomes

    def _file_parts(
        self,
        source: Path,
        stack,
        parts: tuple[Part, ...],
        work: Path,
        actor: Actor,
        hints: FilingHints,
        channel: str,
        shown: str,
    ) -> list[IngestOutcome]:
        """File the parts side by side, their outcomes in the stack's order.

        Each part's pages are read in parallel already, but one after another the parts
        leave readers idle: on a part's odd last page, and while a part is being filed.
        """
        workers = min(len(parts), self._core.config.ocr.workers or os.cpu_count() or 1)
        if workers <= 1:
            return [self._file_part(source, stack, part, work, actor, hints, channel, shown) for part in parts]
        with ThreadPoolExecutor(workers, thread_name_prefix="stack-part") as pool:
            return list(
                pool.map(lambda part: self._file_part(source, stack, part, work, actor, hints, channel, shown), parts)
            )

    def _parts(
        self, path: Path, fmt: Format, work: Path, drop_blank: bool
    ) -> tuple[tuple[Part, ...], int, tuple[str, ...] | None]:
        """The parts of a stack with separators, else () (also when it cannot be read: the usual path says why).

        With them the page count, and the PDF's text layers when they were read from the file itself.
        """
        try:
            look = self._reader.look_at_stack(path, fmt.mime_type, work)
        except IngestError as exc:
            log.info("%s is not looked at as a stack: %s", shown_name(path), exc)
            return (), 0, None
        if not has_separators(look.kinds):
            return (), len(look.kinds), look.texts
        parts = split_stack(look.kinds, drop_blank)
        if not parts:
            log.warning("%s holds separator sheets and nothing else; it is filed whole", shown_name(path))
        return parts, len(look.kinds), look.texts

    def _keep_stack(self, path: Path, fmt: Format, actor: Actor, channel: str, shown: str, pages: int):
        core = self._core
        stored = core.store.put(path)
        with core.db.atomic() as conn:
            existing = intake_repo.find_stack(conn, stored.sha256)
            if existing is not None:
                return existing
            stack_id = intake_repo.insert_stack(
                conn,
                {
                    "sha256": stored.sha256,
                    "size": stored.size,
                    "mime_type": fmt.mime_type,
                    "original_filename": shown_name(path),
                    "source": shown,
                    "channel": channel,
                    "pages": pages,
                    "created_by": actor.name,
                    "created_at": iso(core.clock.now()),
                },
            )
            core.audit.record(
                actor,
                "stack_received",
                details={
                    "stack_id": stack_id,
                    "sha256": stored.sha256,
                    "filename": shown_name(path),
                    "pages": pages,
                    "channel": channel,
                },
            )
            return intake_repo.get_stack(conn, stack_id)

    def _file_part(
        self, source: Path, stack, part: Part, work: Path, actor: Actor, hints: FilingHints, channel: str, shown: str
    ) -> IngestOutcome:
        span = f"{part.first}-{part.last}" if part.last != part.first else str(part.first)
        target = cut_pages(source, part.pages, work / f"{Path(stack['original_filename']).stem}-p{span}.pdf")
        provenance = Provenance(
            original_filename=target.name,
            source=f"{shown} ({'pages' if '-' in span else 'page'} {span})",
            stack_id=stack["id"],
            stack_sha256=stack["sha256"],
            stack_pages=part.pages,
        )
        outcome = self._file(target, actor, self._hints(hints, part.separator), channel, provenance)
        return dataclasses.replace(
            outcome, channel=channel, stack_sha256=stack["sha256"], stack_pages=[part.first, part.last]
        )

    def _hints(self, given: FilingHints, separator: Separator | None) -> FilingHints:
        """The separator sheet's facts for its part, over those given for the whole stack."""
        if separator is None:
            return given
        client = separator.client_id if separator.client_id and self._clients.get(separator.client_id) else None
        if separator.client_id and client is None:
            log.warning(
                "a separator sheet names client %s, who is not registered; the client is recognised instead",
                separator.client_id,
            )
        kind = separator.document_type if separator.document_type in self._core.config.extraction.types else None
        return FilingHints(
            client_id=client or given.client_id,
            document_type=kind or given.document_type,
            document_date=_date(separator.document_date) or given.document_date,
        )

    def _mark_split(self, stack, outcomes: list[IngestOutcome], actor: Actor) -> None:
        core = self._core
        with core.db.atomic() as conn:
            intake_repo.mark_stack_split(conn, stack["id"], len(outcomes), iso(core.clock.now()))
            core.audit.record(
                actor,
                "stack_split",
                details={
                    "stack_id": stack["id"],
                    "sha256": stack["sha256"],
                    "parts": [
                        {"document_id": o.id or o.duplicate_of, "status": o.status, "stack_pages": o.stack_pages}
                        for o in outcomes
                    ],
                },
            )


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        log.warning("a separator sheet gives the date %r, which is not a date; it is recognised instead", text)
        return None
