"""The Analysis page with the known history in it, through `archive serve` in headless Chromium."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from storage.database import Database
from tests.browser import ARGS, CHROMIUM, ENV, PASSWORD, archive_command, needs_chromium, serving
from tests.documents import REPO
from tests.identities import add_identity
from tests.stats.conftest import seed_known_history

SHOTS = REPO / "test-artifacts" / "stats"

pytestmark = needs_chromium


@pytest.fixture
def server(tmp_path: Path):
    """`archive serve` on a free port over a home holding the known history and an auditor."""

    home = tmp_path / "home"
    archive = archive_command(home)
    subprocess.run([*archive, "init"], check=True, env=ENV, capture_output=True, cwd=REPO)
    secret = add_identity(home, "olga", "auditor", PASSWORD).totp_secret
    db = Database.open(home / "archive.sqlite3")
    seed_known_history(db)
    db.close()
    with serving(home) as base:
        yield base, secret


def test_analysis_page_with_data_in_the_browser(server):
    import pyotp
    from playwright.sync_api import expect, sync_playwright

    base, secret = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "/login")
        page.fill("input[name=name]", "olga")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
        page.goto(base + "/analysis?since=2026-11-01&until=2026-11-08")
        expect(page.locator("h1")).to_have_text("Frontofficeanalyse")
        expect(page.locator("svg.chart")).to_have_count(9)
        expect(page.locator(".analysis-headline")).to_contain_text("6 (12 pagina's)")
        # the stylesheet loaded under the page's Content-Security-Policy: the tiles sit in a row
        assert page.locator(".analysis-headline").evaluate("e => getComputedStyle(e).display") == "flex"
        bar = page.locator("#filed svg rect").first
        assert bar.bounding_box()["height"] > 50  # two invoices on the 2nd: a bar one can see
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "analysis-nl.png"), full_page=True)
        page.click("button[name=lang][value=en]")
        page.goto(base + "/analysis?since=2026-11-01&until=2026-11-08&by=week")
        expect(page.locator("h1")).to_have_text("Front-office analysis")
        page.screenshot(path=str(SHOTS / "analysis-en-week.png"), full_page=True)
        browser.close()
