"""A real Dovecot for the mail tests (one per test process), a fresh user per test."""

from __future__ import annotations

import pytest

from tests.dovecot import Dovecot, MailUser


@pytest.fixture(scope="session")
def dovecot():
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def mail_user(dovecot) -> MailUser:
    return dovecot.add_user()
