"""The IMAP client against a real Dovecot on loopback."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from imapclient import IMAPClient

from ingest.errors import MailboxError
from ingest.mail import MARK_READ, MOVE, Mailbox, MailboxSettings, parse_eml
from tests.mail.messages import build_message


def _settings(user, **changes) -> MailboxSettings:
    base = MailboxSettings(
        name="balie",
        host=user.host,
        port=user.port,
        tls="none",
        user=user.user,
        password=user.password,
        timeout_seconds=10,
    )
    return replace(base, **changes)


def _deliver(user, *messages, folder="INBOX") -> None:
    with IMAPClient(user.host, port=user.port, ssl=False, timeout=10) as client:
        client.login(user.user, user.password)
        for message in messages:
            client.append(folder, message.as_bytes())


def _folder(user, folder) -> list[bytes]:
    with IMAPClient(user.host, port=user.port, ssl=False, timeout=10) as client:
        client.login(user.user, user.password)
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        fetched = client.fetch(uids, ["BODY.PEEK[]", "FLAGS"]) if uids else {}
        return [(data[b"BODY[]"], data[b"FLAGS"]) for data in fetched.values()]


@pytest.fixture
def mailbox(mail_user):
    boxes = []

    def open_box(**changes) -> Mailbox:
        box = Mailbox(_settings(mail_user, **changes))
        box.open()
        boxes.append(box)
        return box

    yield open_box
    for box in boxes:
        box.close()


def test_waiting_fetch_and_move(mail_user, mailbox):
    first, second = build_message(subject="een"), build_message(subject="twee", message_id=None)
    _deliver(mail_user, first, second)
    box = mailbox(after=MOVE, move_to="Gearchiveerd")
    waiting = box.waiting()
    assert [w.message_id for w in waiting] == [first["Message-ID"], None]
    raw = box.fetch(waiting[0].uid)
    assert parse_eml(raw).subject == "een" and len(raw) == waiting[0].size
    assert [flags for _raw, flags in _folder(mail_user, "INBOX")] == [(), ()]  # peeking marks nothing read
    box.finish(waiting[0].uid)
    box.fail(waiting[1].uid)
    assert [parse_eml(raw).subject for raw, _ in _folder(mail_user, "Gearchiveerd")] == ["een"]
    assert [parse_eml(raw).subject for raw, _ in _folder(mail_user, "Niet gearchiveerd")] == ["twee"]
    assert box.waiting() == []


def test_mark_read_takes_only_unread_mail(mail_user, mailbox):
    _deliver(mail_user, build_message(subject="een"), build_message(subject="twee"))
    box = mailbox(after=MARK_READ)
    waiting = box.waiting()
    box.finish(waiting[0].uid)
    assert [w.uid for w in box.waiting()] == [waiting[1].uid]
    assert [b"\\Seen" in flags for _raw, flags in _folder(mail_user, "INBOX")] == [True, False]


def test_idle_wakes_up_on_new_mail(mail_user, mailbox):
    box = mailbox()
    stop = threading.Event()
    timer = threading.Timer(0.5, _deliver, args=(mail_user, build_message(subject="nieuw")))
    timer.start()
    try:
        assert box.wait(20, stop) is True
    finally:
        timer.join()
    assert [w.message_id is not None for w in box.waiting()] == [True]


def test_idle_stops_when_asked(mail_user, mailbox):
    box = mailbox()
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    assert box.wait(30, stop) is False


def test_wrong_password_and_no_server(mail_user):
    with pytest.raises(MailboxError, match="user name or password is wrong"):
        Mailbox(_settings(mail_user, password="fout")).open()
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    with pytest.raises(MailboxError, match="Could not connect to balie"):
        Mailbox(_settings(mail_user, port=free)).open()


@pytest.fixture(scope="module")
def tls_dovecot():
    from tests.dovecot import Dovecot

    server = Dovecot(tls=True).start()
    yield server
    server.stop()


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_tls_with_the_servers_own_certificate(tls_dovecot, mode):
    user = tls_dovecot.add_user()
    port = tls_dovecot.tls_port if mode == "ssl" else tls_dovecot.port
    settings = _settings(user, tls=mode, port=port, ca_file=str(tls_dovecot.ca_file))
    box = Mailbox(settings)
    box.open()
    try:
        assert box.waiting() == []
    finally:
        box.close()
    with pytest.raises(MailboxError, match="secure connection failed"):
        Mailbox(replace(settings, ca_file=None)).open()  # not signed by a CA the system trusts
