"""In headless Chromium, as a clerk in Dutch: what the pages' scripts and forms show when things go wrong.

The HTTP walk (test_dutch_pages.py) reads what the server sends; here the browser runs
the upload script too, so a sentence a script writes is read as the clerk sees it.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import pytest

from archive.errors import Message
from archive.inbox.notes import write_note
from archive.wording import office_wording
from tests.browser import ARGS, CHROMIUM, ENV, PASSWORD, archive_command, needs_chromium, serving
from tests.documents import REPO, text_pdf
from tests.identities import add_identity
from tests.web.english import leaks

SHOTS = REPO / "test-artifacts" / "web"
WIDTHS = (1366, 390)

pytestmark = needs_chromium


@pytest.fixture
def clerk_server(tmp_path: Path):
    """`archive serve` over a fresh home with a clerk, and a file the inbox set aside (noted in English)."""
    home = tmp_path / "home"
    archive = archive_command(home)
    subprocess.run([*archive, "init"], check=True, env=ENV, capture_output=True, cwd=REPO)
    add_identity(home, "anna", "clerk", PASSWORD)
    failed = home / "inbox" / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    (failed / "kapot.pdf").write_bytes(b"%PDF-1.4")
    write_note(
        failed / "kapot.pdf",
        PurePosixPath("kapot.pdf"),
        Message("pdf.damaged", "This PDF is damaged or incomplete and cannot be read; please scan or save it again."),
        datetime.now(timezone.utc),
        office_wording("en"),
    )
    with serving(home) as base:
        yield base


def _read(page, what: str, found: list[str]) -> None:
    found += [f"{what}: {leak}" for leak in leaks(page.content())]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"nl-{what}-{width}.png"), full_page=True)


def test_a_clerks_mistakes_read_dutch_in_the_browser(clerk_server, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    web_page = tmp_path / "pagina.html"
    web_page.write_bytes(b"<!doctype html><html><body><p>hallo</p></body></html>")
    invoice = text_pdf(tmp_path / "factuur.pdf", ["Factuur F2024-0042\nFactuurdatum: 12 maart 2024\nTotaal: EUR 10,00"])
    found: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.goto(clerk_server + "/login")
        page.fill("input[name=name]", "anna")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("#q")).to_be_focused()

        # A file the archive does not take, through the page's script.
        page.goto(clerk_server + "/upload")
        page.set_input_files("#files", [str(web_page), str(invoice)])
        page.click("#upload-button")  # chosen files wait, with their facts shown, until sent
        expect(page.locator(".outcome.failed")).to_contain_text("niet gearchiveerd: Dit bestand is een webpagina")
        expect(page.locator(".outcome.filed")).to_have_count(1, timeout=120_000)
        document = page.locator(".outcome.filed a").get_attribute("href")
        # Facts the server refuses: the file is back on the list, what was typed back in its
        # field with the reason beside it (a clerk in a hurry must not have to type it again).
        page.set_input_files("#files", [str(invoice)])
        page.fill("#u-client_id", "K-99")
        page.fill("#u-document_date", "31-02-2024")
        page.click("#upload-button")
        expect(page.locator("#u-document_date-error")).to_contain_text("31-02-2024")
        expect(page.locator("#u-document_date")).to_have_value("31-02-2024")
        expect(page.locator("#u-client_id")).to_have_value("K-99")
        expect(page.locator("#pending .pending-file")).to_have_count(1)
        # Waiting to be sent, not yet filed: the line must not read as done.
        expect(page.locator("#pending .facts-line")).to_contain_text("wordt gearchiveerd met Cliënt: K-99")
        _read(page, "upload-facts-refused", found)
        page.locator("#pending .pending-file button").click()
        page.fill("#u-client_id", "")
        page.fill("#u-document_date", "")
        # The server out of reach: the script's own sentence, from the page.
        page.route("**/upload", lambda route: route.abort())
        page.set_input_files("#files", [str(invoice)])
        page.click("#upload-button")
        expect(page.locator(".outcome.failed").first).to_contain_text("Het archief was niet bereikbaar")
        page.unroute("**/upload")
        _read(page, "upload-failed", found)

        # A date that does not exist on the facts form.
        page.goto(clerk_server + document)
        if page.locator("details.edit").get_attribute("open") is None:
            page.locator("details.edit summary").click()
        page.fill("details.edit input[name=document_date]", "31-02-2024")
        page.locator("details.edit button[type=submit]").first.click()
        expect(page.locator("main")).to_contain_text("'31-02-2024' is geen datum")
        _read(page, "facts-error", found)

        # Why the inbox set a file aside, noted by an English-speaking office: read in Dutch.
        page.goto(clerk_server + "/inbox")
        expect(page.locator("main")).to_contain_text("Deze PDF is beschadigd of onvolledig")
        _read(page, "inbox-failed", found)
        browser.close()
    assert not found, "\n".join(found)
