"""Why a file was not filed, in the page's language: the inbox page and the analysis failure chart.

A reason is kept as a message (code, template, values) beside its English sentence, so
each page words it in its own language; a reason kept by an older release has only its
sentence, and is shown as stored.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import PurePosixPath

from archive.access.actors import SYSTEM
from archive.errors import Message
from archive.inbox.notes import write_note
from archive.wording import office_wording

DAMAGED = Message("pdf.damaged", "This PDF is damaged or incomplete and cannot be read; please scan or save it again.")
DUTCH = "Deze PDF is beschadigd of onvolledig en kan niet gelezen worden"


def test_the_inbox_page_words_each_reason_in_its_language(no_csrf, login, archive):
    failed = archive.config.inbox_path / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    (failed / "kapot.pdf").write_bytes(b"%PDF-1.4")
    # Written by an office whose language is English: the page still speaks the reader's.
    write_note(
        failed / "kapot.pdf", PurePosixPath("kapot.pdf"), DAMAGED, datetime.now(timezone.utc), office_wording("en")
    )
    (failed / "oud.pdf").write_bytes(b"%PDF-1.4")
    (failed / "oud.pdf.error.txt").write_text("What went wrong:\n  An old reason in English.\n\n")
    clerk = login("clerk")
    page = clerk.get("/inbox").get_data(as_text=True)
    assert DUTCH in page and "An old reason in English." in page and "This PDF" not in page
    clerk.post("/language", data={"lang": "en"})
    assert "This PDF is damaged or incomplete" in clerk.get("/inbox").get_data(as_text=True)
    key = next(item["key"] for item in archive.failed_inbox_files() if item["name"] == "kapot.pdf")
    retried = clerk.post("/inbox/retry", data={"key": key}, follow_redirects=True).get_data(as_text=True)
    assert "kapot.pdf is back in the inbox and will be filed again." in retried


def test_the_failure_chart_words_each_reason_in_its_language(no_csrf, login, archive, tmp_path):
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<")
    assert archive.ingest(broken, SYSTEM).status == "failed"
    archive.audit.record(SYSTEM, "ingest_failed", details={"reason": "An old reason in English."})
    admin = login("admin")
    page = admin.get("/analysis").get_data(as_text=True)
    assert "An old reason in English." in page
    assert "Deze PDF is beschadigd" in page and "This PDF is damaged" not in page
    admin.post("/language", data={"lang": "en"})
    assert "This PDF is damaged" in admin.get("/analysis").get_data(as_text=True)


def test_the_inbox_page_words_the_archives_own_fault_in_its_language(no_csrf, login, archive):
    """A paused inbox says why in the reader's language; `archive status` has the English."""
    import errno
    import fcntl

    from archive.documents.faults import fault_of_archive
    from archive.inbox.pause import Pause
    from archive.inbox.service import watch_lock_path

    full = fault_of_archive(OSError(errno.ENOSPC, "No space left on device"))
    assert full is not None
    pause = Pause(archive.config.home, lambda: full, lambda: None)
    pause.begin(full)
    with open(watch_lock_path(archive.config.home), "w") as lock:  # as a running watcher holds it
        fcntl.flock(lock, fcntl.LOCK_EX)
        clerk = login("clerk")
        page = clerk.get("/inbox").get_data(as_text=True)
        assert "De schijf van het archief is vol" in page and "disk is full" not in page
        assert archive.inbox_status()["paused"]["reason"].startswith("The archive's disk is full")
        clerk.post("/language", data={"lang": "en"})
        assert "The archive&#39;s disk is full" in clerk.get("/inbox").get_data(as_text=True)
