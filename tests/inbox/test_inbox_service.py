"""The inbox service in this process on a real archive: crash leftovers, duplicates, stopping."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from archive.access.actors import SYSTEM
from archive.config import Config
from archive.inbox.service import InboxService
from archive.service import Archive
from storage import documents_repo, inbox_repo
from tests.documents import text_pdf
from tests.inbox.conftest import wait_for


@pytest.fixture
def fast_archive(config: Config):
    settings = dataclasses.replace(
        config.ingest, settle_seconds=0.1, rescan_seconds=0.5, workers=2, stop_grace_seconds=30.0
    )
    opened = Archive.open(dataclasses.replace(config, ingest=settings), create=True)
    yield opened
    opened.close()


def _events(archive: Archive, event: str) -> list[tuple[str, int | None]]:
    rows = archive.db.read().execute("SELECT path, document_id FROM inbox_events WHERE event = ?", (event,))
    return [(row[0], row[1]) for row in rows]


def test_a_filing_interrupted_before_let_go_is_completed_not_called_a_duplicate(fast_archive: Archive) -> None:
    inbox = fast_archive.config.inbox_path
    committed = text_pdf(inbox / "committed.pdf", ["Filed, but the process died before removing it"])
    unfinished = text_pdf(inbox / "unfinished.pdf", ["Stored, but the process died before filing it"])
    # What a killed run leaves: both taken, one filed and one only stored ('received').
    first = fast_archive.ingest(committed, SYSTEM, channel="inbox")
    second = fast_archive.ingest(unfinished, SYSTEM, channel="inbox")
    with fast_archive.db.atomic() as conn:
        documents_repo.update_document(conn, second.id, state="received")
        inbox_repo.record_take(conn, "committed.pdf", first.sha256, "2026-01-01T00:00:00.000000Z", 0.1)
    service = InboxService(fast_archive, SYSTEM)
    service.start()
    try:
        wait_for(lambda: len(_events(fast_archive, "filed")) == 2, 20, "both completed")
    finally:
        service.stop()
    assert sorted(_events(fast_archive, "filed")) == [("committed.pdf", first.id), ("unfinished.pdf", second.id)]
    assert _events(fast_archive, "duplicate") == []
    assert fast_archive.db.read().execute("SELECT COUNT(*) FROM duplicates").fetchone()[0] == 0
    assert fast_archive.document(second.id, SYSTEM).state == "filed"
    assert not committed.exists() and not unfinished.exists()
    assert inbox_repo.open_takes(fast_archive.db.read()) == []


def test_a_file_named_after_a_bsn_interrupted_before_let_go_is_no_duplicate_of_itself(fast_archive: Archive) -> None:
    inbox = fast_archive.config.inbox_path
    named = text_pdf(inbox / "scan 123456782.pdf", ["Filed, but the process died before removing it"])
    first = fast_archive.ingest(named, SYSTEM, channel="inbox")  # its shown source has the BSN masked
    service = InboxService(fast_archive, SYSTEM)
    service.start()
    try:
        wait_for(lambda: not named.exists(), 20, "the file let go")
    finally:
        service.stop()
    assert _events(fast_archive, "filed") == [("scan 123456782.pdf", first.id)]
    assert fast_archive.db.read().execute("SELECT COUNT(*) FROM duplicates").fetchone()[0] == 0


def test_the_same_bytes_filed_from_elsewhere_make_a_recorded_duplicate(fast_archive: Archive, tmp_path: Path) -> None:
    elsewhere = text_pdf(tmp_path / "uploaded.pdf", ["Uploaded in the browser first"])
    original = fast_archive.ingest(elsewhere, SYSTEM, channel="cli")
    dropped = fast_archive.config.inbox_path / "again.pdf"
    dropped.write_bytes(elsewhere.read_bytes())
    service = InboxService(fast_archive, SYSTEM)
    service.start()
    try:
        wait_for(lambda: _events(fast_archive, "duplicate"), 20, "the duplicate")
    finally:
        service.stop()
    assert _events(fast_archive, "duplicate") == [("again.pdf", original.id)]
    assert not dropped.exists() and elsewhere.exists()
    duplicates = fast_archive.db.read().execute("SELECT document_id, source, channel FROM duplicates").fetchall()
    assert [tuple(row) for row in duplicates] == [(original.id, str(dropped), "inbox")]


def test_stop_hands_back_what_was_not_started(fast_archive: Archive) -> None:
    inbox = fast_archive.config.inbox_path
    for number in range(12):
        text_pdf(inbox / f"queued-{number:02d}.pdf", [f"Queued letter {number}"])
    service = InboxService(fast_archive, SYSTEM)
    service.start()
    wait_for(lambda: _events(fast_archive, "taken") or _events(fast_archive, "filed"), 20, "filing to start")
    assert service.stop()  # what was being filed finished within the grace time (30 s: shared machines)
    left = sorted(p.name for p in inbox.glob("*.pdf"))
    filed = fast_archive.db.read().execute("SELECT COUNT(*) FROM documents WHERE state = 'filed'").fetchone()[0]
    assert len(left) + filed == 12  # each file either filed and gone, or still waiting untouched
    assert inbox_repo.open_takes(fast_archive.db.read()) == []


def test_a_burst_is_read_in_worker_processes_until_the_service_stops(fast_archive: Archive) -> None:
    inbox = fast_archive.config.inbox_path
    for number in range(16):
        text_pdf(inbox / f"burst-{number:02d}.pdf", [f"Burst letter {number}"])
    service = InboxService(fast_archive, SYSTEM)
    service.start()
    try:
        wait_for(lambda: len(_events(fast_archive, "filed")) == 16, 60, "the burst filed")
        assert len(fast_archive.reader.pool.pids()) == 2  # a backlog this size starts every worker
    finally:
        service.stop()
    filed = fast_archive.db.read().execute("SELECT COUNT(*) FROM documents WHERE state = 'filed'").fetchone()[0]
    assert filed == 16
