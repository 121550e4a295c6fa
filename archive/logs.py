"""Keep BSNs (Dutch citizen service numbers) out of every log line.

File names come from clerks and scanners, and a scan named after the client's BSN
is common; any module may log a name. A filter on the log handlers masks every
valid BSN in the finished message (by the one rule, ``ingest.values.mask_bsns``),
so no caller has to remember.
"""

from __future__ import annotations

import logging
from pathlib import Path

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


def configure_logging(home: Path) -> None:
    """Log to ``<home>/logs/archive.log`` (BSNs masked); another home replaces the file.

    Here, not with the command line: each reading worker runs it at its start, and
    unpickling it there must not import every command with it.
    """
    global _log_handler
    path = (home / "logs" / "archive.log").resolve()
    root = logging.getLogger()
    if _log_handler is not None:
        if Path(_log_handler.baseFilename) == path:
            return
        root.removeHandler(_log_handler)
        _log_handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    _log_handler = logging.FileHandler(path, encoding="utf-8")
    _log_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(_log_handler)
    root.setLevel(logging.INFO)
    redact_all_handlers(root)


_log_handler: logging.FileHandler | None = None
