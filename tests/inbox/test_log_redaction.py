"""BSNs never reach a log line, however they are written."""

from __future__ import annotations

import functools
import io
import logging
import pickle
import subprocess
import sys

import pytest

from archive.logs import RedactBsn
from tests.values.cases import BSNS_IN_TEXT


def _logged(*args, exception: str | None = None) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactBsn())
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(*args)
        if exception:
            try:
                raise ValueError(exception)
            except ValueError:
                logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize("text, shown", BSNS_IN_TEXT)
def test_log_lines_are_masked_by_the_one_rule(text, shown) -> None:
    assert _logged("%s: not filed", text) == f"{shown}: not filed\n"


def test_the_filter_masks_formatted_messages_and_tracebacks() -> None:
    logged = _logged("%s: not filed", "123 456 782.pdf", exception="bad file 1234.56.782.pdf")
    assert "123 456 782" not in logged and "1234.56.782" not in logged
    assert "*****6782.pdf: not filed" in logged and "bad file *****6782.pdf" in logged


def test_digits_inside_a_sha256_are_not_taken_for_a_bsn() -> None:
    digest = "3f1a2b" + "123456782" + "c" * 49  # 123456782 passes the 11-check
    assert _logged("stored %s", digest) == f"stored {digest}\n"
    assert _logged("scan %s", "123456782.pdf") == "scan *****6782.pdf\n"


def test_the_log_setup_a_reading_worker_runs_leaves_the_command_line_unimported(tmp_path) -> None:
    # Each reading worker unpickles and runs the setup the command hands it: importing every
    # command there cost ~70 ms of CPU per worker, per `archive ingest`.
    from archive.cli.support import configure_logging

    setup = pickle.dumps(functools.partial(configure_logging, tmp_path))
    script = (
        "import pickle, sys, logging; pickle.loads(sys.stdin.buffer.read())(); "
        "logging.getLogger('x').warning('123 456 782.pdf ready'); "
        "print(sorted(m for m in sys.modules if m.startswith('archive.cli')))"
    )
    done = subprocess.run([sys.executable, "-c", script], input=setup, capture_output=True, check=True)
    assert done.stdout.decode().strip() == "[]"
    logged = (tmp_path / "logs" / "archive.log").read_text(encoding="utf-8")
    assert "ready" in logged and "123 456 782" not in logged
