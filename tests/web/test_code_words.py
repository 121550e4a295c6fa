"""Codes the archive stores are worded on the pages: backup state, audit details, retention events."""

from __future__ import annotations

from datetime import date

import pytest

from archive.access.actors import Actor


def test_the_backup_box_asks_for_an_administrator_without_a_setting_name(no_csrf, login):
    page = login("clerk").get("/inbox").get_data(as_text=True)
    assert "Er is geen dagelijkse back-up ingesteld." in page
    assert "Vraag een beheerder een schijf of netwerkmap te kiezen voor de dagelijkse back-up." in page
    assert "[backup]" not in page


@pytest.mark.parametrize(
    ("language", "method", "reason"),
    [("nl", "wachtwoord en code uit de app", "nieuw archief"), ("en", "password and code from the app", "new archive")],
)
def test_audit_details_word_the_login_method_and_why_keys_were_named(no_csrf, login, language, method, reason):
    login("clerk")  # a clerk logs in with a password and a code
    auditor = login("auditor")
    auditor.post("/language", data={"lang": language})
    page = auditor.get("/audit").get_data(as_text=True)
    assert method in page and "password+totp" not in page
    assert reason in page and "new home" not in page


@pytest.mark.parametrize(("language", "word"), [("nl", "einde dienstverband"), ("en", "employment ended")])
def test_the_retention_schedule_words_its_events(no_csrf, login, archive, language, word):
    assert any(rule.event == "employment_ended" for rule in archive.config.records.retention.values())
    manager = login("records_manager")
    manager.post("/language", data={"lang": language})
    page = manager.get("/records").get_data(as_text=True)
    assert f"({word})" in page and "employment_ended" not in page


def test_a_recorded_event_is_worded_in_the_trail(no_csrf, login, archive, filed):
    archive.records.record_event(
        Actor("records-manager", "records_manager"), "employment_ended", date(2025, 5, 31), document_id=filed[0]
    )
    page = login("auditor").get("/audit").get_data(as_text=True)
    assert "einde dienstverband" in page and "employment_ended" not in page


@pytest.mark.parametrize(
    ("language", "word", "recorded"),
    [("nl", "reden: verkeerd wachtwoord", "wrong password"), ("en", "reason: wrong password", None)],
)
def test_a_refused_log_in_says_why_in_the_page_language(no_csrf, app, login, language, word, recorded):
    app.test_client().post("/login", data={"name": "clerk", "password": "niet-het-wachtwoord"})
    auditor = login("auditor")
    auditor.post("/language", data={"lang": language})
    page = auditor.get("/audit?action=login_failed", follow_redirects=True).get_data(as_text=True)
    assert word in page
    if recorded:
        assert recorded not in page
