"""The Analysis page and its CSV over a real archive holding the known history."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from archive.access.actors import SYSTEM
from archive.config import load_config
from tests.stats.conftest import seed_known_history
from tests.web.conftest import PASSWORD, log_in

WEEK = "since=2026-11-01&until=2026-11-06"


@pytest.fixture(scope="module")
def client_as(tmp_path_factory):
    """Return a function giving a test client logged in with a role (CSRF on, as in production).

    One archive and app for the module: opening them and hashing passwords is slow.
    """
    import pyotp

    from archive.service import Archive
    from web import create_app

    config = load_config(home=tmp_path_factory.mktemp("analysis") / "home")
    archive = Archive.open(config, create=True)
    seed_known_history(archive.db)
    app = create_app(config, archive=archive)
    app.config["TESTING"] = True
    sessions: dict[str, str] = {}

    def make(role: str):
        # One log-in per role (a second-factor code logs in only once); each test gets
        # its own client starting from that session, so a language switch stays there.
        if role not in sessions:
            _, uri = archive.users.add(role.replace("_", "-"), role, PASSWORD, SYSTEM)
            first = app.test_client()
            log_in(first, role, pyotp.parse_uri(uri).secret if uri else None)
            sessions[role] = first.get_cookie("archive_session").value
        client = app.test_client()
        client.set_cookie("archive_session", sessions[role])
        return client

    yield make
    archive.close()


def test_auditor_sees_every_chart_with_its_definition(client_as):
    response = client_as("auditor").get(f"/analysis?{WEEK}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Frontofficeanalyse" in page and "6 (12 pagina&#39;s)" in page
    assert "nearest-rank" in page and "⌈p/100 × n⌉" in page  # the percentile definition is printed
    assert page.count("<svg") == 9 and "<title" in page
    assert "Gearchiveerde documenten per dag" in page
    assert "2026-11-02, Factuur: 2" in page and "2026-11-02, Brief: 1" in page  # parts of a stacked bar
    # the numbers are also a table: the clerks' row for anna
    assert "<td>anna</td><td>3</td><td>4</td>" in page
    assert 'href="/analysis.csv?since=2026-11-01&amp;until=2026-11-06&amp;by=day"' in page


def test_every_chart_is_well_formed_svg(client_as):
    page = client_as("admin").get(f"/analysis?{WEEK}&by=week").get_data(as_text=True)
    charts = page.split("<svg")[1:]
    for chunk in charts:
        ET.fromstring("<svg" + chunk.split("</svg>")[0] + "</svg>")
    assert "2026-W45" in page


def test_english_and_dutch_number_notation(client_as):
    client = client_as("auditor")
    assert "16,7 %" in client.get(f"/analysis?{WEEK}").get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get(f"/analysis?{WEEK}").get_data(as_text=True)
    assert "Front-office analysis" in page and "16.7 %" in page and "Documents filed per day" in page


def test_csv_has_the_same_numbers(client_as):
    response = client_as("auditor").get(f"/analysis.csv?{WEEK}")
    assert response.mimetype == "text/csv"
    assert "analysis-2026-11-01-2026-11-06.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert ["filed", "", "6"] in rows and ["searches.opened", "", "1"] in rows


def test_a_bad_date_falls_back_to_the_default_period_and_says_why(client_as):
    page = client_as("auditor").get("/analysis?since=gisteren").get_data(as_text=True)
    assert 'role="alert"' in page and "12-03-2024" in page and "laatste 30 dagen" in page


@pytest.mark.parametrize("role", ["clerk", "staff", "records_manager"])
def test_other_roles_are_refused(client_as, role):
    client = client_as(role)
    assert client.get("/analysis").status_code == 403
    assert client.get("/analysis.csv").status_code == 403
