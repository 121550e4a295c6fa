"""A document whose reading keeps being stopped is set aside, never retried at every start."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from archive.access.actors import SYSTEM
from archive.config import Config
from archive.documents.filing import CRASHED_BEFORE
from archive.service import Archive
from tests.documents import INVOICE_NL, scan_file, text_pdf


@pytest.fixture
def impatient(config: Config):
    """An archive whose readings are stopped after half a second without a finished page."""
    settings = dataclasses.replace(config.ingest, reading_timeout_seconds=0.5, reading_attempts=2)
    opened = Archive.open(dataclasses.replace(config, ingest=settings), create=True)
    yield opened
    opened.close()


def _row(archive: Archive, document_id: int):
    return archive.db.read().execute("SELECT * FROM documents WHERE sha256 = ?", (document_id,)).fetchone()


def test_a_reading_stopped_twice_is_set_aside_with_its_reason_and_not_resumed(impatient, tmp_path):
    scan = scan_file(tmp_path / "scan.png", INVOICE_NL, dpi=300)  # one OCR page: seconds, never 0.5 s
    outcome = impatient.ingest(scan, SYSTEM)
    assert outcome.status == "failed" and "without progress" in outcome.error
    row = _row(impatient, outcome.sha256)
    assert (row["state"], row["reading_attempts"], row["reading_by"]) == ("received", 2, None)
    assert row["failed_at"] is not None
    assert impatient.resume_unfinished(SYSTEM) == []  # out of the resume path
    again = impatient.ingest(scan, SYSTEM, channel="inbox")  # the inbox sweep takes it again
    assert again.status == "failed" and again.error == outcome.error
    assert _row(impatient, outcome.sha256)["reading_attempts"] == 2  # answered, not read a third time
    actions = [r[0] for r in impatient.db.read().execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions.count("ingest_failed") == 2 and "file" not in actions


def test_a_document_that_stopped_the_archive_too_often_is_set_aside_at_start_up(archive, tmp_path):
    outcome = archive.ingest(text_pdf(tmp_path / "a.pdf", [INVOICE_NL]), SYSTEM)
    with archive.db.atomic() as conn:  # as two kills while reading it would leave the row
        conn.execute(
            "UPDATE documents SET state = 'received', reading_attempts = 2, reading_by = ? WHERE id = ?",
            (f"{socket.gethostname()}|999999|1", outcome.id),
        )
    resumed = archive.resume_unfinished(SYSTEM)
    assert [(o.status, o.error) for o in resumed] == [("failed", str(CRASHED_BEFORE))]
    assert archive.resume_unfinished(SYSTEM) == []


def test_a_clerk_can_have_a_set_aside_document_read_again(impatient, archive, tmp_path):
    scan = scan_file(tmp_path / "scan.png", INVOICE_NL)
    assert impatient.ingest(scan, SYSTEM).status == "failed"
    impatient.close()
    patient = Archive.open(dataclasses.replace(impatient.config, ingest=archive.config.ingest))
    try:
        outcome = patient.ingest(scan, SYSTEM)  # on the command line: the clerk asks for it
    finally:
        patient.close()
    assert outcome.status == "filed" and outcome.amount == "109.00"


def test_the_same_bytes_from_two_processes_at_once_are_filed_once(archive, tmp_path):
    source = text_pdf(tmp_path / "twice.pdf", [INVOICE_NL])
    archive.close()
    command = [str(Path(sys.executable).parent / "archive"), "--home", str(archive.config.home), "ingest", "--json"]
    env = {**os.environ, "ARCHIVE_CONFIG": ""}
    runs = [subprocess.Popen(command + [str(source)], stdout=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outcomes = [json.loads(run.communicate(timeout=180)[0]) for run in runs]
    assert sorted(o["status"] for o in outcomes) == ["duplicate", "filed"]
    reopened = Archive.open(archive.config)
    try:
        actions = [r[0] for r in reopened.db.read().execute("SELECT action FROM audit_log ORDER BY seq")]
    finally:
        reopened.close()
    assert actions.count("file") == 1 and actions.count("duplicate") == 1 and actions.count("receive") == 1


def test_temporary_files_of_killed_processes_are_removed_at_start_up(archive):
    leftover = archive.store.root / "tmp" / "p-999999-1"
    leftover.mkdir()
    (leftover / "half.part").write_bytes(b"half a copy")
    mine = archive.store.temp_dir()
    assert archive.store.clean_temp() == 1
    assert not leftover.exists() and mine.exists()
