"""Logging in: passwords, the second factor, throttling, CSRF, cookies and security headers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pyotp

from archive.access.users import totp_step
from tests.web.conftest import PASSWORD, csrf_token


def _post_login(client, name: str, password: str):
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_token(client)})


def test_clerk_logs_in_with_password_only(app, users):
    client = app.test_client()
    response = _post_login(client, "clerk", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_vaguely(app, users):
    response = _post_login(app.test_client(), "clerk", "wrong-password-1")
    assert response.status_code == 401
    assert "klopt niet" in response.get_data(as_text=True)


def test_auditor_needs_the_totp_code(app, users):
    client = app.test_client()
    response = _post_login(client, "auditor", PASSWORD)
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/audit").status_code == 302  # not logged in yet
    bad = client.post("/login/code", data={"code": "000000", "csrf_token": csrf_token(client, "/login/code")})
    assert bad.status_code == 401
    good = client.post(
        "/login/code",
        data={"code": pyotp.TOTP(users["auditor"]).now(), "csrf_token": csrf_token(client, "/login/code")},
    )
    assert good.status_code == 302
    assert client.get("/audit").status_code == 200


def test_repeated_failures_are_slowed_per_account(app, users, config):
    client = app.test_client()
    for _ in range(config.web.login_free_failures_account):
        assert _post_login(client, "staff", "not-the-password").status_code == 401
    # Now even the right password waits.
    throttled = _post_login(client, "staff", PASSWORD)
    assert throttled.status_code == 429
    assert "seconden" in throttled.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(app, users, filed):
    client = app.test_client()
    response = client.post("/login", data={"name": "clerk", "password": PASSWORD})
    assert response.status_code == 400
    from tests.web.conftest import log_in

    log_in(client, "clerk", None)
    edit = client.post(f"/documents/{filed[0]}/facts", data={"document_type": "letter", "confirm": "1"})
    assert edit.status_code == 400


def test_security_headers_and_cookie_flags(app, users):
    client = app.test_client()
    page = client.get("/login")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Referrer-Policy"] == "same-origin"
    response = _post_login(client, "clerk", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "<script>" not in page.get_data(as_text=True)  # no inline script (CSP)


def test_secret_key_file_is_private(app, config):
    path = config.home / config.web.secret_key_file
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600


def test_language_switch_to_english(app, users):
    client = app.test_client()
    assert "Aanmelden" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": csrf_token(client)})
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_open_redirect_is_not_followed(app, users):
    client = app.test_client()
    client.get("//evil.example/x")
    response = _post_login(client, "clerk", PASSWORD)
    assert response.headers["Location"].startswith("/") and "evil" not in response.headers["Location"]


def test_a_second_factor_code_logs_in_once(app, users):
    code = pyotp.TOTP(users["auditor"]).now()
    first = app.test_client()
    _post_login(first, "auditor", PASSWORD)
    assert (
        first.post("/login/code", data={"code": code, "csrf_token": csrf_token(first, "/login/code")}).status_code
        == 302
    )
    # The same code again (seen over a shoulder, or replayed) within its 90 seconds: refused.
    second = app.test_client()
    _post_login(second, "auditor", PASSWORD)
    again = second.post("/login/code", data={"code": code, "csrf_token": csrf_token(second, "/login/code")})
    assert again.status_code == 401
    assert second.get("/audit").status_code == 302


def test_the_time_step_of_a_code_is_found_within_one_step_of_drift():
    secret = pyotp.random_base32()
    now = datetime(2026, 11, 27, 12, 0, 10, tzinfo=timezone.utc)
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    assert totp_step(secret, totp.at(now), now) == step
    assert totp_step(secret, totp.at(now - timedelta(seconds=30)), now) == step - 1
    assert totp_step(secret, totp.at(now + timedelta(seconds=30)), now) == step + 1
    assert totp_step(secret, totp.at(now - timedelta(seconds=90)), now) is None


def _change(client, current: str, new: str, repeat: str | None = None):
    return client.post(
        "/account/password",
        data={
            "current": current,
            "new": new,
            "repeat": new if repeat is None else repeat,
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )


def test_a_clerk_changes_their_own_password(app, users, archive):
    client = app.test_client()
    _post_login(client, "clerk", PASSWORD)
    assert client.get("/account/password").status_code == 200
    assert _change(client, "not-my-password", "Nieuwe-Kastanje-Boom-7").status_code == 401
    mismatch = _change(client, PASSWORD, "Nieuwe-Kastanje-Boom-7", "Nieuwe-Kastanje-Boom-8")
    assert mismatch.status_code == 400 and "niet gelijk" in mismatch.get_data(as_text=True)
    short = _change(client, PASSWORD, "kort-1A")
    assert short.status_code == 400 and "minstens 10 tekens" in short.get_data(as_text=True)
    assert _change(client, PASSWORD, "Nieuwe-Kastanje-Boom-7").status_code == 302
    assert _post_login(app.test_client(), "clerk", PASSWORD).status_code == 401
    assert _post_login(app.test_client(), "clerk", "Nieuwe-Kastanje-Boom-7").status_code == 302
    entries = (
        archive.db.read().execute("SELECT actor, details FROM audit_log WHERE action = 'user_password'").fetchall()
    )
    assert [(row[0], json.loads(row[1])["own"]) for row in entries] == [("clerk", True)]


def test_changing_a_password_needs_a_log_in(app, users):
    response = app.test_client().get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
