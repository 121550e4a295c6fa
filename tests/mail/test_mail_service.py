"""Mail accounts polled into the archive, against a real Dovecot."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from imapclient import IMAPClient

from archive.access.actors import SYSTEM
from archive.intake.mailboxes import AccountPoller, mailbox_settings
from archive.intake.status import describe_mail_status, mail_status
from ingest.errors import MailboxError
from ingest.mail import Mailbox, parse_eml
from ingest.settings import MailAccountSettings, MailSettings
from storage import intake_repo
from tests.mail.messages import build_message, pdf_bytes, png_bytes


def _account(user, **changes) -> MailAccountSettings:
    return dataclasses.replace(
        MailAccountSettings(
            name="balie", host=user.host, port=user.port, tls="none", user=user.user, password_env="TEST_MAIL_PW"
        ),
        **changes,
    )


@pytest.fixture
def mail_archive(config, mail_user, monkeypatch):
    from archive.service import Archive

    monkeypatch.setenv("TEST_MAIL_PW", mail_user.password)
    mail = MailSettings(accounts=[_account(mail_user)], poll_seconds=1.0)
    opened = Archive.open(dataclasses.replace(config, mail=mail), create=True)
    yield opened
    opened.close()


def _deliver(user, *messages) -> None:
    with IMAPClient(user.host, port=user.port, ssl=False, timeout=10) as client:
        client.login(user.user, user.password)
        for message in messages:
            client.append("INBOX", message if isinstance(message, bytes) else message.as_bytes())


def _subjects(user, folder) -> list[str]:
    with IMAPClient(user.host, port=user.port, ssl=False, timeout=10) as client:
        client.login(user.user, user.password)
        if not client.folder_exists(folder):
            return []
        client.select_folder(folder, readonly=True)
        fetched = client.fetch(client.search("ALL"), ["BODY.PEEK[]"])
        return sorted(parse_eml(data[b"BODY[]"]).subject for data in fetched.values())


def _poll(archive, account) -> tuple[int, int]:
    box = Mailbox(mailbox_settings(account, archive.config.home, 10))
    box.open()
    try:
        return AccountPoller(archive.core, archive.intake.messages, account, SYSTEM, threading.Event()).poll(box)
    finally:
        box.close()


def test_messages_are_filed_and_put_away(mail_archive, mail_user, tmp_path):
    invoice = build_message(
        subject="Factuur",
        message_id="<f@x.nl>",
        attachments=[
            ("factuur.pdf", pdf_bytes(tmp_path, "FACTUUR 7\nTotaal EUR 10,00"), "application/pdf"),
            ("logo.png", png_bytes(3_000), "image/png"),
        ],
    )
    again = build_message(subject="Factuur (nogmaals)", message_id="<f@x.nl>")  # the same Message-ID
    note = build_message(subject="Alleen tekst", message_id="<t@x.nl>")
    broken = build_message(
        subject="Kapot",
        message_id="<k@x.nl>",
        attachments=[("kapot.pdf", b"%PDF-1.4\n" + b"\x00" * 200, "application/pdf")],
    )
    _deliver(mail_user, invoice, again, note, broken)
    account = mail_archive.config.mail.accounts[0]
    assert _poll(mail_archive, account) == (1, 2)
    assert _subjects(mail_user, "INBOX") == []
    assert _subjects(mail_user, "Gearchiveerd") == ["Factuur", "Factuur (nogmaals)"]
    assert _subjects(mail_user, "Niet gearchiveerd") == ["Alleen tekst", "Kapot"]
    conn = mail_archive.db.read()
    [document] = intake_repo.message_documents(conn, "<f@x.nl>")
    assert (document["original_filename"], document["channel"], document["mail_subject"]) == (
        "factuur.pdf",
        "mail",
        "Factuur",
    )
    failed = intake_repo.find_message(conn, "<k@x.nl>")
    assert failed["state"] == "failed" and "kapot.pdf" in failed["error"]
    assert intake_repo.find_message(conn, "<t@x.nl>")["error"].startswith("This message has no attachment")


def test_interrupted_after_the_commit_the_message_is_only_moved(mail_archive, mail_user, tmp_path):
    message = build_message(
        subject="Eén keer",
        message_id="<once@x.nl>",
        attachments=[("brief.pdf", pdf_bytes(tmp_path, "Geachte heer"), "application/pdf")],
    )
    _deliver(mail_user, message)
    account = mail_archive.config.mail.accounts[0]
    box = Mailbox(mailbox_settings(account, mail_archive.config.home, 10))
    box.open()
    try:
        poller = AccountPoller(mail_archive.core, mail_archive.intake.messages, account, SYSTEM, threading.Event())
        finish = box.finish
        box.finish = lambda uid: (_ for _ in ()).throw(MailboxError("connection lost"))  # the crash
        with pytest.raises(MailboxError):
            poller.poll(box)
        box.finish = finish
        assert _subjects(mail_user, "INBOX") == ["Eén keer"]
        assert poller.poll(box) == (0, 0)
    finally:
        box.close()
    assert _subjects(mail_user, "Gearchiveerd") == ["Eén keer"]
    assert len(intake_repo.message_documents(mail_archive.db.read(), "<once@x.nl>")) == 1


def test_mark_read_leaves_filed_mail_in_the_folder(mail_archive, mail_user, tmp_path):
    _deliver(
        mail_user,
        build_message(subject="Gelezen", attachments=[("a.pdf", pdf_bytes(tmp_path, "Brief A"), "application/pdf")]),
    )
    account = dataclasses.replace(mail_archive.config.mail.accounts[0], after="mark_read")
    assert _poll(mail_archive, account) == (1, 0)
    assert _poll(mail_archive, account) == (0, 0)  # read mail is not taken again
    assert _subjects(mail_user, "INBOX") == ["Gelezen"]


def test_passwords_come_from_the_environment_or_a_file(tmp_path):
    account = MailAccountSettings(name="a", host="h", user="u", password_env="PW")
    assert mailbox_settings(account, tmp_path, 5, {"PW": "geheim"}).password == "geheim"
    (tmp_path / "pw.txt").write_text("uit-bestand\n")
    from_file = dataclasses.replace(account, password_env="", password_file="pw.txt")
    assert mailbox_settings(from_file, tmp_path, 5, {}).password == "uit-bestand"
    with pytest.raises(MailboxError, match=r"no password for mail account a: set \$PW"):
        mailbox_settings(account, tmp_path, 5, {})


def test_status_shows_each_accounts_last_poll_and_error(mail_archive):
    with mail_archive.db.atomic() as conn:
        intake_repo.record_poll(conn, "balie", "2026-03-01T10:00:00Z", None, filed=3)
        intake_repo.record_poll(conn, "balie", "2026-03-01T10:01:00Z", "Could not log in to balie.")
    [entry] = mail_status(mail_archive.db, mail_archive.config.mail)
    assert (entry["filed"], entry["failing"], entry["last_ok"]) == (3, True, "2026-03-01T10:00:00Z")
    assert "FAILING since 2026-03-01T10:01:00Z: Could not log in to balie." in describe_mail_status([entry])[0]
