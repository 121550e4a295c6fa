"""An auditor's long check follows the user across web nodes: its state is in the shared database.

A poll, or the evidence bag's download, that reaches another node than the one running the
check is answered all the same; another user's check is as unknown as a made-up one; a
check whose node stopped beating is said to be lost; an ended check is forgotten after an hour.
"""

from __future__ import annotations

import io
import time
import zipfile
from datetime import timedelta

import pyotp
import pytest

from archive.access.actors import SYSTEM
from archive.clock import iso
from storage import jobs_repo
from tests.conftest import ENGINES, on_engine
from tests.web.conftest import PASSWORD, csrf_token


@pytest.fixture(params=ENGINES)
def config(config, request: pytest.FixtureRequest):
    """The web test configuration on SQLite, and again on PostgreSQL: the jobs table on both engines."""
    return on_engine(config, request.param, request)


@pytest.fixture
def other_node(config, archive, users):
    """A second web node on the same home and database: its own archive, its own app, its own jobs."""
    from archive.service import Archive
    from web import create_app

    opened = Archive.open(config)
    app = create_app(config, archive=opened)
    app.config["TESTING"] = True
    yield app
    opened.close()


def _moved_to(client, app):
    """The same browser (its session cookie) asking another node."""
    moved = app.test_client()
    cookie = client.get_cookie("archive_session")
    moved.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    return moved


def _start(browser, path: str, **form) -> dict:
    token = csrf_token(browser, "/audit")
    answer = browser.post(path, data={**form, "csrf_token": token}, headers={"Accept": "application/json"})
    assert answer.status_code == 202, answer.get_data(as_text=True)
    return answer.get_json()


def _until_ended(client, job: dict) -> dict:
    for _ in range(600):
        job = client.get(job["url"]).get_json()
        if job["finished"]:
            return job
        time.sleep(0.05)
    raise AssertionError(f"the check did not end: {job}")


def test_a_check_started_on_one_node_is_followed_and_downloaded_on_another(login, other_node, filed, archive):
    archive.clients.add({"client_id": "K-1", "name": "Jan Jansen"}, SYSTEM)
    archive.update_facts(filed[0], {"client_id": "K-1"}, SYSTEM)
    first = login("auditor")
    second = _moved_to(first, other_node)

    verify = _until_ended(second, _start(first, "/audit/verify"))
    assert verify["state"] == "finished" and verify["ok"] is True, verify
    assert verify["summary"].startswith("Alles wat is gecontroleerd, is zoals het werd bewaard"), verify

    bag = _until_ended(second, _start(first, "/audit/export", client="K-1"))
    assert bag.get("error") is None and " 1 " in bag["summary"] and bag["file"], bag
    download = second.get(bag["file"])
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.data)) as zipped:
        assert zipped.namelist()
    download.close()
    assert first.get(bag["file"]).status_code == 404  # downloaded once, from whichever node


def test_another_users_check_is_as_unknown_as_a_made_up_one(app, login, other_node, archive, filed):
    _, uri = archive.users.add("tweede", "auditor", PASSWORD, SYSTEM)
    auditor = login("auditor")
    mine = _until_ended(auditor, _start(auditor, "/audit/verify"))
    other = app.test_client()
    token = csrf_token(other)
    other.post("/login", data={"name": "tweede", "password": PASSWORD, "csrf_token": token})
    if uri:
        code = pyotp.TOTP(pyotp.parse_uri(uri).secret).now()
        other.post("/login/code", data={"code": code, "csrf_token": csrf_token(other, "/login/code")})
    for client in (other, _moved_to(other, other_node)):
        theirs = client.get(mine["url"])
        made_up = client.get(mine["url"].replace(mine["id"], "x" * len(mine["id"])))
        assert theirs.status_code == made_up.status_code == 404
        assert {**theirs.get_json(), "id": ""} == {**made_up.get_json(), "id": ""}
        assert client.get(mine["url"] + "/file").status_code == 404
    anonymous = other_node.test_client().get(mine["url"])  # the id alone, without the session
    assert anonymous.status_code in (302, 401) and mine["id"] not in anonymous.get_data(as_text=True)
    assert len(mine["id"]) >= 20 and "auditor" not in mine["id"] and "verify" not in mine["id"]


def test_a_check_whose_node_stopped_beating_is_said_lost(login, other_node, archive, users):
    now = archive.core.clock.now()
    with archive.core.db.atomic() as conn:
        jobs_repo.insert_job(conn, "lost-one", "auditor", "verify", 100, "gone:1", iso(now - timedelta(seconds=45)))
        jobs_repo.beat(conn, "lost-one", 40, 100, iso(now - timedelta(seconds=31)))
        jobs_repo.insert_job(conn, "beating", "auditor", "verify", 100, "here:1", iso(now - timedelta(seconds=45)))
        jobs_repo.beat(conn, "beating", 40, 100, iso(now - timedelta(seconds=5)))
    client = _moved_to(login("auditor"), other_node)
    lost = client.get("/audit/jobs/lost-one").get_json()
    assert lost["finished"] is True and lost["state"] == "lost" and lost["done"] == 40, lost
    assert lost["error"].startswith("De server die deze controle uitvoerde, is gestopt"), lost
    running = client.get("/audit/jobs/beating").get_json()
    assert running["finished"] is False and running["state"] == "running" and "error" not in running
    assert "quiet" not in running  # one beat is five seconds apart: nothing to say yet
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    assert client.get("/audit/jobs/lost-one").get_json()["error"].startswith("The server running this check stopped")


def test_a_check_whose_node_went_quiet_says_so_before_it_is_lost(login, archive, users):
    now = archive.core.clock.now()
    with archive.core.db.atomic() as conn:
        jobs_repo.insert_job(conn, "quiet", "auditor", "verify", 100, "far:1", iso(now - timedelta(seconds=60)))
        jobs_repo.beat(conn, "quiet", 40, 100, iso(now - timedelta(seconds=17)))
    client = login("auditor")
    quiet = client.get("/audit/jobs/quiet").get_json()
    assert quiet["state"] == "running" and quiet["finished"] is False, quiet
    assert "17 seconden" in quiet["quiet"] and "30 seconden" in quiet["quiet"], quiet
    assert "error" not in quiet


def test_an_ended_check_is_forgotten_after_an_hour_with_its_file(login, archive, config, users):
    now = archive.core.clock.now()
    folder = config.home / "tmp" / "jobs" / "old"
    folder.mkdir(parents=True)
    (folder / "bewijs-K-1.zip").write_bytes(b"PK")
    with archive.core.db.atomic() as conn:
        for job_id, ended in (("old", now - timedelta(minutes=61)), ("recent", now - timedelta(minutes=59))):
            jobs_repo.insert_job(conn, job_id, "auditor", "export", 1, "n:1", iso(ended - timedelta(minutes=1)))
            file = "tmp/jobs/old/bewijs-K-1.zip" if job_id == "old" else None
            jobs_repo.finish_job(conn, job_id, "finished", 1, 1, '{"documents": 1}', None, file, iso(ended))
    client = login("auditor")
    assert client.get("/audit/jobs/old").status_code == 404
    assert client.get("/audit/jobs/recent").get_json()["state"] == "finished"
    assert jobs_repo.job(archive.core.db.read(), "old") is None and not folder.exists()


def test_a_reloaded_audit_page_follows_the_check_again_on_any_node(login, other_node, archive, filed, users):
    first = login("auditor")
    second = _moved_to(first, other_node)
    job = _until_ended(first, _start(first, "/audit/verify"))
    page = second.get("/audit").get_data(as_text=True)
    assert f'data-job="verify" data-job-url="{job["url"]}"' in page
    assert 'data-job="export">' in page  # no export was started: nothing to follow
    now = archive.core.clock.now()
    with archive.core.db.atomic() as conn:  # ended eleven minutes ago, nothing left to download
        conn.execute("UPDATE jobs SET ended_at = ?", (iso(now - timedelta(minutes=11)),))
    assert "data-job-url" not in second.get("/audit").get_data(as_text=True)
