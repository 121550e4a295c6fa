"""An e-mail message filed as its documents: every attachment that is one, or its body.

The same for a message fetched over IMAP and for an ``.eml``/``.msg`` file in the
inbox. Each Message-ID is filed once: the message is written down before its parts
are filed and marked filed only once every document is committed; a message met
again after an interruption has its already-filed parts recognised (same bytes, same
Message-ID), not counted as duplicates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from archive.access.actors import Actor
from archive.clock import iso
from archive.core import Core
from archive.documents.filing import FilingHints, shown_path
from archive.documents.provenance import Provenance
from archive.documents.views import IngestOutcome, outcome_from_row
from archive.errors import Message
from ingest.containers import MSG_MIME
from ingest.errors import EmptyDocument, IngestError, UnsupportedFormat
from ingest.formats import EML, MAIL, Format, detect_format
from ingest.mail import MailMessage, MailPart, SelectionRules, parse_eml, parse_msg, select_documents
from ingest.mail.message import safe_filename
from ingest.values import mask_bsns
from storage import intake_repo

FileOne = Callable[[Path, Actor, FilingHints, str, Provenance], IngestOutcome]
log = logging.getLogger(__name__)

NO_DOCUMENTS = Message(
    "mail.no_documents",
    "This message has no attachment that is a document, and its text is not filed (mail.file_bodies is off).",
)
_NESTED_DEPTH = 3  # a forwarded message inside a forwarded message…


@dataclass(frozen=True)
class MessageResult:
    """How one message was filed: an outcome per document, and whether all of it went in."""

    outcomes: tuple[IngestOutcome, ...]
    skipped: tuple[dict[str, str], ...]
    error: Message | None = None  # why the message as a whole is not filed

    @property
    def filed(self) -> bool:
        return self.error is None


class MessageFiler:
    """Files messages for one Archive."""

    def __init__(self, core: Core, file_one: FileOne) -> None:
        """`file_one` files one file as one document (the Filer's path)."""
        self._core = core
        self._file = file_one

    @property
    def rules(self) -> SelectionRules:
        mail = self._core.config.mail
        return SelectionRules(mail.min_image_bytes, mail.min_image_pixels, mail.inline_image_max_bytes)

    def file_message_file(
        self, path: Path, fmt: Format, actor: Actor, hints: FilingHints, channel: str
    ) -> list[IngestOutcome]:
        """File an .eml or .msg file by its documents; one outcome per document (a failed one if none)."""
        shown = shown_path(path)
        try:
            message = parse_msg(path) if fmt.mime_type == MSG_MIME else parse_eml(path.read_bytes())
        except IngestError as exc:
            return [IngestOutcome.failed(shown, exc, channel=channel)]
        result = self.file_message(message, path, fmt.mime_type, channel, actor, hints, channel, shown)
        if result.outcomes:
            return list(result.outcomes)
        return [
            IngestOutcome.failed(
                shown,
                result.error or NO_DOCUMENTS,
                channel=channel,
                mail_message_id=message.message_id,
                mail_from=message.sender,
                mail_subject=message.subject,
                mail_date=_sent(message),
            )
        ]

    def file_message(
        self,
        message: MailMessage,
        original: Path,
        mime_type: str,
        account: str,
        actor: Actor,
        hints: FilingHints,
        channel: str,
        shown: str,
        depth: int = 0,
    ) -> MessageResult:
        """File one message (its original at `original`); see the module's docstring."""
        known = intake_repo.find_message(self._core.db.read(), message.message_id)
        if known is not None and known["state"] == "filed":
            return self._seen_before(message, shown, channel)
        self._begin(message, original, account, channel)
        selection = select_documents(message, self.rules)
        skipped = [{"filename": part.filename, "reason": reason} for part, reason in selection.skipped]
        work = self._core.store.temp_dir()
        try:
            outcomes: list[IngestOutcome] = []
            for number, part in enumerate(selection.documents, 1):
                outcomes.extend(
                    self._file_part(
                        message, part, work / str(number), account, actor, hints, channel, shown, skipped, depth
                    )
                )
            if not outcomes and self._core.config.mail.file_bodies and message.text.strip():
                outcomes.append(self._file_body(message, original, mime_type, work, actor, hints, channel, shown))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        error = _error_of(outcomes)
        self._end(message, outcomes, skipped, error, account, actor)
        return MessageResult(tuple(outcomes), tuple(skipped), error)

    def _file_part(
        self,
        message: MailMessage,
        part: MailPart,
        folder: Path,
        account: str,
        actor: Actor,
        hints: FilingHints,
        channel: str,
        shown: str,
        skipped: list[dict[str, str]],
        depth: int,
    ) -> list[IngestOutcome]:
        folder.mkdir(parents=True)
        target = folder / part.filename
        target.write_bytes(part.data)
        try:
            fmt = detect_format(target)
        except (UnsupportedFormat, EmptyDocument) as exc:
            skipped.append({"filename": part.filename, "reason": f"not_a_document: {exc}"})
            return []
        if fmt.family == MAIL and depth < _NESTED_DEPTH:
            return self._file_forwarded(
                target, fmt, account, actor, hints, channel, f"{shown} → {part.filename}", depth
            )
        done = intake_repo.document_of_message(
            self._core.db.read(), message.message_id, hashlib.sha256(part.data).hexdigest()
        )
        if done is not None and done["state"] == "filed":
            return [self._with_mail(outcome_from_row(f"{shown} → {part.filename}", "filed", done), message)]
        provenance = _provenance(message, part.filename, f"{shown} → {part.filename}")
        return [self._with_mail(self._file(target, actor, hints, channel, provenance), message)]

    def _file_forwarded(
        self,
        path: Path,
        fmt: Format,
        account: str,
        actor: Actor,
        hints: FilingHints,
        channel: str,
        shown: str,
        depth: int,
    ) -> list[IngestOutcome]:
        """A message forwarded as an attachment is filed as a message of its own."""
        try:
            inner = parse_msg(path) if fmt.mime_type == MSG_MIME else parse_eml(path.read_bytes())
        except IngestError as exc:
            return [IngestOutcome.failed(shown, exc, channel=channel)]
        result = self.file_message(inner, path, fmt.mime_type, account, actor, hints, channel, shown, depth + 1)
        if result.outcomes or result.error is None:
            return list(result.outcomes)
        return []  # a forwarded note without documents adds nothing; the outer message still files

    def _file_body(
        self,
        message: MailMessage,
        original: Path,
        mime_type: str,
        work: Path,
        actor: Actor,
        hints: FilingHints,
        channel: str,
        shown: str,
    ) -> IngestOutcome:
        """The message itself as the document: its original, read as headers and text."""
        suffix = ".msg" if mime_type == MSG_MIME else ".eml"
        name = safe_filename(f"{message.subject or 'bericht'}{suffix}", mime_type or EML, 1)
        target = work / "body" / name
        target.parent.mkdir(parents=True)
        shutil.copyfile(original, target)
        outcome = self._file(target, actor, hints, channel, _provenance(message, name, shown))
        return self._with_mail(outcome, message)

    def _seen_before(self, message: MailMessage, shown: str, channel: str) -> MessageResult:
        rows = intake_repo.message_documents(self._core.db.read(), message.message_id)
        outcomes = tuple(
            self._with_mail(outcome_from_row(shown, "duplicate", row, duplicate_of=row["id"]), message) for row in rows
        ) or (
            IngestOutcome(
                source=shown,
                status="duplicate",
                channel=channel,
                mail_message_id=message.message_id,
                mail_from=message.sender,
                mail_subject=message.subject,
                mail_date=_sent(message),
            ),
        )
        log.info("message %s was filed before; not again", mask_bsns(message.message_id))
        return MessageResult(outcomes, ())

    def _begin(self, message: MailMessage, original: Path, account: str, channel: str) -> None:
        # The message's own bytes are kept too (headers, body, every part): the evidence of what arrived.
        stored = self._core.store.put(original)
        with self._core.db.atomic() as conn:
            intake_repo.insert_message(
                conn,
                {
                    "message_id": message.message_id,
                    "account": account,
                    "channel": channel,
                    "sender": message.sender,
                    "subject": message.subject,
                    "sent_at": _sent(message),
                    "size": stored.size,
                    "raw_sha256": stored.sha256,
                    "received_at": iso(self._core.clock.now()),
                },
            )

    def _end(
        self,
        message: MailMessage,
        outcomes: list[IngestOutcome],
        skipped: list[dict[str, str]],
        error: Message | None,
        account: str,
        actor: Actor,
    ) -> None:
        documents = [o.id or o.duplicate_of for o in outcomes if o.status != "failed"]
        with self._core.db.atomic() as conn:
            intake_repo.end_message(
                conn,
                message.message_id,
                "failed" if error else "filed",
                [d for d in documents if d is not None],
                skipped,
                str(error) if error else None,
                iso(self._core.clock.now()),
            )
            self._core.audit.record(
                actor,
                "mail_failed" if error else "mail_filed",
                details={
                    "mail_message_id": message.message_id,
                    "account": account,
                    "mail_from": message.sender,
                    "mail_subject": message.subject,
                    "documents": documents,
                    "skipped": skipped,
                    **({"reason": str(error), "message": error.as_json()} if error else {}),
                },
            )

    @staticmethod
    def _with_mail(outcome: IngestOutcome, message: MailMessage) -> IngestOutcome:
        return dataclasses.replace(
            outcome,
            mail_message_id=message.message_id,
            mail_from=message.sender,
            mail_subject=message.subject,
            mail_date=_sent(message),
            channel=outcome.channel,
        )


def _provenance(message: MailMessage, filename: str, source: str) -> Provenance:
    return Provenance(
        original_filename=filename,
        source=source,
        mail_message_id=message.message_id,
        mail_from=message.sender,
        mail_subject=message.subject,
        mail_date=_sent(message),
    )


def _sent(message: MailMessage) -> str | None:
    """When the message says it was sent (ISO), as every outcome and document row records it."""
    return message.date.isoformat() if message.date else None


def _error_of(outcomes: list[IngestOutcome]) -> Message | None:
    """Why the message as a whole is not filed: a document that failed, or none at all."""
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        names = ", ".join(Path(o.source).name.split(" → ")[-1] for o in failed)
        reason = failed[0].failure or failed[0].error
        return Message(
            "mail.documents_failed",
            "{failed} of {count} documents could not be filed ({names}): {reason}",
            {"failed": len(failed), "count": len(outcomes), "names": names, "reason": reason},
        )
    return None if outcomes else NO_DOCUMENTS
