"""No Dutch page turns English: every page, and every failure a person can provoke, read in Dutch.

Each role walks the pages it may open, then does what a clerk in a hurry gets wrong:
a file the archive does not take, a date that does not exist, a client without a
name, a weak password, a hold without a reason, an audit period that ends before it
starts, a file the inbox set aside, a failed filing on the analysis page, a stored
original that went missing. Every answer is searched for English (tests/web/english.py).
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import pytest
from flask import url_for

from archive.access.actors import SYSTEM, Actor
from archive.errors import Message
from archive.inbox.notes import write_note
from archive.wording import office_wording
from search.errors import IndexBusy
from storage.errors import MigrationError
from tests.web.conftest import PASSWORD
from tests.web.english import english_in_script, leaks
from web import access
from web.i18n import sentence

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
WEB_PAGE = b"<!doctype html><html><body><p>hallo</p></body></html>"
DAMAGED = Message("pdf.damaged", "This PDF is damaged or incomplete and cannot be read; please scan or save it again.")


class Reader:
    """A logged-in client that reads every answer for English and keeps what it found."""

    def __init__(self, client, role: str) -> None:
        self.client, self.role, self.found = client, role, []

    def check(self, what: str, response, status: int | tuple[int, ...] = (200, 400, 403, 404, 409)) -> str:
        statuses = (status,) if isinstance(status, int) else status
        assert response.status_code in statuses, (self.role, what, response.status_code)
        if response.mimetype not in ("text/html", "application/json"):
            return ""  # an original, a PDF, a thumbnail, a CSV: the stored data itself
        body = response.get_data(as_text=True)
        if response.mimetype == "application/json":
            data = response.get_json()
            if not isinstance(data, dict):  # a list a page's script asks for (suggestions): names, not sentences
                return body
            texts = [o.get("message", "") for o in data.get("outcomes", [])] + [data.get("error") or ""]
            body = "".join(f"<p>{text}</p>" for text in texts)
        self.found += [f"{self.role} {what}: {leak}" for leak in leaks(body)]
        return body

    def get(self, path: str, **kwargs) -> str:
        return self.check(f"GET {path}", self.client.get(path, follow_redirects=True), **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> str:
        return self.check(
            f"POST {path} {sorted(data)}", self.client.post(path, data=data, follow_redirects=True), **kwargs
        )


@pytest.fixture
def office(no_csrf, archive, filed, tmp_path):
    """An archive with documents, a client, a hold, a failed filing and files the inbox set aside."""
    archive.clients.add({"client_id": "K-1", "name": "Jansen Administratie", "kind": "company"}, SYSTEM)
    archive.records.place_hold(
        Actor("rita", "records_manager"), "Rechtszaak", document_id=filed[0], case_reference="ZAAK-1"
    )
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<")
    assert archive.ingest(broken, SYSTEM).status == "failed"
    failed = archive.config.inbox_path / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    # One note written by an English-speaking office: a Dutch reader still reads Dutch.
    for name, language in (("scan-nl.pdf", "nl"), ("scan-en.pdf", "en")):
        (failed / name).write_bytes(b"%PDF-1.4")
        write_note(
            failed / name, PurePosixPath(f"K-1/{name}"), DAMAGED, datetime.now(timezone.utc), office_wording(language)
        )
    return filed


# Pages with a search, a filter or a wrong address, beside every page the app has (found in its URL map).
EXTRA = [
    "/?q=huur",
    "/?q=date:[2024",
    "/?q=amount:>1.000",
    "/?type=invoice",
    "/clients?q=Jansen",
    "/audit?document={document}",
    "/analysis?period=2024",
    "/documents/999999",
    "/no-such-page",
]


def _pages(app, filed: list[int]) -> list[str]:
    """Every page a person can open (each GET address of the app, its blanks filled), and a few more."""
    values = {
        "document_id": filed[0],
        "client_id": "K-1",
        "name": "clerk",
        "hold_id": 1,
        "number": 1,
        "kind": "html",
        "job_id": "none",
        "page": 1,
        "search_id": 1,
    }
    pages = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            # The API answers programs, in English with codes (web/errors.py).
            shown = "GET" in (rule.methods or ()) and rule.endpoint != "static" and not rule.rule.startswith("/api/")
            if not shown:
                continue
            missing = set(rule.arguments) - set(values)
            assert not missing, f"give {rule.rule} a value for {missing} in _pages"
            pages.append(url_for(rule.endpoint, **{name: values[name] for name in rule.arguments}))
    return sorted(set(pages)) + [page.format(document=filed[0]) for page in EXTRA]


@pytest.mark.parametrize("role", ["clerk", "staff", "records_manager", "auditor", "admin"])
def test_every_page_a_role_opens_is_dutch(office, login, role, app):
    reader = Reader(login(role), role)
    for path in _pages(app, office):
        reader.get(path)
    assert not reader.found, "\n".join(reader.found)


def test_every_failure_a_clerk_provokes_is_worded_in_dutch(office, login):
    clerk = Reader(login("clerk"), "clerk")
    one = office[0]
    # Uploads: a web page, a date that does not exist, nothing at all; as a page and as the page's script asks.
    for form, with_file in (({}, True), ({"document_date": "31-02-2024"}, True), ({}, False)):
        for headers in ({}, {"Accept": "application/json"}):
            files = {"files": (io.BytesIO(WEB_PAGE), "pagina.html")} if with_file else {}
            clerk.check(
                f"upload {form} {headers}", clerk.client.post("/upload", data={**form, **files}, headers=headers)
            )
    # The facts form: an amount and a date a person mistypes.
    for changes in (
        {"amount": "twaalf"},
        {"document_date": "31-02-2024"},
        {"document_date": "12/13/2024"},
        {"client_id": "K-999"},
        {"iban": "NL00 BANK 0000 0000 00"},
        {"currency": "EURO"},
    ):
        clerk.post(f"/documents/{one}/facts", changes)
    # The client form: no name, a number taken, a BSN that is none, an e-mail address that is none.
    for values in (
        {"client_id": "K-2", "name": "", "kind": "person"},
        {"client_id": "K-1", "name": "Dubbel", "kind": "person"},
        {"client_id": "K-3", "name": "Jan", "kind": "person", "bsn": "123456789"},
        {"client_id": "K-4", "name": "Jan", "kind": "person", "email": "geen-adres"},
        {"client_id": "", "name": "Jan", "kind": "alien"},
    ):
        clerk.post("/clients/new", values)
    clerk.post("/clients/K-1/edit", {"name": "", "kind": "company"})
    # Review, retry and language with wrong input; the inbox page with the reasons of set-aside files.
    clerk.post(f"/review/{one}", {"action": "nonsense"})
    clerk.post("/inbox/retry", {"key": "../archive.sqlite3"})
    page = clerk.get("/inbox")
    assert "Deze PDF is beschadigd of onvolledig" in page
    clerk.post("/inbox/retry", {"key": re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)})
    # The own password: two that differ, a wrong current one, a weak new one.
    for values in (
        {"current": "x", "new": "Aaaaaaaaaaaa1!", "repeat": "Bbbbbbbbbbbb1!"},
        {"current": "fout", "new": "Lang-Genoeg-Wachtwoord-9", "repeat": "Lang-Genoeg-Wachtwoord-9"},
        {"current": "Tulpen-in-de-Wind-42", "new": "welkom", "repeat": "welkom"},
        {"current": "Tulpen-in-de-Wind-42", "new": "password123", "repeat": "password123"},
    ):
        clerk.post("/account/password", values, status=(200, 400, 401, 429))
    assert not clerk.found, "\n".join(clerk.found)


def test_the_login_pages_and_their_refusals_are_dutch(no_csrf, users):
    visitor = Reader(no_csrf.test_client(), "visitor")
    visitor.get("/login")
    visitor.get("/documents/1")  # sent to log in first
    visitor.post("/login", {"name": "clerk", "password": "fout"}, status=(200, 400, 401))
    visitor.post("/login", {"name": "niemand", "password": "fout"}, status=(200, 400, 401))
    visitor.post("/login", {"name": "admin", "password": PASSWORD})
    visitor.post("/login/code", {"code": "000000"}, status=(200, 400, 401))
    visitor.post("/logout", {})
    assert not visitor.found, "\n".join(visitor.found)


def test_every_failure_of_records_audit_and_admin_is_worded_in_dutch(office, login, archive):
    manager = Reader(login("records_manager"), "records_manager")
    one = office[0]
    for values in (
        {"document_id": one, "reason": ""},
        {"document_id": 999999, "reason": "Zaak"},
        {"client_id": "K-999", "reason": "Zaak"},
        {"reason": "Zaak"},
        {"document_id": one, "client_id": "K-1", "reason": "Zaak"},
    ):
        manager.post("/records/holds", values)
    hold_id = archive.records.holds(SYSTEM)[0].id
    manager.post(f"/records/holds/{hold_id}/release", {"reason": ""})
    manager.post("/records/holds/999999/release", {"reason": "Klaar"})
    manager.post("/records/dispose", {})
    auditor = Reader(login("auditor"), "auditor")
    for query in (
        "since=gisteren",
        "until=31-02-2024",
        "since=2024-12-31&until=2024-01-01",
        "document=abc",
        "action=bestaat-niet",
    ):
        auditor.get(f"/audit?{query}")
        auditor.get(f"/audit.csv?{query}")
    assert "De periode begint (31 december 2024) na het einde (1 januari 2024)" in auditor.get(
        "/audit?since=2024-12-31&until=2024-01-01"
    )
    admin = Reader(login("admin"), "admin")
    for values in (
        {"name": "nieuw", "role": "clerk", "password": "welkom"},
        {"name": "nieuw", "role": "clerk", "password": "password1234"},
        {"name": "", "role": "clerk", "password": "Lang-Genoeg-Wachtwoord-9"},
        {"name": "nieuw", "role": "koning", "password": "Lang-Genoeg-Wachtwoord-9"},
        {"name": "clerk", "role": "clerk", "password": "Lang-Genoeg-Wachtwoord-9"},
    ):
        admin.post("/admin/users", values)
    for values in (
        {"action": "password", "password": "kort"},
        {"action": "role", "role": "koning"},
        {"action": "nonsense"},
    ):
        admin.post("/admin/users/clerk", values)
    admin.post("/admin/users/niemand", {"action": "disable"})
    page = admin.get("/analysis")
    assert "Deze PDF is beschadigd" in page
    for period in ("period=gisteren", "since=31-02-2024", "since=2024-12-31&until=2024-01-01"):
        admin.get(f"/analysis?{period}")
    found = manager.found + auditor.found + admin.found
    assert not found, "\n".join(found)


def test_faults_of_the_archive_itself_are_worded_in_dutch(office, login, archive, app, monkeypatch):
    """A missing stored original, a busy index, a failed migration: a sentence in Dutch, not a class name."""
    # These two cannot be made to happen on cue through a page; a probe raises the real errors at the border.
    # Each as search/index.py and storage/migrations raise it.
    faults = {
        "busy": IndexBusy("index.busy", "The search index is busy with another update; try again in a moment."),
        "migration": MigrationError(
            "database.migration_failed",
            "Schema migration {name} failed ({error}: "
            "{exc}); the database was left as it was, at its previous version.",
            name="0099_probe",
            error="OperationalError",
            exc="disk I/O error",
        ),
    }

    def probe(kind: str):
        raise faults[kind]

    app.add_url_rule("/probe/<kind>", "probe", probe)
    monkeypatch.setitem(access.ENDPOINTS, "probe", access.ANY_USER)
    staff = Reader(login("staff"), "staff")
    stored = archive.original_path(office[1], SYSTEM)
    stored.chmod(0o600)
    stored.unlink()
    body = staff.check("missing original", staff.client.get(f"/documents/{office[1]}/original"), status=500)
    assert "ontbreekt" in body and "StoredFileMissing" not in body
    for kind, error in faults.items():
        body = staff.check(f"probe {kind}", staff.client.get(f"/probe/{kind}"), status=(500, 503))
        assert type(error).__name__ not in body
        with app.test_request_context():
            assert sentence(error) != str(error), f"{error.code} has no Dutch"
    assert not staff.found, "\n".join(staff.found)


def test_the_english_pages_hold_no_dutch_sentence(office, login, app):
    """The other way round: a person who chose English reads none of the catalogue's Dutch."""
    admin = login("admin")
    admin.post("/language", data={"lang": "en"})
    found = []
    for path in _pages(app, office):
        response = admin.get(path, follow_redirects=True)
        if response.mimetype == "text/html":
            found += [f"{path}: {leak}" for leak in leaks(response.get_data(as_text=True), "en")]
    assert not found, "\n".join(found)


def test_scripts_hold_no_english_sentence():
    """A page's script takes its sentences from the page (data-msg-… attributes), which the catalogue wrote."""
    found = {path.name: english_in_script(path.read_text(encoding="utf-8")) for path in STATIC.glob("*.js")}
    assert not any(found.values()), found


def test_the_detector_finds_english_and_passes_dutch():
    assert leaks("<p>Het bestand kon niet worden gelezen.</p>") == []
    assert leaks("<p>The file could not be read.</p>")
    assert leaks('<input placeholder="Type the name of your client">')
    assert leaks("<p>Er ging iets mis: This PDF is damaged or incomplete and cannot be read</p>")
    assert leaks('<script>var x = "the file is not there";</script><p lang="en">English</p>') == []
    assert re.search("English", leaks("<button>Sign in to the archive</button>")[0])


def test_the_search_box_suggests_the_dutch_filter_names_as_the_help_does(login, filed):
    staff = login("staff")
    for page in (staff.get("/").get_data(as_text=True), staff.get("/?q=factuur").get_data(as_text=True)):
        assert 'placeholder="Zoekwoorden, cliënt, soort:factuur, datum:2024, bedrag:&gt;100 …"' in page
        assert "date:2024" not in page
