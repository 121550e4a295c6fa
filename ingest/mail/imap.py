"""One IMAP mailbox, through imapclient: what waits, fetch it, and put it away after filing.

Messages are fetched with ``BODY.PEEK[]`` so fetching marks nothing read: a message is
moved or marked only by ``finish`` (after the archive committed all it holds) or
``fail``. Between polls the server is asked to tell about new mail (IDLE) where it
can, in short slices so that stopping never waits long.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Literal

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from ingest.errors import MailboxError
from ingest.mail.message import normalise_message_id

log = logging.getLogger(__name__)

MOVE = "move"
MARK_READ = "mark_read"
TLS_MODES = ("ssl", "starttls", "none")
SEEN = b"\\Seen"
_IDLE_SLICE = 1.0  # seconds between looks at the stop signal while idling


@dataclass(frozen=True)
class MailboxSettings:
    """One account of ``[[mail.accounts]]``, its password already looked up."""

    name: str
    host: str
    user: str
    password: str
    port: int = 993
    tls: str = "ssl"  # ssl (IMAPS) | starttls | none (loopback and tests only)
    folder: str = "INBOX"
    after: str = MOVE  # MOVE to `move_to`, or MARK_READ (then only unread mail is taken)
    move_to: str = "Gearchiveerd"
    failed_folder: str = "Niet gearchiveerd"
    ca_file: str | None = None  # a private CA that signed the server's certificate
    timeout_seconds: float = 60.0


@dataclass(frozen=True)
class Waiting:
    """A message waiting in the folder: its UID, size and Message-ID header."""

    uid: int
    size: int
    message_id: str | None  # None: the message has none (one is made from its bytes)


class Mailbox:
    """A connection to one account's folder; not thread-safe (one poller per account)."""

    def __init__(self, settings: MailboxSettings) -> None:
        self.settings = settings
        self._client: IMAPClient | None = None
        self.uidvalidity: int | None = None

    def open(self) -> None:
        """Connect, log in, make the folders needed and select the one to read; raise MailboxError."""
        s = self.settings
        with self._translated("connect to"):
            context = ssl.create_default_context(cafile=s.ca_file) if s.tls != "none" else None
            client = IMAPClient(s.host, port=s.port, ssl=s.tls == "ssl", ssl_context=context, timeout=s.timeout_seconds)
            self._client = client
            if s.tls == "starttls":
                client.starttls(context)
            client.login(s.user, s.password)
            for folder in self._folders_needed():
                if not client.folder_exists(folder):
                    client.create_folder(folder)
            selected = client.select_folder(s.folder)
            self.uidvalidity = int(selected.get(b"UIDVALIDITY", 0)) or None

    def close(self) -> None:
        """Log out (quietly: the connection may already be gone)."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except (IMAPClientError, OSError, imaplib.IMAP4.error):
            try:
                client.shutdown()
            except OSError:
                pass

    def waiting(self) -> list[Waiting]:
        """The messages to file now, oldest first, with their size and Message-ID."""
        client = self._require()
        with self._translated("read the folder of"):
            criteria = ["UNSEEN", "NOT", "DELETED"] if self.settings.after == MARK_READ else ["NOT", "DELETED"]
            uids = sorted(client.search(criteria))
            if not uids:
                return []
            found = client.fetch(uids, ["RFC822.SIZE", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        waiting = []
        for uid in uids:
            data = found.get(uid, {})
            header = next((value for key, value in data.items() if key.startswith(b"BODY[HEADER")), b"")
            waiting.append(Waiting(uid, int(data.get(b"RFC822.SIZE", 0)), parse_message_id_header(header)))
        return waiting

    def fetch(self, uid: int) -> bytes:
        """The message's exact bytes, without marking it read; raise MailboxError."""
        client = self._require()
        with self._translated("fetch a message from"):
            data = client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {})
        raw = data.get(b"BODY[]")
        if raw is None:
            raise MailboxError(
                "mail.message_gone",
                "Message {uid} is no longer in {folder} of {name}.",
                uid=uid,
                folder=self.settings.folder,
                name=self.settings.name,
            )
        return bytes(raw)

    def finish(self, uid: int) -> None:
        """Put a filed message away as configured: move it, or mark it read."""
        if self.settings.after == MARK_READ:
            with self._translated("mark a message read in"):
                self._require().add_flags([uid], [SEEN], silent=True)
        else:
            self._move(uid, self.settings.move_to)

    def fail(self, uid: int) -> None:
        """Move a message that could not be filed to the failure folder."""
        self._move(uid, self.settings.failed_folder)

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Wait up to `seconds` for new mail (IDLE where offered); True when the server said something."""
        client = self._require()
        if not client.has_capability("IDLE"):
            stop.wait(seconds)
            return False
        deadline = time.monotonic() + seconds
        with self._translated("wait for mail in"):
            client.idle()
            try:
                while not stop.is_set() and time.monotonic() < deadline:
                    responses = client.idle_check(timeout=min(_IDLE_SLICE, max(0.0, deadline - time.monotonic())))
                    if any(_is_news(response) for response in responses):
                        return True
            finally:
                client.idle_done()
        return False

    def _move(self, uid: int, folder: str) -> None:
        client = self._require()
        with self._translated(f"move a message to {folder} in"):
            if client.has_capability("MOVE"):
                client.move([uid], folder)
                return
            client.copy([uid], folder)
            client.delete_messages([uid], silent=True)
            if client.has_capability("UIDPLUS"):
                client.uid_expunge([uid])
            else:
                client.expunge()

    def _folders_needed(self) -> list[str]:
        folders = [self.settings.failed_folder]
        if self.settings.after == MOVE:
            folders.append(self.settings.move_to)
        return folders

    def _require(self) -> IMAPClient:
        if self._client is None:
            raise MailboxError("mail.not_open", "The mailbox {name} is not open.", name=self.settings.name)
        return self._client

    def _translated(self, doing: str):
        return _Translated(doing, self.settings)


class _Translated:
    """Turns the IMAP library's and the network's errors into one MailboxError sentence."""

    def __init__(self, doing: str, settings: MailboxSettings) -> None:
        self.doing = doing
        self.settings = settings

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, _tb) -> Literal[False]:
        if exc is None or isinstance(exc, MailboxError):
            return False
        where = f"{self.settings.name} ({self.settings.user}@{self.settings.host}:{self.settings.port})"
        if isinstance(exc, LoginError):
            raise MailboxError(
                "mail.login_failed", "Could not log in to {where}: the user name or password is wrong.", where=where
            ) from exc
        if isinstance(exc, (ssl.SSLError, ssl.CertificateError)):
            raise MailboxError(
                "mail.tls_failed",
                "Could not {doing} {where}: the secure connection failed ({exc}).",
                doing=self.doing,
                where=where,
                exc=exc,
            ) from exc
        if isinstance(exc, (socket.timeout, TimeoutError)):
            raise MailboxError(
                "mail.timeout",
                "Could not {doing} {where}: the server did not answer in time.",
                doing=self.doing,
                where=where,
            ) from exc
        if isinstance(exc, (IMAPClientError, imaplib.IMAP4.error, OSError)):
            raise MailboxError(
                "mail.failed", "Could not {doing} {where}: {exc}.", doing=self.doing, where=where, exc=exc
            ) from exc
        return False


def parse_message_id_header(header: bytes) -> str | None:
    """Return the Message-ID in a fetched ``Message-ID:`` header block, or None (pure)."""
    _, _, value = header.decode("ascii", "replace").partition(":")
    return normalise_message_id(value)


def _is_news(response: tuple) -> bool:
    return len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT")
