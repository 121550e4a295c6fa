"""Long jobs in the shared database: progress written sparingly, beats while working, errors kept worded."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from archive.clock import iso
from archive.errors import InvalidInput
from archive.jobs import Jobs
from storage import jobs_repo
from tests.conftest import ENGINES, on_engine


@pytest.fixture(params=ENGINES)
def config(config, request: pytest.FixtureRequest):
    return on_engine(config, request.param, request)


def _until_ended(jobs: Jobs, job_id: str, user: str = "anna"):
    for _ in range(400):
        status = jobs.status(user, job_id)
        if status.ended:
            return status
        time.sleep(0.02)
    raise AssertionError("the job did not end")


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    """Every progress write of any job, counted."""
    writes: list[int] = []
    real = jobs_repo.beat

    def beat(conn, job_id, done, total, now):
        writes.append(done)
        real(conn, job_id, done, total, now)

    monkeypatch.setattr(jobs_repo, "beat", beat)
    return writes


def test_a_thousand_steps_are_a_few_writes(archive, counted) -> None:
    def work(job):
        for _ in range(1000):
            job.step()
            time.sleep(0.001)  # a thousand steps over a second or so
        return {"steps": 1000}

    job_id = archive.jobs.start("anna", "verify", work, total=1000)
    ended = _until_ended(archive.jobs, job_id)
    assert (ended.state, ended.done, ended.total, ended.result) == ("finished", 1000, 1000, {"steps": 1000})
    assert len(counted) <= 6, counted  # at most two a second, and the final write is not among them
    assert counted == sorted(counted)


def test_a_long_step_keeps_beating(archive, counted) -> None:
    jobs = Jobs(archive.core.db, archive.core.clock, archive.config.home, write_every=0.02, beat_every=0.1)
    job_id = jobs.start("anna", "export", lambda job: time.sleep(0.5))  # one step, longer than a beat
    assert _until_ended(jobs, job_id).state == "finished"
    assert len(counted) >= 3 and set(counted) == {0}


def test_a_failed_job_keeps_its_error_to_be_worded(archive) -> None:
    def work(job):
        job.step(3, 10)
        raise InvalidInput("export.no_documents", "No documents fit {query}.", query="jansen")

    failed = _until_ended(archive.jobs, archive.jobs.start("anna", "export", work))
    assert failed.state == "failed" and failed.done == 3 and failed.result is None
    assert (failed.error.code, failed.error.template, dict(failed.error.values)) == (
        "export.no_documents",
        "No documents fit {query}.",
        {"query": "jansen"},
    )
    crashed = _until_ended(archive.jobs, archive.jobs.start("anna", "verify", lambda job: 1 / 0))
    assert crashed.state == "failed" and crashed.error is None  # worded by the page as "see the log"
    assert archive.jobs.status("bert", crashed.id) is None


def test_what_a_failed_job_half_wrote_is_removed(archive) -> None:
    written = []

    def work(job):
        bag = job.workspace() / "bewijs-K-1.zip"
        bag.write_bytes(b"PK half a bag")
        written.append(bag)
        raise InvalidInput("export.no_documents", "No documents fit {query}.", query="jansen")

    assert _until_ended(archive.jobs, archive.jobs.start("anna", "export", work)).state == "failed"
    assert written and not written[0].parent.exists()


def test_a_job_whose_node_died_mid_write_is_swept_with_its_folder(archive) -> None:
    now = archive.core.clock.now()
    folders = {}
    with archive.core.db.atomic() as conn:
        for job_id, beaten in (("died", now - timedelta(minutes=61)), ("working", now - timedelta(seconds=3))):
            jobs_repo.insert_job(conn, job_id, "anna", "export", None, "n:1", iso(beaten - timedelta(minutes=5)))
            jobs_repo.beat(conn, job_id, 7, None, iso(beaten))
            folders[job_id] = archive.config.home / "tmp" / "jobs" / job_id
            folders[job_id].mkdir(parents=True)
            (folders[job_id] / "bewijs-K-1.zip").write_bytes(b"PK half a bag")
    archive.jobs.sweep()
    assert not folders["died"].exists() and jobs_repo.job(archive.core.db.read(), "died") is None
    assert (folders["working"] / "bewijs-K-1.zip").exists()  # a running export keeps what it writes
    assert archive.jobs.status("anna", "working").state == "running"
