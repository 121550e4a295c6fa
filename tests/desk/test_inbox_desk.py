"""The inbox page's figures agree with the audit trail; a failed file is removed with its reasons kept."""

from __future__ import annotations

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.errors import InvalidInput, NotFound
from archive.inbox.service import HEARTBEAT_SECONDS, STALE_BEATS, watcher_state
from tests.documents import text_pdf

CLERK = Actor("anna", "clerk")


def test_filed_today_counts_every_channel_as_the_audit_trail_does(archive, tmp_path):
    for n in range(3):
        archive.ingest(text_pdf(tmp_path / f"d{n}.pdf", [f"Brief {n}\nDatum: 3 april 2024"]), SYSTEM, channel="upload")
    archive.ingest(tmp_path / "d0.pdf", SYSTEM)  # a duplicate
    status = archive.inbox_status()
    assert status["filed_today_all_channels"] == 3 and status["duplicates_today_all_channels"] == 1
    assert status["filed_today"] == 0  # none came through the inbox folder
    assert status["watcher_running"] is False and status["heartbeat_age_seconds"] is None
    assert status["watcher_state"] == "stopped"


def test_a_watcher_is_alive_stale_or_stopped_by_its_lock_and_heartbeat():
    stale_after = STALE_BEATS * HEARTBEAT_SECONDS
    assert watcher_state(running=False, heartbeat_age_seconds=1.0) == "stopped"  # no process holds the inbox
    assert watcher_state(running=True, heartbeat_age_seconds=None) == "alive"  # just started
    assert watcher_state(running=True, heartbeat_age_seconds=stale_after) == "alive"
    assert watcher_state(running=True, heartbeat_age_seconds=stale_after + 1) == "stale"  # holds it, does not turn


def test_a_failed_file_is_removed_with_its_reasons_in_the_audit_trail(archive):
    failed = archive.config.inbox_path / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    (failed / "scan.pdf").write_bytes(b"not a pdf")
    note = "Came from: inbox/scan.pdf\n\nWhat went wrong:\nThe file is damaged.\n\n"
    (failed / "scan.pdf.error.txt").write_text(note)
    with pytest.raises(InvalidInput):
        archive.remove_failed("scan.pdf", "  ", CLERK)
    with pytest.raises(NotFound):
        archive.remove_failed("../archive.sqlite3", "weg", CLERK)
    archive.remove_failed("scan.pdf", "lege pagina", CLERK)
    assert list(failed.iterdir()) == []
    entry = archive.db.read().execute("SELECT actor, details FROM audit_log WHERE action = 'inbox_remove'").fetchone()
    assert entry["actor"] == "anna"
    assert '"failed_because": "The file is damaged."' in entry["details"]
    assert '"removed_because": "lege pagina"' in entry["details"] and '"sha256": "' in entry["details"]
