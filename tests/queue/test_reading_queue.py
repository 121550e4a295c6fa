"""Reading through the job queue (procrastinate on the test PostgreSQL server): enqueued with the
document row, read by a worker, a job delivered twice files once, a lost job is found again."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from archive.config import Config
from archive.documents.filing import FilingHints
from storage import documents_repo
from tests.conftest import home_config, on_engine
from tests.documents import REPO, image_pdf, text_pdf

pytestmark = pytest.mark.postgresql


@pytest.fixture
def config(tmp_path: Path, request: pytest.FixtureRequest) -> Config:
    """A home on a fresh PostgreSQL database whose documents are read by `archive worker`s."""
    base = on_engine(home_config(tmp_path), "postgresql", request)
    return dataclasses.replace(
        base,
        queue=dataclasses.replace(
            base.queue, backend="procrastinate", sweep_seconds=1.0, heartbeat_seconds=0.5, stalled_seconds=2.0
        ),
    )


@pytest.fixture
def queued_archive(config: Config):
    from archive.service import Archive

    archive = Archive.open(config, create=True)
    yield archive
    archive.close()


def _pdf(folder: Path, number: int) -> Path:
    return text_pdf(folder / f"brief-{number}.pdf", [f"Factuur {number}\nBetreft: onderhoud {number}"])


def _jobs(archive, status: str | None = None) -> list:
    sql = "SELECT id, status, args FROM procrastinate_jobs"
    return (
        archive.db.read().execute(sql + (" WHERE status = ?" if status else ""), (status,) if status else ()).fetchall()
    )


def _filings(archive, document_id: int) -> int:
    return (
        archive.db.read()
        .execute("SELECT count(*) FROM audit_log WHERE action = 'file' AND document_id = ?", (document_id,))
        .fetchone()[0]
    )


@pytest.fixture
def running_worker(queued_archive):
    """A reading worker of the archive, in a thread, stopped at the end."""
    worker = queued_archive.reading_worker()
    thread = threading.Thread(target=worker.run, args=(2,), name="reading-worker")
    thread.start()
    yield worker
    worker.stop()
    thread.join(timeout=60)
    assert not thread.is_alive()


def _wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_received_document_gets_its_job_in_the_same_transaction(queued_archive, tmp_path: Path) -> None:
    outcome = queued_archive.ingest(_pdf(tmp_path, 1), hints=FilingHints(document_type="invoice"))
    assert outcome.status == "queued" and outcome.id is not None
    assert documents_repo.get_document(queued_archive.db.read(), outcome.id)["state"] == "received"
    [job] = _jobs(queued_archive, "todo")
    assert job["args"] == {"document_id": outcome.id}
    # A transaction that is rolled back takes its job with it.
    with pytest.raises(RuntimeError):
        with queued_archive.db.atomic() as conn:
            queued_archive.queue.enqueue(conn, 999)
            raise RuntimeError("rolled back")
    assert len(_jobs(queued_archive)) == 1
    # The same document is never waiting twice.
    with queued_archive.db.atomic() as conn:
        assert queued_archive.queue.enqueue(conn, outcome.id) is False


def test_a_worker_files_received_documents_and_a_second_delivery_files_once(
    queued_archive, running_worker, tmp_path: Path
) -> None:
    ids = [queued_archive.ingest(_pdf(tmp_path, n)).id for n in range(3)]
    waiting = lambda: [i for i in ids if documents_repo.is_waiting(queued_archive.db.read(), i)]  # noqa: E731
    _wait_until(lambda: not waiting())
    assert [documents_repo.get_document(queued_archive.db.read(), i)["state"] for i in ids] == ["filed"] * 3
    # The job delivered again (a retry, or the sweep while the first ran): the row says it is done.
    with queued_archive.db.atomic() as conn:
        assert queued_archive.queue.enqueue(conn, ids[0])
    _wait_until(lambda: not _jobs(queued_archive, "todo") and not _jobs(queued_archive, "doing"))
    assert [_filings(queued_archive, i) for i in ids] == [1, 1, 1]


def test_a_worker_keeps_no_index_and_the_nodes_find_what_it_filed(queued_archive, config, tmp_path: Path) -> None:
    from archive.access.actors import Actor
    from archive.service import Archive
    from search import SearchRequest

    outcome = queued_archive.ingest(text_pdf(tmp_path / "brief.pdf", ["Factuur dakkapel Urk\nBetreft: lood"]))
    elsewhere = tmp_path / "worker-machine-index"
    worker_config = dataclasses.replace(config, node=dataclasses.replace(config.node, index_dir=str(elsewhere)))
    with Archive.open(worker_config, index=False) as worker:
        assert worker.read_received(outcome.id).status == "filed"
        assert worker.index_lag() is None
    assert not elsewhere.exists()  # no index was built on the worker's machine
    clerk = Actor("rita", "records_manager")
    deadline = time.monotonic() + 10
    while queued_archive.search(SearchRequest(query="dakkapel"), clerk).total == 0:  # the node's follower
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_document_left_without_a_job_is_queued_again_by_the_sweep(queued_archive, tmp_path: Path) -> None:
    outcome = queued_archive.ingest(_pdf(tmp_path, 7))
    with queued_archive.db.atomic() as conn:  # the job is lost (a queue emptied by hand, a failed broker…)
        conn.execute("DELETE FROM procrastinate_jobs")
    now = queued_archive.clock.now()
    assert queued_archive.queue.requeue_lost(now) == []  # received just now: not yet lost
    # The sweep names the documents whose job waits or runs: they are passed over, no transaction each.
    assert queued_archive.queue.requeue_lost(now + timedelta(seconds=5), with_job=[outcome.id]) == []
    assert queued_archive.queue.requeue_lost(now + timedelta(seconds=5)) == [outcome.id]
    assert len(_jobs(queued_archive, "todo")) == 1


def test_a_document_that_keeps_stopping_workers_is_set_aside_and_not_queued_again(
    queued_archive, tmp_path: Path
) -> None:
    outcome = queued_archive.ingest(_pdf(tmp_path, 8))
    with queued_archive.db.atomic() as conn:  # two workers on another machine died while reading it
        conn.execute("DELETE FROM procrastinate_jobs")
        conn.execute(
            "UPDATE documents SET reading_by = 'elsewhere|4242|1.00', reading_attempts = ? WHERE id = ?",
            (queued_archive.config.ingest.reading_attempts, outcome.id),
        )
    # The job handed on by the sweep takes over the dead worker's claim, counts a third
    # attempt and sets the document aside, as an in-process reading would.
    result = queued_archive.read_received(outcome.id)
    assert result is not None and result.status == "failed"
    row = documents_repo.get_document(queued_archive.db.read(), outcome.id)
    assert row["state"] == "received" and row["failed_at"] is not None and row["reading_by"] is None
    assert not documents_repo.is_waiting(queued_archive.db.read(), outcome.id)
    later = queued_archive.clock.now() + timedelta(seconds=60)
    assert queued_archive.queue.requeue_lost(later) == [] and queued_archive.resume_unfinished() == []
    assert _jobs(queued_archive) == [] and _filings(queued_archive, outcome.id) == 0


def test_an_upload_with_a_queue_is_given_its_job_not_the_filing_threads(queued_archive, tmp_path: Path) -> None:
    from archive.access.actors import SYSTEM

    [outcome] = queued_archive.hand_over(_pdf(tmp_path, 9), "brief-9.pdf", SYSTEM, channel="upload")
    assert outcome.status == "queued" and outcome.id is not None
    assert [job["args"] for job in _jobs(queued_archive, "todo")] == [{"document_id": outcome.id}]
    assert not queued_archive.filing_queue._threads  # no reading in the web process


def _worker_process(config: Config, tmp_path: Path) -> subprocess.Popen:
    """`archive worker` as its own process, configured like a worker machine."""
    settings = tmp_path / "worker.toml"
    settings.write_text(
        f'[database]\nurl = "{config.database.url}"\n[queue]\nbackend = "procrastinate"\n'
        f"sweep_seconds = {config.queue.sweep_seconds}\nheartbeat_seconds = "
        f"{config.queue.heartbeat_seconds}\nstalled_seconds = {config.queue.stalled_seconds}\n"
    )
    # This checkout's code first: a shared environment's `archive` script may come from another one.
    env = {**os.environ, "ARCHIVE_CONFIG": str(settings), "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "archive"), "--home", str(config.home), "worker", "--concurrency", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_worker_killed_mid_job_loses_nothing(queued_archive, config: Config, tmp_path: Path) -> None:
    scanned = image_pdf(tmp_path / "scan.pdf", [f"Factuur 2024-{n:03d}\nTe betalen: 12,50 euro" for n in range(2)])
    outcome = queued_archive.ingest(scanned)
    first = _worker_process(config, tmp_path)
    try:
        _wait_until(lambda: _jobs(queued_archive, "doing"))  # Tesseract is reading its pages now
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert documents_repo.is_waiting(queued_archive.db.read(), outcome.id)
    second = queued_archive.reading_worker()  # another machine's worker: its sweep puts the job back
    thread = threading.Thread(target=second.run, args=(1,))
    thread.start()
    try:
        _wait_until(lambda: not documents_repo.is_waiting(queued_archive.db.read(), outcome.id), timeout=120)
    finally:
        second.stop()
        thread.join(timeout=120)
    row = documents_repo.get_document(queued_archive.db.read(), outcome.id)
    assert row["state"] == "filed" and row["pages"] == 2 and _filings(queued_archive, outcome.id) == 1
    assert queued_archive.audit.verify().ok
