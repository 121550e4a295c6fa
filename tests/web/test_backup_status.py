"""The backup on the status page: fine, failed (loudly, on every page for administrators), restored."""

from __future__ import annotations

import json
from pathlib import Path

from archive.backup import state
from archive.backup.service import BackupRequest, BackupService
from archive.errors import ArchiveError
from storage import records_repo
from tests.documents import text_pdf


def _backups(archive) -> BackupService:
    return archive.backups()


def test_the_inbox_page_shows_the_last_backup(login, archive, tmp_path: Path) -> None:
    _backups(archive).backup(BackupRequest(tmp_path / "usb"))
    page = login("clerk").get("/inbox").get_data(as_text=True)
    assert "Laatste back-up: momentopname 1," in page and 'class="backup-state ok-box"' in page
    assert 'class="alarm banner"' not in login("admin").get("/").get_data(as_text=True)


def test_a_failed_backup_is_said_loudly_to_clerks_and_on_every_page_to_administrators(
    login, archive, tmp_path: Path
) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "x.jpg").write_bytes(b"x")
    try:
        _backups(archive).backup(BackupRequest(tmp_path / "photos"))
    except ArchiveError:
        pass
    page = login("clerk").get("/inbox").get_data(as_text=True)
    assert "is mislukt." in page and 'class="backup-state alarm" role="alert"' in page
    # The reason in the page's language, from the catalogue, not the English it was logged in.
    assert "is niet leeg en bevat geen back-ups" in page and "Meld dit aan een beheerder." in page
    admin = login("admin")
    for address in ("/", "/admin/users"):
        shown = admin.get(address).get_data(as_text=True)
        assert 'class="alarm banner" role="alert"' in shown and "is mislukt." in shown, address
    assert 'class="alarm banner"' not in login("staff").get("/").get_data(as_text=True)


def test_documents_a_restore_brought_back_are_named_to_the_records_manager(login, archive, tmp_path: Path) -> None:
    outcome = archive.ingest(text_pdf(tmp_path / "brief.pdf", ["Brief\nBetreft: terug uit de back-up"]))
    with archive.db.atomic() as conn:
        records_repo.set_value(
            conn,
            state.RESTORED,
            json.dumps({"snapshot": 4, "at": "2026-03-02T10:00:00Z", "destroyed_later": [outcome.id]}),
        )
    shown = login("records_manager").get("/").get_data(as_text=True)
    assert "teruggezet uit momentopname 4" in shown and f"terug: {outcome.id}." in shown
