"""Where a document came from when it was not a file of its own: a stack's pages, a mail message."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Provenance:
    """What the filing path records besides the file itself."""

    original_filename: str | None = None  # the name to show (an attachment's, a part's)
    source: str | None = None  # where it came from, as shown ("inbox/stapel.pdf, pages 3-5")
    stack_id: int | None = None
    stack_sha256: str | None = None
    stack_pages: tuple[int, ...] = ()  # the stack's pages (1-based) this document is made of
    mail_message_id: str | None = None
    mail_from: str | None = None
    mail_subject: str | None = None
    mail_date: str | None = None  # ISO

    def columns(self) -> dict[str, Any]:
        """The document columns to set (storage.intake_repo.set_provenance)."""
        values: dict[str, Any] = {}
        if self.stack_id is not None:
            values.update(
                stack_id=self.stack_id,
                stack_sha256=self.stack_sha256,
                stack_first=self.stack_pages[0],
                stack_last=self.stack_pages[-1],
                stack_page_list=json.dumps(list(self.stack_pages)),
            )
        if self.mail_message_id is not None:
            values.update(
                mail_message_id=self.mail_message_id,
                mail_from=self.mail_from,
                mail_subject=self.mail_subject,
                mail_date=self.mail_date,
            )
        return values

    def audit_details(self) -> dict[str, Any]:
        """What the `receive` audit entry says about it."""
        details: dict[str, Any] = {}
        if self.stack_id is not None:
            details.update(
                stack_sha256=self.stack_sha256,
                stack_pages=[self.stack_pages[0], self.stack_pages[-1]],
                stack_page_list=list(self.stack_pages),
            )
        if self.mail_message_id is not None:
            details.update(
                mail_message_id=self.mail_message_id,
                mail_from=self.mail_from,
                mail_subject=self.mail_subject,
                mail_date=self.mail_date,
            )
        return details


def stack_pages_of(row: Any) -> list[int] | None:
    """The DESIGN `stack_pages` value, [first, last], of a document row (None when not from a stack)."""
    try:
        first, last = row["stack_first"], row["stack_last"]
    except (IndexError, KeyError):
        return None
    return [first, last] if first is not None else None
