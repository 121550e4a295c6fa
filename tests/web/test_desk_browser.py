"""The daily desk in headless Chromium, in Dutch, as a receptionist (staff) and a clerk, at 1366 and 390 px."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from datetime import date

import pytest

from tests.browser import ENV, PASSWORD, archive_command, needs_chromium, serving
from tests.documents import REPO, text_pdf

SHOTS = REPO / "test-artifacts" / "desk"
WIDTHS = {"desktop": 1366, "phone": 390}

pytestmark = needs_chromium


def _last_march(today: date) -> int:
    return today.year if today.month > 3 else today.year - 1


# The home's own settings: a custom field for invoices, small result pages (so that
# "all results" is more than one page), and a watcher that takes files quickly.
SETTINGS = """
[search]
page_size = 10

[ingest]
settle_seconds = 0.5
rescan_seconds = 1.0
workers = 1

[desk.fields.betaalstatus]
label_nl = "Betaalstatus"
label_en = "Payment status"
kind = "choice"
choices = ["open", "betaald"]
types = ["invoice"]
"""
# More results than one page: what a clerk changes "all at once".
PRINTS = 12


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    """`archive serve` over a home with a clerk, a receptionist, clients, their documents and two to review.

    The home is made in this process through the Archive itself: each `archive` command
    would cost seconds of start-up on a busy machine.
    """
    from archive.access.actors import SYSTEM
    from archive.config import load_config
    from archive.documents.filing import FilingHints
    from archive.service import Archive

    folder = tmp_path_factory.mktemp("desk")
    home = folder / "home"
    settings = folder / "settings.toml"
    settings.write_text(SETTINGS)
    env = {**ENV, "ARCHIVE_CONFIG": str(settings)}
    year = _last_march(date.today())
    documents = [
        ("K-7", f"Factuur V-{year}-031\nFactuurdatum: 14 maart {year}\nBetreft: broodleveringen\nTotaal: EUR 412,50"),
        ("K-7", f"Factuur V-{year}-052\nFactuurdatum: 20 mei {year}\nBetreft: broodleveringen\nTotaal: EUR 388,00"),
        ("K-7", f"Brief\nDatum: 2 maart {year}\nBetreft: nieuwe leverdagen\nMet vriendelijke groet"),
        ("K-8", f"Factuur G-{year}-007\nFactuurdatum: 9 maart {year}\nBetreft: onderhoud bus\nTotaal: EUR 990,00"),
        *[
            ("K-9", f"Factuur D-{n:03d}\nFactuurdatum: {n + 1} juni {year}\nBetreft: drukwerk\nTotaal: EUR {n + 10},00")
            for n in range(PRINTS)
        ],
        # Two letters that name no client: the review queue's work.
        *[(None, f"Brief\nDatum: {n + 3} april {year}\nBetreft: verhuizing {n}") for n in range(2)],
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_ADMIN_PASSWORD", ENV["ARCHIVE_ADMIN_PASSWORD"])
        with Archive.open(load_config(settings, home=home), create=True) as archive:
            archive.initialise()
            archive.users.add("anna", "clerk", PASSWORD, SYSTEM)
            archive.users.add("sara", "staff", PASSWORD, SYSTEM)
            for client, name in (("K-7", "Bakkerij de Vries"), ("K-8", "Garage Smit"), ("K-9", "Drukkerij Jansen")):
                archive.clients.add({"client_id": client, "name": name}, SYSTEM)
            for n, (client, text) in enumerate(documents):
                outcome = archive.ingest(
                    text_pdf(folder / f"doc-{n}.pdf", [text]), SYSTEM, FilingHints(client_id=client)
                )
                assert outcome.status == "filed", outcome.error
    with serving(home, env) as base:
        yield base, year, home, env


# Resolves once every picture on the page has loaded and two frames have been painted:
# a page photographed mid-layout shows boxes without their text.
_SETTLED = """() => Promise.all([...document.images].map(
    i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })))
  .then(() => document.fonts.ready)
  .then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"""


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        page.evaluate(_SETTLED)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _log_in(browser, base: str, name: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return page


def test_a_receptionist_finds_a_clients_invoice_of_last_march_from_the_start_page(desk_server, browser):
    from playwright.sync_api import expect

    base, year, *_ = desk_server
    page = _log_in(browser, base, "sara")
    expect(page.locator("h1")).to_contain_text("Goedendag, sara")
    expect(page.locator("#q")).to_be_focused()
    _shot(page, "1-start-staff")
    # 1: type the client's name; 2: pick the client; 3: open the invoice dated last March.
    page.locator("#q").fill("vries")
    suggestion = page.locator("#q-list li", has_text="Bakkerij de Vries")
    expect(suggestion).to_be_visible()
    _shot(page, "2-suggestions")
    suggestion.click()
    march = page.locator(".hit", has_text=f"maart {year}").filter(has_text="Factuur")
    expect(march).to_have_count(1)
    expect(page.locator(".hit")).to_have_count(3)
    march.locator("a.title").click()
    expect(page.locator("h1")).to_contain_text(f"V-{year}-031")
    expect(page.locator(".facts")).to_contain_text(f"14 maart {year}")
    expect(page.locator(".facts")).to_contain_text("Bakkerij de Vries")
    page.close()


def test_the_header_search_and_keyboard_work_on_every_page(desk_server, browser):
    from playwright.sync_api import expect

    base, *_ = desk_server
    page = _log_in(browser, base, "sara")
    page.goto(base + "/help/keys")
    expect(page.locator("h1")).to_have_text("Sneltoetsen")
    expect(page.locator("table.keys")).to_contain_text("Ctrl")
    page.keyboard.press("/")
    expect(page.locator("#header-q")).to_be_focused()
    page.keyboard.type("Garage")
    expect(page.locator("#header-q-list li").first).to_contain_text("Garage Smit")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(".hit")).to_have_count(1)
    page.goto(base + "/?q=broodleveringen&sort=date")
    page.locator("body").click(position={"x": 5, "y": 5})
    for key in ("j", "j", "k"):  # down, down (the last), up: back on the newest
        page.keyboard.press(key)
    selected = page.locator(".hit.selected")
    expect(selected).to_have_count(1)
    expect(selected).to_contain_text("mei")
    expect(selected.locator("a.title")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("V-")
    expect(page.locator(".facts")).to_contain_text("20 mei")
    page.keyboard.press("/")
    expect(page.locator("#header-q")).to_be_focused()
    page.close()


def test_a_clerk_tags_and_notes_a_document_and_the_receptionist_finds_it(desk_server, browser):
    from playwright.sync_api import expect

    base, year, *_ = desk_server
    page = _log_in(browser, base, "anna")
    page.goto(base + "/?q=ref:V-" + str(year) + "-052")
    page.locator(".hit a.title").first.click()
    page.fill("#new-tag", "betaling te laat")
    page.click(".tag-form button")
    expect(page.locator("ul.tags .tag")).to_have_count(1)
    page.fill("#new-note", "Klant belde: betaalt eind van de maand.")
    page.click(".note-form button")
    expect(page.locator(".note")).to_contain_text("Klant belde")
    expect(page.locator(".history")).to_contain_text("label toegevoegd")
    expect(page.locator(".history")).to_contain_text("notitie geschreven")
    # A second tag, suggested from those in use, then taken off again with its cross.
    page.fill("#new-tag", "terugbellen")
    page.click(".tag-form button")
    expect(page.locator("ul.tags .tag")).to_have_count(2)
    page.click("button[aria-label='Label terugbellen verwijderen']")
    expect(page.locator("ul.tags .tag")).to_have_count(1)
    expect(page.locator(".history")).to_contain_text("label verwijderd")
    expect(page.locator(".history")).not_to_contain_text("False")  # a flag that is off is not shown
    # The writer corrects the note; the page says it was changed.
    note = page.locator(".note").first
    note.locator("summary").click()
    note.locator("textarea").fill("Klant belde: betaalt na de jaarwisseling.")
    note.locator("button").click()
    expect(page.locator(".note-text")).to_have_text("Klant belde: betaalt na de jaarwisseling.")
    expect(page.locator(".note .who")).to_contain_text("gewijzigd")
    expect(page.locator(".page-image").first).to_be_visible()
    _shot(page, "3-document-tags-notes")
    page.close()
    page = _log_in(browser, base, "sara")
    page.goto(base + "/?q=note:belde")
    expect(page.locator(".hit")).to_have_count(1)
    expect(page.locator(".hit .tags-line")).to_contain_text("betaling te laat")
    expect(page.locator(".hit .tags-line")).not_to_contain_text("terugbellen")
    _shot(page, "4-results-list")
    page.set_viewport_size({"width": 390, "height": 900})  # on a phone the documents come before the filters
    assert page.locator(".hit").first.bounding_box()["y"] < page.locator(".facets").bounding_box()["y"]
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(base + "/?q=jaarwisseling")  # plain words find notes too
    expect(page.locator(".hit", has_text=f"V-{year}-052")).to_have_count(1)
    page.locator(".hit a.title", has_text=f"V-{year}-052").click()
    expect(page.locator(".note-text")).to_have_text("Klant belde: betaalt na de jaarwisseling.")
    expect(page.locator("ul.tags .tag")).to_have_text("betaling te laat")
    # Staff read the tags and change none, cannot change the clerk's note, and write their own.
    expect(page.locator(".tag-form, .note details, ul.tags button.remove")).to_have_count(0)
    page.fill("#new-note", "Teruggebeld, klant weet ervan.")
    page.click(".note-form button")
    expect(page.locator(".note", has_text="Teruggebeld").locator(".who")).to_contain_text("sara")
    expect(page.locator(".note", has_text="Teruggebeld").locator("details")).to_have_count(1)  # hers to change
    page.close()


def test_a_clerk_changes_results_in_bulk_and_saves_the_search(desk_server, browser):
    from playwright.sync_api import expect

    base, year, *_ = desk_server
    page = _log_in(browser, base, "anna")
    page.goto(base + "/?q=broodleveringen&sort=date")
    expect(page.locator(".hit")).to_have_count(2)
    page.click("text=Raster")
    expect(page.locator(".hits.grid .hit")).to_have_count(2)
    _shot(page, "5-results-grid")
    page.check("#select-page")
    expect(page.locator(".selected-count")).to_have_text("2 geselecteerd")
    page.select_option("#bulk-action", "tag")
    page.fill("#bulk-value", "jaarafsluiting")
    page.click("text=Toepassen op selectie")
    expect(page.locator(".notice")).to_contain_text("2 documenten gewijzigd")
    expect(page.locator(".hit .tags-line", has_text="jaarafsluiting")).to_have_count(2)
    page.fill(".save-search input[name=name]", "Brood Vries")
    page.select_option(".save-search select", "staff")
    page.click(".save-search button")
    expect(page.locator(".notice")).to_contain_text("Opgeslagen als Brood Vries")
    page.close()
    page = _log_in(browser, base, "sara")
    saved = page.locator("#saved li", has_text="Brood Vries")
    expect(saved.locator(".count")).to_have_text("2")
    _shot(page, "6-saved-searches-staff")
    saved.locator("a").click()
    expect(page.locator(".hit")).to_have_count(2)
    page.close()


def test_a_clerk_in_a_hurry_changing_all_results_is_asked_with_the_count(desk_server, browser):
    from playwright.sync_api import expect

    base, *_ = desk_server
    page = _log_in(browser, base, "anna")
    page.goto(base + "/?q=drukwerk&view=grid")
    expect(page.locator(".hits.grid .hit")).to_have_count(10)  # one page of the twelve
    _shot(page, "7-results-grid-many")
    page.check("input[name=all]")
    expect(page.locator(".selected-count")).to_have_text(f"{PRINTS} geselecteerd")
    page.select_option("#bulk-action", "tag")
    page.fill("#bulk-value", "nagekeken")
    page.click("text=Toepassen op selectie")
    expect(page.locator("h1")).to_have_text(f"{PRINTS} documenten wijzigen?")
    expect(page.locator(".bulk-what")).to_contain_text("nagekeken")
    _shot(page, "8-bulk-confirm")
    # While the change is on its way the page says how many are being changed, and the button
    # waits: the first press is held in the page to look, then the form goes as it would have.
    form = page.locator("#bulk-confirm")
    form.evaluate("f => f.addEventListener('submit', e => e.preventDefault(), {once: true})")
    page.get_by_role("button", name=f"{PRINTS} documenten wijzigen").click()
    expect(form.locator(".busy")).to_have_text(f"{PRINTS} documenten worden gewijzigd…")
    expect(form.locator("button")).to_be_disabled()
    with page.expect_navigation():
        form.evaluate("f => f.submit()")
    expect(page.locator(".notice")).to_contain_text(f"{PRINTS} documenten gewijzigd ({PRINTS} geselecteerd).")
    page.goto(base + "/?q=tag:nagekeken")
    expect(page.locator(".total")).to_have_text(f"{PRINTS} documenten")
    # Taken off again, in bulk: a few ticked by hand need no second question.
    untagged = page.locator(".hit a.title").first.inner_text()
    page.locator(".hit-check").nth(0).check()
    page.locator(".hit-check").nth(1).check()
    page.select_option("#bulk-action", "untag")
    page.fill("#bulk-value", "nagekeken")
    page.click("text=Toepassen op selectie")
    expect(page.locator(".notice")).to_contain_text("2 documenten gewijzigd (2 geselecteerd).")
    expect(page.locator(".total")).to_have_text(f"{PRINTS - 2} documenten")
    page.goto(base + "/?q=ref:" + re.search(r"D-\d{3}", untagged).group(0))
    page.locator(".hit a.title").first.click()
    history = page.locator(".history")
    expect(history).to_contain_text("label toegevoegd")
    expect(history).to_contain_text("label verwijderd")
    page.close()


def test_the_review_queue_saves_with_ctrl_enter_and_goes_to_the_next(desk_server, browser):
    from playwright.sync_api import expect

    base, *_ = desk_server
    page = _log_in(browser, base, "anna")
    page.goto(base + "/review")
    waiting = int(page.locator("h1 small").inner_text().split()[0])
    assert waiting >= 2
    first = page.locator(".facts h2 a").inner_text().split()[0]  # "#12"
    expect(page.locator(".viewer .page-image").first).to_be_visible()
    _shot(page, "9-review")
    page.keyboard.press("Control+Enter")  # in a hurry, before choosing the client
    expect(page.locator("#r-client_id-error")).to_be_visible()
    _shot(page, "9-review-client-missing")
    expect(page.locator(".form-actions .hint")).to_be_visible()  # Ctrl + Enter, at a desk
    page.set_viewport_size({"width": 390, "height": 900})
    expect(page.locator(".form-actions .hint")).to_be_hidden()  # no keyboard shortcut on a phone
    # The "no client" tick is big enough for a thumb: the box, and the line that ticks it.
    assert page.locator("input[name=without_client]").bounding_box()["width"] >= 20
    assert page.locator("label.check-inline").bounding_box()["height"] >= 44
    page.set_viewport_size({"width": 1366, "height": 900})
    # The suggestions open right under the client field, not under the "no client" tick
    # below its error: there a click aimed at the first suggestion ticks the box.
    page.locator("#r-client_id").press_sequentially("Garage")
    suggestion = page.locator("#r-client_id-options li").first
    expect(suggestion).to_be_visible()
    field = page.locator("#r-client_id").bounding_box()
    assert abs(suggestion.bounding_box()["y"] - (field["y"] + field["height"])) < 4
    page.keyboard.press("Escape")
    page.fill("#r-client_id", "K-8")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".notice")).to_contain_text(f"Bevestigd {first}")
    expect(page.locator("h1 small")).to_have_text(f"{waiting - 1} wachtend")
    assert page.locator(".facts h2 a").inner_text().split()[0] != first
    page.goto(base + f"/documents/{first.lstrip('#')}")
    expect(page.locator(".facts")).to_contain_text("Garage Smit")
    expect(page.locator(".history")).to_contain_text("bevestigd")
    page.close()


def test_a_clerk_sets_a_custom_field_and_the_receptionist_finds_it(desk_server, browser):
    from playwright.sync_api import expect

    base, year, *_ = desk_server
    page = _log_in(browser, base, "anna")
    page.goto(base + f"/?q=ref:G-{year}-007")
    page.locator(".hit a.title").first.click()
    page.select_option("select[name='custom.betaalstatus']", "betaald")
    page.click("text=Velden opslaan")
    expect(page.locator("select[name='custom.betaalstatus']")).to_have_value("betaald")
    page.close()
    page = _log_in(browser, base, "sara")
    page.fill("#q", "betaalstatus:betaald")
    page.keyboard.press("Enter")
    expect(page.locator(".hit")).to_have_count(1)
    page.locator(".hit a.title").click()
    expect(page.locator("#custom + .custom-form")).to_contain_text("Betaalstatus")
    expect(page.locator(".custom-form .value")).to_have_text("betaald")
    expect(page.locator("select[name='custom.betaalstatus']")).to_have_count(0)
    page.close()


def _audit_count(home, action: str) -> int:
    """How many entries of an action the audit trail holds (read straight from the database)."""
    conn = sqlite3.connect(f"file:{home / 'archive.sqlite3'}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT count(*) FROM audit_log WHERE action = ?", (action,)).fetchone()[0]
    finally:
        conn.close()


def _wait_for(condition, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_the_inbox_page_says_whether_the_watcher_runs_and_agrees_with_the_audit_trail(desk_server, browser):
    from playwright.sync_api import expect

    base, year, home, env = desk_server
    inbox = home / "inbox"
    watcher = subprocess.Popen([*archive_command(home), "watch"], env=env, cwd=REPO, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: (home / "watch.heartbeat").exists(), "the watcher's first heartbeat")
        text_pdf(inbox / "post-maandag.pdf", [f"Brief\nDatum: 1 juli {year}\nBetreft: Garage Smit, K-8"])
        (inbox / "kapot.pdf").write_bytes(b"\x00\x9c\xfe geen PDF \x01\x02" * 40)  # no format the archive takes
        _wait_for(lambda: not (inbox / "post-maandag.pdf").exists(), "the letter to be filed")
        _wait_for(lambda: (inbox / "failed" / "kapot.pdf").exists(), "the broken file to be set aside")
        page = _log_in(browser, base, "anna")
        page.goto(base + "/inbox")
        expect(page.locator(".watcher-alive")).to_contain_text("Een bewaker archiveert wat in het postvak binnenkomt.")
        expect(page.locator(".watcher")).to_contain_text("Laatste teken van leven")
        figures = page.locator("table.figures")
        filed, failed = _audit_count(home, "file"), _audit_count(home, "ingest_failed")
        expect(figures.locator("tr", has_text="Gearchiveerd vandaag").locator("td")).to_contain_text(f"{filed} (1 ")
        expect(figures.locator("tr", has_text="Mislukt vandaag").locator("td")).to_have_text(str(failed))
        expect(figures.locator("tr", has_text="In de map mislukt").locator("td")).to_have_text("1")
        _shot(page, "10-inbox")
        # A watcher that holds the inbox but no longer turns: stopped, its heartbeat two minutes old.
        watcher.send_signal(signal.SIGSTOP)
        old = time.time() - 120
        os.utime(home / "watch.heartbeat", (old, old))
        page.reload()
        expect(page.locator(".watcher-stale")).to_contain_text("geeft geen teken van leven meer")
        watcher.send_signal(signal.SIGCONT)
        watcher.terminate()
        watcher.wait(timeout=30)
        page.reload()
        expect(page.locator(".watcher-stopped")).to_contain_text("Er draait geen bewaker")
        # The broken file is removed for good; the audit trail keeps both reasons.
        row = page.locator("tr", has_text="kapot.pdf")
        row.locator("summary").click()
        row.locator("input[name=reason]").fill("geen scan, per ongeluk opgeslagen")
        row.locator("button.danger").click()
        expect(page.locator(".notice")).to_contain_text("kapot.pdf")
        expect(page.locator("tr", has_text="kapot.pdf")).to_have_count(0)
        assert not (inbox / "failed" / "kapot.pdf").exists()
        conn = sqlite3.connect(f"file:{home / 'archive.sqlite3'}?mode=ro", uri=True)
        details = conn.execute("SELECT details FROM audit_log WHERE action = 'inbox_remove'").fetchone()[0]
        conn.close()
        assert '"removed_because": "geen scan, per ongeluk opgeslagen"' in details
        assert '"failed_because": "' in details
        page.close()
    finally:
        if watcher.poll() is None:
            watcher.send_signal(signal.SIGCONT)
            watcher.kill()
            watcher.wait(timeout=30)


def test_back_after_a_refused_then_corrected_bulk_change_shows_the_results(desk_server, browser):
    from playwright.sync_api import expect

    base, *_ = desk_server
    page = _log_in(browser, base, "anna")
    page.goto(base + "/?q=broodleveringen")
    page.check("#select-page")
    page.select_option("#bulk-action", "client")
    page.fill("#bulk-value", "K-404")  # in a hurry: a client number that does not exist
    page.click("text=Toepassen op selectie")
    expect(page.locator("#bulk-value-error")).to_contain_text("K-404")
    assert page.url == base + "/?q=broodleveringen"  # the results, not the address the form went to
    page.select_option("#bulk-action", "tag")
    page.fill("#bulk-value", "teruggezocht")
    page.click("text=Toepassen op selectie")
    expect(page.locator(".notice")).to_contain_text("2 documenten gewijzigd")
    # Back once: the results page again, not the browser asking to send the form a second time.
    page.go_back()
    expect(page.locator(".hit")).to_have_count(2)
    expect(page.locator("#bulk-value-error")).to_have_count(0)
    page.close()


def test_all_on_this_page_says_whether_all_are_ticked(desk_server, browser):
    from playwright.sync_api import expect

    base, *_ = desk_server
    page = _log_in(browser, base, "anna")
    page.goto(base + "/?q=broodleveringen")
    page.check("#select-page")
    page.select_option("#bulk-action", "client")
    page.fill("#bulk-value", "K-404")
    page.click("text=Toepassen op selectie")
    expect(page.locator("#bulk-value-error")).to_be_visible()
    # Both came back ticked: the box above them says so, or a clerk ticks it and unticks them all.
    expect(page.locator("#select-page")).to_be_checked()
    page.locator(".hit-check").first.uncheck()
    expect(page.locator("#select-page")).not_to_be_checked()
    expect(page.locator(".selected-count")).to_have_text("1 geselecteerd")
    page.locator(".hit-check").first.check()
    expect(page.locator("#select-page")).to_be_checked()
    page.close()
