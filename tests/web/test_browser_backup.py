"""A failed backup in headless Chromium: loud on the clerk's inbox page and on every page of the admin,
in Dutch, on a desktop and a phone."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM, ENV, PASSWORD, archive_command, needs_chromium, serving
from tests.documents import REPO
from tests.identities import add_identity

SHOTS = REPO / "test-artifacts" / "web"
ADMIN_PASSWORD = "Beheer-Sleutel-2024!"

pytestmark = needs_chromium


@pytest.fixture
def failed_backup_server(tmp_path: Path):
    home = tmp_path / "home"
    archive = archive_command(home)
    made = subprocess.run([*archive, "init"], check=True, env=ENV, capture_output=True, cwd=REPO, text=True)
    admin_secret = re.search(r"secret=([A-Z2-7]+)", made.stdout).group(1)
    add_identity(home, "anna", "clerk", PASSWORD)
    occupied = tmp_path / "usb-schijf"
    occupied.mkdir()
    (occupied / "vakantie.jpg").write_bytes(b"\xff\xd8")
    failed = subprocess.run([*archive, "backup", str(occupied)], env=ENV, capture_output=True, cwd=REPO, text=True)
    assert failed.returncode == 6, failed.stderr
    with serving(home) as base:
        yield base, admin_secret


def _log_in(page, base: str, name: str, password: str, secret: str | None = None) -> None:
    import pyotp
    from playwright.sync_api import expect

    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    if secret:
        expect(page).to_have_url(base + "/login/code")
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
    expect(page.locator("#q")).to_be_focused()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_failed_backup_is_loud_for_clerk_and_admin(failed_backup_server, width: int) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, admin_secret = failed_backup_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        clerk = browser.new_page(viewport={"width": width, "height": 900})
        _log_in(clerk, base, "anna", PASSWORD)
        clerk.goto(base + "/inbox")
        alarm = clerk.locator(".backup-state.alarm")
        expect(alarm).to_be_visible()
        expect(alarm).to_contain_text("is mislukt")
        box = alarm.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # readable on a phone, no sideways scrolling
        clerk.screenshot(path=str(SHOTS / f"backup-failed-inbox-{width}.png"), full_page=True)
        admin = browser.new_page(viewport={"width": width, "height": 900})
        _log_in(admin, base, "admin", ADMIN_PASSWORD, admin_secret)
        for path in ("/admin/users", "/"):
            admin.goto(base + path)
            banner = admin.locator(".alarm.banner")
            expect(banner).to_contain_text("De back-up van")
            box = banner.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
        admin.screenshot(path=str(SHOTS / f"backup-failed-admin-{width}.png"), full_page=True)
        browser.close()
