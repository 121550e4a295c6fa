"""The daily desk in headless Chromium, in Dutch, as a receptionist (staff) and a clerk, at 1366 and 390 px."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from tests.browser import ARGS, CHROMIUM, ENV, PASSWORD, archive_command, needs_chromium, serving
from tests.documents import REPO, text_pdf
from tests.identities import add_identity

SHOTS = REPO / "test-artifacts" / "desk"
WIDTHS = {"desktop": 1366, "phone": 390}

pytestmark = needs_chromium


def _last_march(today: date) -> int:
    return today.year if today.month > 3 else today.year - 1


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    """`archive serve` over a home with a clerk, a receptionist, two clients and their documents."""
    folder = tmp_path_factory.mktemp("desk")
    home = folder / "home"
    archive = archive_command(home)

    def run(*args: str) -> None:
        subprocess.run([*archive, *args], check=True, env=ENV, capture_output=True, cwd=REPO)

    run("init")
    add_identity(home, "anna", "clerk", PASSWORD)
    add_identity(home, "sara", "staff", PASSWORD)
    (folder / "clients.csv").write_text("client_id,name\nK-7,Bakkerij de Vries\nK-8,Garage Smit\n")
    run("clients", "import", str(folder / "clients.csv"))
    year = _last_march(date.today())
    documents = [
        ("K-7", f"Factuur V-{year}-031\nFactuurdatum: 14 maart {year}\nBetreft: broodleveringen\nTotaal: EUR 412,50"),
        ("K-7", f"Factuur V-{year}-052\nFactuurdatum: 20 mei {year}\nBetreft: broodleveringen\nTotaal: EUR 388,00"),
        ("K-7", f"Brief\nDatum: 2 maart {year}\nBetreft: nieuwe leverdagen\nMet vriendelijke groet"),
        ("K-8", f"Factuur G-{year}-007\nFactuurdatum: 9 maart {year}\nBetreft: onderhoud bus\nTotaal: EUR 990,00"),
    ]
    for n, (client, text) in enumerate(documents):
        path = text_pdf(folder / f"doc-{n}.pdf", [text])
        run("ingest", str(path), "--client", client)
    with serving(home) as base:
        yield base, year


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _log_in(browser, base: str, name: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return page


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def test_a_receptionist_finds_a_clients_invoice_of_last_march_from_the_start_page(desk_server, browser):
    from playwright.sync_api import expect

    base, year = desk_server
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

    base, _ = desk_server
    page = _log_in(browser, base, "anna")
    page.goto(base + "/inbox")
    page.keyboard.press("/")
    expect(page.locator("#header-q")).to_be_focused()
    page.keyboard.type("Garage")
    expect(page.locator("#header-q-list li").first).to_contain_text("Garage Smit")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(".hit")).to_have_count(1)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    expect(page.locator(".hit.selected")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("G-")
    page.goto(base + "/help/keys")
    expect(page.locator("h1")).to_have_text("Sneltoetsen")
    page.close()


def test_a_clerk_tags_and_notes_a_document_and_the_receptionist_finds_it(desk_server, browser):
    from playwright.sync_api import expect

    base, year = desk_server
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
    _shot(page, "3-document-tags-notes")
    page.close()
    page = _log_in(browser, base, "sara")
    page.goto(base + "/?q=note:belde")
    expect(page.locator(".hit")).to_have_count(1)
    expect(page.locator(".hit .tags-line")).to_contain_text("betaling te laat")
    _shot(page, "4-results-list")
    page.close()


def test_a_clerk_changes_results_in_bulk_and_saves_the_search(desk_server, browser):
    from playwright.sync_api import expect

    base, year = desk_server
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
