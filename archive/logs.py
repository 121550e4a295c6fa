"""Keep BSNs (Dutch citizen service numbers) out of every log line.

File names come from clerks and scanners, and a scan named after the client's BSN
is common; any module may log a name. A filter on the log handlers masks every
valid BSN in the finished message (by the one rule, ``ingest.values.mask_bsns``),
so no caller has to remember.
"""

from __future__ import annotations

import logging

from ingest.values import mask_bsns


class RedactBsn(logging.Filter):
    """A handler filter that masks BSNs in the formatted message (and its traceback text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = mask_bsns(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_bsns(record.exc_text)
        return True


def redact_all_handlers(logger: logging.Logger | None = None) -> None:
    """Put the BSN filter on every handler of ``logger`` (default: the root logger), once."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactBsn) for f in handler.filters):
            handler.addFilter(RedactBsn())
