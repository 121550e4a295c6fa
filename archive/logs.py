"""Keep BSNs (Dutch citizen service numbers) out of every log line.

File names come from clerks and scanners, and a scan named after the client's BSN
is common; any module may log a name. A filter on the log handlers masks every
valid BSN in the finished message, so no caller has to remember.
"""

from __future__ import annotations

import logging
import re

from stdnum.nl import bsn as bsn_number

_BSN_LIKE = re.compile(r"(?<!\d)(\d{4}[.\- ]?\d{2}[.\- ]?\d{3}|\d{9})(?!\d)")


def redact(text: str) -> str:
    """Return ``text`` with every valid BSN (also written 1234.56.782) masked."""
    def mask(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "*********" if bsn_number.is_valid(digits) else match.group(0)

    return _BSN_LIKE.sub(mask, text)


class RedactBsn(logging.Filter):
    """A handler filter that masks BSNs in the formatted message (and its traceback text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redact_all_handlers(logger: logging.Logger | None = None) -> None:
    """Put the BSN filter on every handler of ``logger`` (default: the root logger), once."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactBsn) for f in handler.filters):
            handler.addFilter(RedactBsn())
