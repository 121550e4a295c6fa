"""The filing queue: an upload is answered at once and filed in the background, even after a restart."""

from __future__ import annotations

import json

from archive.access.actors import SYSTEM
from archive.documents.filing import FilingHints
from archive.service import Archive
from tests.documents import INVOICE_NL, text_pdf
from tests.inbox.conftest import wait_for


def test_a_handed_over_upload_is_answered_with_its_document_and_filed_in_the_background(archive, tmp_path):
    upload = text_pdf(tmp_path / "upload.pdf", [INVOICE_NL])
    [answer] = archive.hand_over(upload, "factuur.pdf", SYSTEM, FilingHints(), "upload")
    assert answer.status in ("received", "filed") and answer.id and not upload.exists()
    wait_for(lambda: archive.filing_status(answer.id, SYSTEM).status == "filed", 120, "the upload filed")
    status = archive.filing_status(answer.id, SYSTEM)
    assert status.reference == "F2024-0012" and archive.document(answer.id, SYSTEM, audit=False).channel == "upload"


def test_an_upload_left_in_the_queue_by_a_stop_is_filed_at_the_next_start(archive, tmp_path):
    job = archive.config.home / "queue" / "0123456789abcdef"
    job.mkdir(parents=True)
    text_pdf(job / "left.pdf", [INVOICE_NL])
    (job / "job.json").write_text(
        json.dumps({"actor": "system", "hints": "{}", "channel": "upload", "name": "left.pdf"})
    )
    config = archive.config
    archive.close()
    reopened = Archive.open(config)
    try:
        reopened.filing_queue.start()  # what the web server does when it starts
        wait_for(lambda: (job / "done.json").exists(), 120, "the left upload filed")
        [outcome] = json.loads((job / "done.json").read_text())
        assert outcome["status"] == "filed" and not (job / "left.pdf").exists()
    finally:
        reopened.close()
