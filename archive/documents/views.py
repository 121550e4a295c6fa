"""What the archive hands back: the outcome of filing a file, a document's full view.

``to_json`` gives exactly the fields DESIGN.md promises to the CLI and the API.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from archive.documents.provenance import stack_pages_of
from archive.errors import Message, Templated

# Facts shared by `ingest --json` and `show --json`, straight from the document row.
FACT_FIELDS = ("document_type", "client_id", "document_date", "amount", "currency", "iban", "reference", "language")


@dataclass(frozen=True)
class IngestOutcome:
    """The result of filing one file."""

    source: str
    status: str  # filed | duplicate | failed | queued (stored; a worker reads and files it)
    id: int | None = None
    duplicate_of: int | None = None
    error: str | None = None
    sha256: str | None = None
    pages: int | None = None
    ocr: bool | None = None
    document_type: str | None = None
    client_id: str | None = None
    document_date: str | None = None
    amount: str | None = None
    currency: str | None = None
    iban: str | None = None
    reference: str | None = None
    language: str | None = None  # nl | en
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)
    channel: str | None = None
    stack_sha256: str | None = None  # the kept original of the stack this document was cut from
    stack_pages: list[int] | None = None  # [first, last] page of that stack, 1-based
    mail_message_id: str | None = None
    mail_from: str | None = None
    mail_subject: str | None = None
    mail_date: str | None = None  # when the message was sent (ISO)
    # Why it failed as a message (code, template, values), worded in the page's language;
    # ``error`` is its English sentence, which the command line and the JSON show.
    failure: Message | None = field(default=None, compare=False, repr=False)

    @classmethod
    def failed(cls, source: str, failure: Templated, **fields: Any) -> IngestOutcome:
        """Return the outcome of a file that was not filed, and why."""
        message = Message.of(failure)
        return cls(source=source, status="failed", error=str(message), failure=message, **fields)

    def to_json(self) -> dict[str, Any]:
        """Return the fields DESIGN.md names, and the failure's code (``error_code``) beside its sentence."""
        shown = asdict(dataclasses.replace(self, failure=None))
        del shown["failure"]
        return {**shown, "error_code": self.failure.code if self.failure else None}


def outcome_from_row(source: str, status: str, row: sqlite3.Row, duplicate_of: int | None = None) -> IngestOutcome:
    """Return the outcome for a document row (filed, or the original of a duplicate)."""
    return IngestOutcome(
        source=source,
        status=status,
        id=row["id"] if status == "filed" else None,
        duplicate_of=duplicate_of,
        sha256=row["sha256"],
        pages=row["pages"],
        ocr=None if row["ocr"] is None else bool(row["ocr"]),
        needs_review=bool(row["needs_review"]),
        review_reasons=json.loads(row["review_reasons"]),
        **{name: row[name] for name in FACT_FIELDS},
        **provenance_fields(row),
    )


def summarize(outcomes: list[IngestOutcome], sha256: str) -> IngestOutcome:
    """One outcome for a file that became several documents (a stack, a message), for the inbox.

    Failed when any document failed (the file is set aside: nothing is lost); else filed
    when any is new, else a duplicate. Its sha256 is the file's: the stack's or the
    message's own original, kept in the store.
    """
    if len(outcomes) == 1 and not (outcomes[0].stack_sha256 or outcomes[0].mail_message_id):
        return outcomes[0]
    failed = next((o for o in outcomes if o.status == "failed"), None)
    if failed is not None:
        return dataclasses.replace(failed, sha256=sha256)
    filed = next((o for o in outcomes if o.status == "filed"), None)
    first = filed or outcomes[0]
    return IngestOutcome(
        source=first.source,
        status=first.status,
        id=first.id,
        duplicate_of=first.duplicate_of,
        sha256=sha256,
        channel=first.channel,
    )


def provenance_fields(row: sqlite3.Row) -> dict[str, Any]:
    """The channel, stack and mail fields of a document row, as DESIGN names them."""
    return {
        "channel": row["channel"],
        "stack_sha256": row["stack_sha256"],
        "stack_pages": stack_pages_of(row),
        "mail_message_id": row["mail_message_id"],
        "mail_from": row["mail_from"],
        "mail_subject": row["mail_subject"],
        "mail_date": row["mail_date"],
    }


@dataclass(frozen=True)
class DocumentView:
    """Everything a person may see of one document (BSN masked by role)."""

    id: int
    state: str
    sha256: str
    title: str | None
    original_filename: str
    mime_type: str | None
    created_at: str
    filed_at: str | None
    pages: int | None
    ocr: bool | None
    ocr_confidence: float | None
    document_type: str | None
    client_id: str | None
    document_date: str | None
    amount: str | None
    currency: str | None
    iban: str | None
    reference: str | None
    bsn: str | None
    needs_review: bool
    review_reasons: list[str]
    retention_until: str | None
    retention_rule: str | None
    legal_hold: bool
    holds: list[dict[str, Any]]
    has_rendition: bool
    channel: str
    size: int
    text: str
    page_texts: list[str] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    tombstone: dict[str, Any] | None = None
    stack_sha256: str | None = None
    stack_pages: list[int] | None = None
    mail_message_id: str | None = None
    mail_from: str | None = None
    mail_subject: str | None = None
    title_set_by: str | None = None  # None: the title follows the facts
    tags: list[str] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    custom: dict[str, str] = field(default_factory=dict)
    mail_date: str | None = None  # when the message was sent (ISO)
    vat_rates: list[dict[str, Any]] = field(default_factory=list)  # an e-invoice's VAT per rate
    stack_name: str | None = None  # the file name the stack came in as
    # The other documents of the same stack or message: id, title, stack_pages, original_filename, state.
    related: list[dict[str, Any]] = field(default_factory=list)
    language: str | None = None  # nl | en
    # Whether a BSN stands anywhere in the document (fact, text, title, notes), masked or not:
    # only then is there something to reveal.
    has_bsn: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["source"] = self.original_filename
        data["status"] = self.state
        data["duplicate_of"] = None
        data["error"] = None
        return data
