"""The Analysis page with the known history in it, through `archive serve` in headless Chromium."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from storage.database import Database
from tests.documents import REPO
from tests.stats.conftest import seed_known_history

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "test-artifacts" / "stats"
PASSWORD = "Tulpen-in-de-Wind-42"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's /usr/bin/chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"archive serve stopped: {process.stderr.read().decode()}")
            time.sleep(0.2)
    pytest.fail("archive serve did not answer within 30 seconds")


@pytest.fixture
def server(tmp_path: Path):
    """`archive serve` on a free port over a home holding the known history and an auditor."""
    import pyotp

    home = tmp_path / "home"
    env = {**os.environ, "ARCHIVE_ADMIN_PASSWORD": "Beheer-Sleutel-2024!", "ARCHIVE_PASSWORD": PASSWORD}
    archive = [str(Path(sys.executable).parent / "archive"), "--home", str(home)]
    subprocess.run([*archive, "init"], check=True, env=env, capture_output=True, cwd=REPO)
    added = subprocess.run([*archive, "users", "add", "olga", "--role", "auditor", "--json"], check=True,
                           env=env, capture_output=True, cwd=REPO, text=True)
    secret = pyotp.parse_uri(json.loads(added.stdout)["totp_uri"]).secret
    db = Database(home / "archive.sqlite3")
    seed_known_history(db)
    db.close()
    port = _free_port()
    process = subprocess.Popen([*archive, "serve", "--port", str(port)], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, secret
    finally:
        process.terminate()
        process.wait(timeout=20)


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
