"""BSNs never reach a log line."""

from __future__ import annotations

import io
import logging

from archive.logs import RedactBsn, redact


def test_redact_masks_valid_bsns_only() -> None:
    assert redact("inbox/123456782.pdf") == "inbox/*********.pdf"
    assert redact("scan 1234.56.782 x") == "scan ********* x"
    assert redact("invoice 123456789 and 1234567820") == "invoice 123456789 and 1234567820"


def test_the_filter_masks_formatted_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactBsn())
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("%s: not filed", "123456782.pdf")
        try:
            raise ValueError("bad file 123456782.pdf")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert "123456782" not in stream.getvalue()
    assert "*********.pdf: not filed" in stream.getvalue()
