"""Through the real server in headless Chromium: log in, upload, search, open, review, download."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM, ENV, PASSWORD, archive_command, needs_chromium, serving
from tests.documents import REPO, scan_file, text_pdf
from tests.identities import add_identity

SHOTS = REPO / "test-artifacts" / "web"

pytestmark = needs_chromium


@pytest.fixture
def server(tmp_path: Path):
    """`archive serve` on a free loopback port over a fresh home with a clerk."""
    home = tmp_path / "home"
    archive = archive_command(home)
    made = subprocess.run([*archive, "init"], check=True, env=ENV, capture_output=True, cwd=REPO, text=True)
    # The admin's second-factor enrolment is printed once by init: keep it for the admin test.
    (home / ".admin-totp").write_text(re.search(r"secret=([A-Z2-7]+)", made.stdout).group(1))
    add_identity(home, "anna", "clerk", PASSWORD)
    with serving(home) as base:
        yield base


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_clerk_day_in_the_browser(server, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    invoice = text_pdf(
        tmp_path / "factuur-2024.pdf",
        ["Factuur F2024-0042\nFactuurdatum: 12 maart 2024\nBetreft: huur kantoor\nTotaal te betalen: EUR 1.234,56"],
    )
    scan = scan_file(
        tmp_path / "scan-brief.png", "Brief\nDatum: 3 april 2023\nBetreft: verhuizing\nMet vriendelijke groet"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(server + "/")
        expect(page).to_have_url(server + "/login")
        _shot(page, "1-login")
        page.fill("input[name=name]", "anna")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("#q")).to_be_focused()

        page.goto(server + "/upload")
        page.set_input_files("#files", [str(invoice), str(scan)])
        expect(page.locator("#pending li")).to_have_count(2)  # shown with their facts, not sent yet
        page.click("#upload-button")
        expect(page.locator(".outcome.filed")).to_have_count(2, timeout=120_000)
        _shot(page, "2-upload")

        page.goto(server + "/?q=huur")
        expect(page.locator(".hit")).to_have_count(1)
        page.click(".facets a >> nth=0")
        expect(page.locator(".chip")).to_have_count(1)
        _shot(page, "3-search")
        page.click(".hit a.title")
        expect(page.locator("h1")).to_contain_text("#")
        expect(page.locator(".facts")).to_contain_text("12 maart 2024")
        _shot(page, "4-document")

        with page.expect_download() as download:
            page.click("text=Origineel downloaden")
        assert Path(download.value.path()).read_bytes() == invoice.read_bytes()

        page.goto(server + "/review")
        _shot(page, "5-review")
        before = page.locator("h1 small").inner_text()
        page.select_option("#review-form select[name=document_type]", "letter")
        page.click("#review-form button[type=submit]")
        # Nobody was found for it: confirming needs a client, or a tick that there is none.
        expect(page.locator("#r-client_id-error")).to_contain_text("Kies de cliënt van dit document")
        expect(page.locator("#review-form select[name=document_type]")).to_have_value("letter")
        assert page.locator("h1 small").inner_text() == before
        page.check("text=Dit document hoort bij geen cliënt")
        page.click("#review-form button[type=submit]")
        expect(page.locator(".notice")).to_contain_text("Bevestigd")
        assert page.locator("h1 small").inner_text() != before
        _shot(page, "6-review-after")
        browser.close()


def test_auditor_and_admin_pages_in_the_browser(server_with_totp):
    from playwright.sync_api import expect, sync_playwright

    base, secrets = server_with_totp
    import pyotp

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for name, pages in (("olga", ("/audit", "/records", "/clients")), ("admin", ("/admin/users",))):
            page = browser.new_page()
            page.goto(base + "/login")
            page.fill("input[name=name]", name)
            page.fill("input[name=password]", secrets[name][0])
            page.click("button[type=submit]")
            expect(page).to_have_url(base + "/login/code")
            page.fill("input[name=code]", pyotp.TOTP(secrets[name][1]).now())
            page.click("button[type=submit]")
            expect(page.locator("#q")).to_be_focused()
            for path in pages:
                page.goto(base + path)
                expect(page.locator("h1")).to_be_visible()
                _shot(page, f"7-{name}-{path.strip('/').replace('/', '-')}")
            page.close()
        browser.close()


@pytest.fixture
def server_with_totp(server, tmp_path: Path):
    """The same server, plus an auditor; returns the base address and name -> (password, TOTP secret)."""

    home = tmp_path / "home"
    olga = add_identity(home, "olga", "auditor", PASSWORD).totp_secret
    admin_secret = (home / ".admin-totp").read_text().strip()
    return server, {"olga": (PASSWORD, olga), "admin": ("Beheer-Sleutel-2024!", admin_secret)}
