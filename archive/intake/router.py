"""Which way a file is filed: a scanned stack by its parts, a message by its documents, else whole.

Every way ends in the one filing path (keep → read → understand → file → audit):
the parts and the attachments are filed by ``Archive.ingest`` like any file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from archive.access.actors import Actor
from archive.access.permissions import Permission, require
from archive.clients import ClientService
from archive.core import Core
from archive.documents.filing import Filer, FilingHints, check_regular_file, shown_path
from archive.documents.reader import DocumentReader
from archive.documents.views import IngestOutcome
from archive.errors import InvalidInput
from archive.intake.messages import MessageFiler
from archive.intake.stacks import StackFiler
from ingest.errors import IngestError
from ingest.formats import MAIL, detect_format
from ingest.stacks import Separator, write_separator_sheets

log = logging.getLogger(__name__)


class Intake:
    """Routes one file to the stack, the message or the single-document way."""

    def __init__(
        self,
        core: Core,
        filer: Filer,
        reader: DocumentReader,
        clients: ClientService,
        check_hints: Callable[[FilingHints], None],
    ) -> None:
        """`check_hints` raises InvalidInput for a client or type that does not exist."""
        self._core = core
        self._filer = filer
        self._check_hints = check_hints
        self.stacks = StackFiler(core, filer.file, reader, clients)
        self.messages = MessageFiler(core, filer.file)

    def file(self, path: Path, actor: Actor, hints: FilingHints, channel: str) -> list[IngestOutcome]:
        """File `path`; one outcome per document it became (a failed one when it became none)."""
        outcomes: list[IngestOutcome] | None
        try:
            check_regular_file(path)  # a pipe or a device would block the sniffing below
            fmt = detect_format(path)
        except (IngestError, OSError):
            return [self._filer.file(path, actor, hints, channel)]  # says why, in the usual words
        if fmt.family == MAIL:
            outcomes = self.messages.file_message_file(path, fmt, actor, hints, channel)
            if outcomes is not None:
                return outcomes
        elif fmt.is_scan:
            return self.stacks.file(path, fmt, actor, hints, channel, shown_path(path))
        return [self._filer.file(path, actor, hints, channel)]

    def separator_sheets(self, target: Path, actor: Actor, hints: FilingHints, count: int = 1) -> Path:
        """Write `count` separator sheets (each giving the following document `hints`) as a PDF; raise InvalidInput."""
        require(actor, Permission.FILE)
        self._check_hints(hints)
        if not 1 <= count <= 500:
            raise InvalidInput("separator.count", "Print between 1 and 500 separator sheets at a time.")
        separator = Separator(
            hints.client_id, hints.document_type, hints.document_date.isoformat() if hints.document_date else None
        )
        labels = {name: rule.label_nl or name for name, rule in self._core.config.extraction.types.items()}
        try:
            return write_separator_sheets(target, [separator] * count, labels)
        except OSError as exc:
            raise InvalidInput(
                "separator.not_written",
                "The sheets could not be written to {target} ({problem}).",
                target=target,
                problem=exc.strerror or exc,
            ) from exc
