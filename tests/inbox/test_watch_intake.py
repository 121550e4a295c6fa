"""Stacks, e-mail files and e-invoices dropped in the inbox are filed like the command line files them."""

from __future__ import annotations

import os
from pathlib import Path

from ingest.stacks import Separator
from tests.documents import scan_image
from tests.einvoice.ubl import InvoiceSpec, build_ubl
from tests.inbox.conftest import WatchProcess, wait_for
from tests.mail.messages import build_message, pdf_bytes
from tests.stacks.scans import printed_sheet, scanned, stack_pdf


def test_a_stack_a_message_and_an_einvoice_leave_the_inbox_filed(watch_process, tmp_path: Path) -> None:
    watcher: WatchProcess = watch_process().start()
    stack = stack_pdf(
        tmp_path / "stapel.pdf",
        [
            scanned(scan_image("Geachte mevrouw,\nBetreft: afspraak", dpi=150), seed=1),
            scanned(printed_sheet(Separator(), 150, tmp_path), seed=2),
            scanned(scan_image("Tweede brief\nMet vriendelijke groet", dpi=150), seed=3),
        ],
        150,
    )
    message = build_message(
        subject="Factuur",
        message_id="<in@x.nl>",
        attachments=[("factuur.pdf", pdf_bytes(tmp_path, "FACTUUR 3"), "application/pdf")],
    )
    for name, data in (
        ("stapel.pdf", stack.read_bytes()),
        ("bericht.eml", message.as_bytes()),
        ("factuur.xml", build_ubl(InvoiceSpec(number="X-1"))),
    ):
        (watcher.inbox / f".{name}.part").write_bytes(data)
        os.rename(watcher.inbox / f".{name}.part", watcher.inbox / name)
    wait_for(lambda: not any(p.is_file() for p in watcher.inbox.iterdir()), 120, "the inbox to empty")
    rows = watcher.query(
        "SELECT original_filename, channel, stack_first, mail_message_id FROM documents"
        " WHERE state = 'filed' ORDER BY original_filename"
    )
    assert rows == [
        ("factuur.pdf", "inbox", None, "<in@x.nl>"),
        ("factuur.xml", "inbox", None, None),
        ("stapel-p1.pdf", "inbox", 1, None),
        ("stapel-p3.pdf", "inbox", 3, None),
    ]
    assert not list(watcher.failed.iterdir())
    assert watcher.stop() == 0
    assert watcher.cli("verify").returncode == 0
