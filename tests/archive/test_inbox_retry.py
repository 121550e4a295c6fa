"""Failed inbox files listed with their reason, and put back only from inbox/failed/."""

from __future__ import annotations

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.errors import NotFound, PermissionDenied
from archive.inbox.retry import failed_files, retry_failed


def _failed(inbox, name: str, reason: str) -> None:
    folder = inbox / "failed"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"%PDF-1.4 broken")
    (folder / (name + ".error.txt")).write_text(
        f"This file could not be filed.\n\nWhat went wrong:\n  {reason}\n\nWhat you can do:\n  …\n"
    )


def test_failed_files_with_reasons(archive):
    inbox = archive.config.inbox_path
    _failed(inbox, "scan.pdf", "The PDF is damaged.")
    assert [(f["name"], f["reason"]) for f in failed_files(inbox)] == [("scan.pdf", "The PDF is damaged.")]


def test_a_failed_file_named_after_a_bsn_is_shown_and_audited_masked(archive):
    inbox = archive.config.inbox_path
    _failed(inbox, "paspoort 123 456 782.pdf", "The PDF is damaged.")
    [listed] = failed_files(inbox)
    assert listed["shown"] == "paspoort *****6782.pdf" and listed["name"] == "paspoort 123 456 782.pdf"
    retry_failed(inbox, listed["name"], SYSTEM, archive.audit)
    details = archive.db.read().execute("SELECT details FROM audit_log WHERE action = 'inbox_retry'").fetchone()[0]
    assert "123 456 782" not in details and "*****6782" in details


def test_retry_moves_the_file_back_and_audits(archive):
    inbox = archive.config.inbox_path
    _failed(inbox, "scan.pdf", "The PDF is damaged.")
    target = retry_failed(inbox, "scan.pdf", SYSTEM, archive.audit)
    assert target == inbox / "scan.pdf" and target.exists()
    assert failed_files(inbox) == [] and not (inbox / "failed" / "scan.pdf.error.txt").exists()


@pytest.mark.parametrize("name", ["../archive.sqlite3", "", "..", "scan.pdf.error.txt", "missing.pdf"])
def test_retry_refuses_anything_but_a_failed_file(archive, name):
    _failed(archive.config.inbox_path, "scan.pdf", "x")
    with pytest.raises(NotFound):
        retry_failed(archive.config.inbox_path, name, SYSTEM, archive.audit)


def test_staff_may_not_retry(archive):
    _failed(archive.config.inbox_path, "scan.pdf", "x")
    with pytest.raises(PermissionDenied):
        retry_failed(archive.config.inbox_path, "scan.pdf", Actor("sam", "staff"), archive.audit)
