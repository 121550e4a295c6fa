"""Web fixtures: the app over a real archive, one user per role, logged-in test clients."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pyotp
import pytest

from archive.access.actors import ROLES, SYSTEM
from tests.documents import text_pdf

PASSWORD = "Tulpen-in-de-Wind-42"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a module of page tests (starting one costs a second or two)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def config(config):
    """The shared test configuration with cheap password hashing (real Argon2id, less memory)."""
    web = dataclasses.replace(config.web, password_hash_time_cost=1, password_hash_memory_kib=1024)
    return dataclasses.replace(config, web=web)


@pytest.fixture
def users(archive) -> dict[str, str | None]:
    """One user per role, named after it; returns role -> TOTP secret (None for no second factor)."""
    secrets = {}
    for role in ROLES:
        _, uri = archive.users.add(role.replace("_", "-"), role, PASSWORD, SYSTEM)
        secrets[role] = pyotp.parse_uri(uri).secret if uri else None
    return secrets


@pytest.fixture
def app(config, archive, users):
    """The web app over the test archive, CSRF on (as in production)."""
    from web import create_app

    app = create_app(config, archive=archive)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def no_csrf(app):
    """The same app with CSRF checks off, for tests about something else."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def csrf_token(client, path: str = "/login") -> str:
    """Return the CSRF token of a page's form."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def log_in(client, role: str, secret: str | None) -> None:
    """Log a test client in as the user of a role (with its TOTP code where needed)."""
    token = csrf_token(client)
    response = client.post("/login", data={"name": role.replace("_", "-"), "password": PASSWORD, "csrf_token": token})
    if secret:
        assert response.headers["Location"].endswith("/login/code")
        token = csrf_token(client, "/login/code")
        response = client.post("/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert "/login" not in response.headers["Location"]


@pytest.fixture
def login(app, users):
    """Return a function giving a client logged in as a role."""

    def make(role: str):
        client = app.test_client()
        log_in(client, role, users[role])
        return client

    return make


@pytest.fixture
def filed(archive, tmp_path: Path) -> list[int]:
    """Two born-digital documents filed through the real flow; returns their ids."""
    folder = tmp_path / "docs"
    folder.mkdir()
    first = text_pdf(
        folder / "factuur-jansen.pdf",
        ["Factuur F2024-0012\nFactuurdatum: 12 maart 2024\nTotaal te betalen: EUR 1.234,56\nBetreft huur kantoor"],
    )
    second = text_pdf(folder / "brief.pdf", ["Brief\nDatum: 3 april 2023\n<script>alert('x')</script> hallo"])
    ids = []
    for path in (first, second):
        outcome = archive.ingest(path, SYSTEM)
        assert outcome.status == "filed", outcome.error
        ids.append(outcome.id)
    return ids
