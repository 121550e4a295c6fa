"""Users: password rules, Argon2id hashes, TOTP, throttling, API tokens, the first admin."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pyotp
import pytest

from archive.access.actors import SYSTEM
from archive.access.users import (
    LoginFailed,
    LoginThrottled,
    UserService,
    create_first_admin,
    password_problem,
    throttle_wait,
)
from archive.audit.trail import AuditTrail
from archive.clock import FixedClock
from archive.errors import Conflict, InvalidInput, NotFound
from storage.database import Database

GOOD = "Tulpen-in-de-Wind-42"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 12, 9, 0, tzinfo=timezone.utc))


@pytest.fixture
def users(config, clock) -> UserService:
    db = Database.open(":memory:")
    web = dataclasses.replace(config.web, password_hash_time_cost=1, password_hash_memory_kib=1024)
    return UserService(db, clock, web, AuditTrail(db, clock))


@pytest.mark.parametrize(
    "password,problem",
    [
        ("kort", "at least 10"),
        ("password123", "common"),
        ("welkom2024!", "common"),
        ("anna-heeft-een-fiets", "user name"),
        ("aaaaaaaaaaaa", "different"),
        (GOOD, None),
        # What a guesser tries first: sequences, keyboard walks, a common Dutch word with digits.
        ("0123456789", "Sequences"),
        ("abcdefghij", "Sequences"),
        ("asdfghjkl;", "Rows of keys"),
        ("Welkom2024?", "common"),
        ("Voorjaar2025", "One word"),
        ("Zomervakantie!", "One word"),
        ("x" * 100_000, "at most 128"),
        ("Grote blauwe fiets op het dak", None),
        ("hond kat muis vogel", None),
    ],
)
def test_password_rules(password, problem):
    found = password_problem("anna", password, 10)
    assert (found is None) if problem is None else (problem in str(found))


def test_throttle_waits_double_after_the_free_attempts():
    assert throttle_wait(4, 100.0, 100.0, free=5, max_wait=900) == 0
    assert throttle_wait(5, 100.0, 100.0, free=5, max_wait=900) == 2
    assert throttle_wait(7, 100.0, 100.0, free=5, max_wait=900) == 8
    assert throttle_wait(7, 100.0, 105.0, free=5, max_wait=900) == 3
    assert throttle_wait(40, 100.0, 100.0, free=5, max_wait=900) == 900


def test_add_stores_only_an_argon2id_hash(users):
    user, uri = users.add("Anna", "clerk", GOOD, SYSTEM)
    assert (user.name, user.role, uri) == ("anna", "clerk", None)
    stored = users._db.read().execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and GOOD not in stored
    with pytest.raises(Conflict):
        users.add("anna", "staff", GOOD, SYSTEM)
    with pytest.raises(InvalidInput):
        users.add("bob", "emperor", GOOD, SYSTEM)


def test_password_check_and_audit(users):
    users.add("anna", "clerk", GOOD, SYSTEM)
    assert users.check_password("anna", GOOD, "10.0.0.1").name == "anna"
    with pytest.raises(LoginFailed):
        users.check_password("anna", "Tulpen-in-de-Wind-43", "10.0.0.1")
    with pytest.raises(LoginFailed):
        users.check_password("nobody", GOOD, "10.0.0.1")
    actions = [row["action"] for row in users._db.read().execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions == ["user_add", "login", "login_failed", "login_failed"]


def test_roles_that_need_it_get_a_totp_secret(users, clock):
    user, uri = users.add("rita", "records_manager", GOOD, SYSTEM)
    assert user.needs_totp and uri.startswith("otpauth://totp/")
    secret = pyotp.parse_uri(uri).secret
    users.check_password("rita", GOOD, None)
    with pytest.raises(LoginFailed):
        users.check_totp("rita", "123456" if pyotp.TOTP(secret).at(clock.now()) != "123456" else "654321", None)
    assert users.check_totp("rita", pyotp.TOTP(secret).at(clock.now()), None).name == "rita"


def test_failures_throttle_the_account_then_time_heals(users, clock):
    users.add("anna", "clerk", GOOD, SYSTEM)
    for _ in range(5):
        with pytest.raises(LoginFailed):
            users.check_password("anna", "wrong-wrong-wrong", "10.0.0.2")
    with pytest.raises(LoginThrottled) as throttled:
        users.check_password("anna", GOOD, "10.0.0.3")
    assert throttled.value.retry_after == 2
    clock.advance(seconds=3)
    assert users.check_password("anna", GOOD, "10.0.0.3").name == "anna"


def test_failures_throttle_an_address_across_accounts(users, config):
    for number in range(config.web.login_free_failures_address):
        with pytest.raises(LoginFailed):
            users.check_password(f"guess{number}", "wrong-wrong-wrong", "10.9.9.9")
    with pytest.raises(LoginThrottled):
        users.check_password("someone", "wrong-wrong-wrong", "10.9.9.9")


def test_tokens_are_hashed_and_revocable(users):
    users.add("anna", "clerk", GOOD, SYSTEM)
    token = users.new_token("anna", SYSTEM)
    assert token.startswith("foa_")
    assert users.user_for_token(token).name == "anna"
    assert users.user_for_token(token + "x") is None
    stored = users._db.read().execute("SELECT token_hash FROM api_tokens").fetchone()[0]
    assert token not in stored
    users.set_active("anna", False, SYSTEM)
    assert users.user_for_token(token) is None
    with pytest.raises(NotFound):
        users.actor("anna")


def test_role_change_to_auditor_enrols_a_second_factor(users):
    users.add("anna", "clerk", GOOD, SYSTEM)
    assert users.set_role("anna", "auditor", SYSTEM).startswith("otpauth://")
    assert users.get("anna").has_totp


def test_first_admin_from_environment_or_printed_once(users):
    message = create_first_admin(users, {"ARCHIVE_ADMIN_PASSWORD": "Beheer-Sleutel-2024!"})
    assert "admin" in message and "Beheer-Sleutel-2024!" not in message and "otpauth://" in message
    assert users.check_password("admin", "Beheer-Sleutel-2024!", None).role == "admin"
    assert create_first_admin(users, {}) is None


def test_first_admin_with_generated_password(users):
    message = create_first_admin(users, {})
    password = message.split("shown only now: ")[1].splitlines()[0]
    assert users.check_password("admin", password, None).name == "admin"
