"""The desk as each role sees it, in headless Chromium over HTTP, in Dutch, at 1366 and 390 px.

What an auditor filters on stays out of every address the browser asks for; a phone
card never shows a label with nothing after it; no page scrolls sideways on a phone.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from urllib.parse import unquote_plus

import pyotp
import pytest

from tests.browser import ENV, PASSWORD, needs_chromium, serving
from tests.documents import REPO, text_pdf
from tests.identities import light_hashing

SHOTS = Path(os.environ.get("ROLE_SHOTS", REPO / "test-artifacts" / "roles"))
WIDTHS = {"desktop": 1366, "phone": 390}
BSN = "123456782"
PEOPLE = {"anna": "clerk", "sara": "staff", "rik": "records_manager", "olga": "auditor", "arie": "admin"}

pytestmark = needs_chromium

# Labelled phone lines (a table cell shown as "label: value") with nothing after the label.
_EMPTY_LINES = """() => [...document.querySelectorAll('table.list td[data-label]')]
  .filter(td => td.offsetParent !== null && !td.textContent.trim() && !td.querySelector('input, a, button'))
  .map(td => td.dataset.label)"""
_SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Short single words in table cells drawn on two lines ("syste|m"): a column squeezed to break inside a word.
_SPLIT_WORDS = """() => [...document.querySelectorAll('table td')].filter(td => td.offsetParent !== null)
  .flatMap(td => [...td.childNodes].filter(n => n.nodeType === 3 && /^\\S{1,24}$/.test(n.textContent.trim())))
  .filter(n => { const range = document.createRange(); range.selectNodeContents(n);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size > 1; })
  .map(n => n.textContent.trim())"""


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """`archive serve` over a home with the five roles, clients, a due invoice and a hold; its log kept."""
    from archive.access.actors import SYSTEM
    from archive.config import load_config
    from archive.documents.filing import FilingHints
    from archive.service import Archive

    folder = tmp_path_factory.mktemp("roles")
    home, log = folder / "home", folder / "serve.log"
    env = {**ENV, "ARCHIVE_CONFIG": str(light_hashing(folder))}
    documents = [
        ("K-1", "Factuur V-2024-031\nFactuurdatum: 14 maart 2024\nBetreft: huur kantoor\nTotaal: EUR 412,50"),
        ("K-2", "Factuur V-2010-001\nFactuurdatum: 14 maart 2010\nBetreft: brood\nTotaal: EUR 41,50"),
        ("K-2", "Factuur V-2010-002\nFactuurdatum: 20 mei 2010\nBetreft: brood\nTotaal: EUR 38,00"),
    ]
    secrets: dict[str, str | None] = {}
    ids = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_CONFIG", env["ARCHIVE_CONFIG"])
        patch.setenv("ARCHIVE_ADMIN_PASSWORD", ENV["ARCHIVE_ADMIN_PASSWORD"])
        with Archive.open(load_config(home=home), create=True) as archive:
            archive.initialise()
            for name, role in PEOPLE.items():
                _, uri = archive.users.add(name, role, PASSWORD, SYSTEM)
                secrets[name] = pyotp.parse_uri(uri).secret if uri else None
            archive.clients.add({"client_id": "K-1", "name": "Jan Jansen", "kind": "person", "bsn": BSN}, SYSTEM)
            archive.clients.add({"client_id": "K-2", "name": "Bakkerij de Vries", "postcode": "3512 PH"}, SYSTEM)
            archive.clients.add({"client_id": "K-3", "name": "Garage Smit"}, SYSTEM)
            for n, (client, text) in enumerate(documents):
                outcome = archive.ingest(
                    text_pdf(folder / f"doc-{n}.pdf", [text]), SYSTEM, FilingHints(client_id=client)
                )
                assert outcome.status == "filed", outcome.error
                ids.append(outcome.id)
            archive.records.place_hold(archive.actor_named("rik"), "Onderzoek belastingdienst", client_id="K-3")
            anna = archive.actor_named("anna")
            archive.tags.add(ids[0], "wacht op betaling", anna)
            archive.notes.add(ids[0], f"Klant belde, BSN {BSN} bevestigd.", anna)
    with serving(home, env, log=log) as base:
        yield base, secrets, ids, log


class Visit:
    """One person's browser: logged in, every address it asks for kept."""

    def __init__(self, browser, base: str, name: str, secret: str | None) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
        self.addresses: list[str] = []
        self.context.on("request", lambda request: self.addresses.append(unquote_plus(request.url)))
        self.page = self.context.new_page()
        self.base, self.name = base, name
        self.page.goto(base + "/login")
        self.page.fill("input[name=name]", name)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        if secret:
            self.page.wait_for_url("**/login/code")
            self._enter_code(pyotp.TOTP(secret))
        self.page.wait_for_selector("h1")
        assert "/login" not in self.page.url, f"{name} was not let in"

    def _enter_code(self, totp) -> None:
        # A code logs in once: the same person let in twice within its 30 seconds waits for the next.
        used = None
        for _ in range(2):
            code = totp.now()
            while code == used:
                self.page.wait_for_timeout(1000)
                code = totp.now()
            self.page.fill("input[name=code]", code)
            self.page.click("button[type=submit]")
            self.page.wait_for_selector("h1")
            if "/login/code" not in self.page.url:
                return
            used = code

    def look(self, shot: str) -> dict:
        """Photograph the page at both widths; return what is wrong with it on a phone."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        found: dict = {}
        for label, width in WIDTHS.items():
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            self.page.screenshot(path=str(SHOTS / f"{shot}-{label}.png"), full_page=True)
            if label == "desktop":
                split = self.page.evaluate(_SPLIT_WORDS)
            if label == "phone":
                found = {
                    "empty": self.page.evaluate(_EMPTY_LINES),
                    "sideways": self.page.evaluate(_SIDEWAYS),
                    "split": split,
                }
        self.page.set_viewport_size({"width": 1366, "height": 900})
        return found

    def close(self) -> None:
        self.context.close()


def test_an_auditor_filters_the_trail_and_no_address_names_the_client(office, browser):
    from playwright.sync_api import expect

    base, secrets, ids, log = office
    olga = Visit(browser, base, "olga", secrets["olga"])
    page = olga.page
    page.goto(base + "/audit")
    # In a hurry: the client's BSN in the client box, and a name in the "who" box.
    page.fill("#a-client", "123 456 782")
    page.fill("#a-user", "Jansen")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"/audit\?ref=[\w-]+$"))
    expect(page.locator("#a-user")).to_have_value("Jansen")
    page.fill("#a-user", "")
    page.fill("#a-client", "K-2")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"/audit\?ref=[\w-]+$"))
    expect(page.locator("table.audit tbody tr").first).to_contain_text("K-2")
    assert olga.look("audit-auditor-filtered")["empty"] == []
    # In a hurry: another client typed, and the CSV asked for at once, without filtering first.
    page.fill("#a-client", "K-1")
    with page.expect_download() as download:
        page.click("text=CSV exporteren")
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert "K-1" in {row["client_id"] for row in exported} and "K-2" not in {row["client_id"] for row in exported}
    asked = [a for a in olga.addresses if a.startswith(base)]
    for typed in ("123 456 782", "Jansen", "client=K-"):
        assert not any(typed in address for address in asked), typed
        assert typed not in log.read_text(encoding="utf-8"), typed
    olga.close()


# Each role's pages: (person, address, shot name).
PAGES = [
    ("anna", "/", "start-clerk"),
    ("anna", "/?q=factuur", "results-clerk"),
    ("anna", "/documents/{doc}", "document-clerk"),
    ("anna", "/clients", "clients-clerk"),
    ("anna", "/review", "review-clerk"),
    ("anna", "/inbox", "inbox-clerk"),
    ("sara", "/", "start-staff"),
    ("sara", "/documents/{doc}", "document-staff"),
    ("sara", "/clients/K-1", "dossier-staff"),
    ("rik", "/records", "records-manager"),
    ("olga", "/records", "records-auditor"),
    ("olga", "/audit", "audit-auditor"),
    ("olga", "/documents/{doc}", "document-auditor"),
    ("arie", "/admin/users", "users-admin"),
    ("arie", "/", "start-admin"),
]


def test_an_auditor_runs_a_check_again_on_the_same_page_and_downloads_the_bag_once(office, browser):
    from playwright.sync_api import expect

    base, secrets, ids, log = office
    olga = Visit(browser, base, "olga", secrets["olga"])
    page = olga.page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "/audit")
    verify, export = page.locator("form.job-form[data-job=verify]"), page.locator("form.job-form[data-job=export]")
    for _ in range(2):  # "start it again" after an ended check: the page must follow the new one too
        verify.locator("button[type=submit]").click()
        expect(verify.locator(".job-state")).to_contain_text("Alles wat is gecontroleerd", timeout=60_000)
        expect(verify.locator("button[type=submit]")).to_be_enabled()
        expect(verify.locator("progress")).to_have_count(0)
    export.locator("input[name=client]").fill("K-2")
    export.locator("button[type=submit]").click()
    link = export.locator("a.button")
    expect(link).to_have_text("Bewijspakket downloaden", timeout=60_000)
    olga.look("audit-auditor-checks")
    with page.expect_download() as downloaded:
        link.click()
    assert downloaded.value.suggested_filename == "bewijs-K-2.zip"
    # Handed out once: the link gives way to a sentence rather than to a page that is not found.
    expect(export.locator(".job-note")).to_contain_text("Gedownload. Wilt u nog een exemplaar, exporteer dan opnieuw.")
    expect(export.locator("a.button")).to_have_count(0)
    page.reload()  # the page reloaded: both checks shown again from the server, the spent link not
    expect(verify.locator(".job-state")).to_contain_text("Alles wat is gecontroleerd", timeout=10_000)
    expect(export.locator(".job-state")).to_contain_text("Het bewijspakket bevat 2 documenten")
    expect(export.locator("a.button")).to_have_count(0)
    expect(verify.locator("button[type=submit]")).to_be_enabled()
    assert errors == []
    olga.close()


def test_every_role_sees_its_pages_whole_on_a_phone(office, browser):
    base, secrets, ids, _ = office
    problems = []
    for name in PEOPLE:
        visit = Visit(browser, base, name, secrets[name])
        for person, path, shot in PAGES:
            if person != name:
                continue
            visit.page.goto(base + path.format(doc=ids[0]))
            visit.page.wait_for_load_state()
            found = visit.look(shot)
            if PEOPLE[name] in ("staff", "records_manager", "admin"):  # who may not see a BSN in full
                assert BSN not in visit.page.content(), (shot, "a BSN in clear")
            if found["empty"] or found["sideways"] > 0 or found["split"]:
                problems.append((shot, found))
        if name == "anna":  # the client at the desk hands over an ID card: the clerk types its BSN
            visit.page.goto(base + "/clients")
            visit.page.fill("form.searchbox input[name=q]", "123 456 782")
            visit.page.press("form.searchbox input[name=q]", "Enter")
            visit.page.wait_for_load_state()
            assert "Jan Jansen" in visit.page.locator("table.list").inner_text()
            assert "123" not in visit.page.url
            visit.look("clients-by-bsn-clerk")
        if name == "rik":  # in a hurry: every due document ticked, "review the selection" pressed
            visit.page.goto(base + "/records")
            visit.page.click("text=Selectie controleren")
            visit.page.wait_for_load_state()
            found = visit.look("records-confirm-manager")
            if found["empty"] or found["sideways"] > 0 or found["split"]:
                problems.append(("records-confirm-manager", found))
        visit.close()
    assert problems == []


# The lines a table's column of times is drawn on, at most, per cell.
_WHEN_LINES = """() => Math.max(...[...document.querySelectorAll('table.audit tbody tr')].map(tr => {
  const range = document.createRange(); range.selectNodeContents(tr.cells[1]);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size; }))"""


def test_the_trail_at_desktop_width_gives_each_time_one_line(office, browser):
    """A checkpoint's 64-character hash in the details squeezed the time to four lines a row."""
    base, secrets, _, _ = office
    olga = Visit(browser, base, "olga", secrets["olga"])
    olga.page.set_viewport_size({"width": 1280, "height": 900})
    olga.page.goto(base + "/audit")
    assert "0000000000000000" in olga.page.locator("table.audit").inner_text()  # the first checkpoint's hash
    assert olga.page.evaluate(_WHEN_LINES) == 1
    assert olga.look("audit-auditor-times")["sideways"] <= 0
    olga.close()


def test_the_masked_bsn_hint_keeps_its_field_the_width_of_the_others(office, browser):
    """The hint under a masked BSN stretched its field, and the "Show BSN" button with it, across half the form."""
    base, secrets, _, _ = office
    anna = Visit(browser, base, "anna", secrets["anna"])
    anna.page.set_viewport_size({"width": 1280, "height": 900})
    anna.page.goto(base + "/clients/K-1/edit")
    width = anna.page.evaluate(
        "id => document.getElementById(id).closest('.field').getBoundingClientRect().width", "c-bsn"
    )
    button = anna.page.get_by_role("button", name="BSN tonen").bounding_box()
    assert width <= 22 * 16 + 1, width
    assert button["width"] < width / 2, (button, width)
    anna.look("client-edit-bsn-clerk")
    anna.close()


def test_a_records_manager_places_a_hold_on_a_client_found_by_name(office, browser):
    """The hold form took only a client number: told of a dispute with "de bakkerij", the
    records manager had to leave the page to look it up. It offers the clients as one types."""
    from playwright.sync_api import expect

    base, secrets, _, _ = office
    rik = Visit(browser, base, "rik", secrets["rik"])
    page = rik.page
    page.goto(base + "/records")
    page.locator("#h-client").press_sequentially("bakker")
    option = page.locator("#h-client-options li", has_text="Bakkerij de Vries")
    expect(option).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#h-client")).to_have_value("K-2")
    expect(page.locator("#h-client-chosen")).to_have_text("Bakkerij de Vries")
    page.fill("#h-reason", "Geschil over levering")
    rik.look("records-hold-lookup")
    page.click(".hold-form button")
    held = page.locator("table tr", has_text="Geschil over levering")
    expect(held).to_contain_text("K-2 · Bakkerij de Vries")
    # Released again: K-2's invoices are the other tests' documents due for destruction.
    held.locator("input[name=reason]").fill("Geschil opgelost")
    held.locator("button").click()
    expect(page.locator("table tr", has_text="Geschil over levering")).to_have_count(0)
    rik.close()
