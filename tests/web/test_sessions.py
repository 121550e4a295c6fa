"""Sessions that end: a copied session cookie stops working when its user's sessions end."""

from __future__ import annotations

import time

import pytest

from archive.access.actors import SYSTEM
from tests.web.conftest import PASSWORD, csrf_token, log_in

NEW_PASSWORD = "Nieuwe-Kastanje-Boom-7"


def _copy(app, client):
    """Return a second browser holding the same session cookie (copied off a shared desk PC)."""
    thief = app.test_client()
    cookie = client.get_cookie("archive_session")
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    return thief


def _works(client) -> bool:
    return client.get("/clients").status_code == 200


def _logged_in_twice(app, users, role: str = "clerk"):
    client = app.test_client()
    log_in(client, role, users[role])
    thief = _copy(app, client)
    assert _works(client) and _works(thief)
    return client, thief


def test_a_copied_cookie_is_refused_after_logout(app, users):
    client, thief = _logged_in_twice(app, users)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/clients")})
    assert not _works(client) and not _works(thief)
    assert thief.get("/clients").headers["Location"].endswith("/login")


def test_a_new_password_of_ones_own_ends_the_other_sessions(app, users):
    client, thief = _logged_in_twice(app, users)
    response = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": NEW_PASSWORD,
            "repeat": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )
    assert response.status_code == 302
    assert _works(client) and not _works(thief)


@pytest.mark.parametrize("change", ["password", "role", "disable_enable", "totp"])
def test_what_an_administrator_changes_ends_every_session(app, users, archive, change):
    role = "records_manager" if change == "totp" else "clerk"
    client, thief = _logged_in_twice(app, users, role)
    name = role.replace("_", "-")
    if change == "password":
        archive.users.set_password(name, NEW_PASSWORD, SYSTEM, temporary=True)
    elif change == "role":
        archive.users.set_role(name, "staff", SYSTEM)
    elif change == "disable_enable":
        archive.users.set_active(name, False, SYSTEM)
        archive.users.set_active(name, True, SYSTEM)
    else:
        archive.users.reset_totp(name, SYSTEM)
    assert not _works(client) and not _works(thief)


def test_a_temporary_password_only_lets_one_choose_a_new_one(app, users, archive):
    archive.users.set_password("clerk", "Tijdelijk-Wachtwoord-91", SYSTEM, temporary=True)
    client = app.test_client()
    response = client.post(
        "/login", data={"name": "clerk", "password": "Tijdelijk-Wachtwoord-91", "csrf_token": csrf_token(client)}
    )
    assert response.headers["Location"].endswith("/account/password")
    assert client.get("/clients").headers["Location"].endswith("/account/password")
    client.post(
        "/account/password",
        data={
            "current": "Tijdelijk-Wachtwoord-91",
            "new": NEW_PASSWORD,
            "repeat": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )
    assert _works(client) and not archive.users.get("clerk").must_change_password


def test_the_half_way_state_after_the_password_ends_with_its_code_window(app, users, monkeypatch):
    client = app.test_client()
    client.post("/login", data={"name": "auditor", "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert client.get("/login/code").status_code == 200
    later = time.time() + 91
    monkeypatch.setattr("web.auth.time.time", lambda: later)
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
