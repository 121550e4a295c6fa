"""The IMAP accounts polled beside the inbox: each message filed, then put away on the server.

One thread per account of ``[[mail.accounts]]``. A poll takes what waits in the folder
(oldest first); a message already filed (its Message-ID is written down) is only put
away, so a crash between the commit and the move costs nothing; a message whose
documents all went in is moved or marked as configured, one that could not be filed
goes to the failure folder, the reason recorded. Between polls the server's IDLE tells
about new mail. Each poll's time and any error is written down for ``archive status``.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path

from archive.access.actors import SYSTEM, Actor
from archive.clock import iso
from archive.core import Core
from archive.documents.filing import FilingHints
from archive.intake.messages import MessageFiler
from ingest.errors import IngestError, MailboxError
from ingest.formats import EML
from ingest.mail import Mailbox, MailboxSettings, parse_eml, synthetic_message_id
from ingest.mail.message import MailMessage
from ingest.settings import MailAccountSettings
from ingest.values import mask_bsns
from storage import intake_repo

log = logging.getLogger(__name__)

CHANNEL = "mail"
_RETRY_SECONDS = 30.0  # after a connection failure, at most this long before the next try


def mailbox_settings(
    account: MailAccountSettings, home: Path, timeout: float, environ: Mapping[str, str] | None = None
) -> MailboxSettings:
    """The account with its password looked up (environment, else a file in the home); raise MailboxError."""
    variables: Mapping[str, str] = os.environ if environ is None else environ
    password = variables.get(account.password_env, "") if account.password_env else ""
    if not password and account.password_file:
        path = Path(account.password_file)
        path = path if path.is_absolute() else home / path
        try:
            password = path.read_text(encoding="utf-8").splitlines()[0].strip() if path.exists() else ""
        except (OSError, IndexError, UnicodeDecodeError):
            password = ""
    if not password:
        where = f"${account.password_env}" if account.password_env else account.password_file
        raise MailboxError(
            "mail.no_password",
            "There is no password for mail account {name}: set {where}.",
            name=account.name,
            where=where,
        )
    return MailboxSettings(
        name=account.name,
        host=account.host,
        user=account.user,
        password=password,
        port=account.port,
        tls=account.tls,
        folder=account.folder,
        after=account.after,
        move_to=account.move_to,
        failed_folder=account.failed_folder,
        ca_file=account.ca_file or None,
        timeout_seconds=timeout,
    )


class AccountPoller:
    """Polls one account until stopped."""

    def __init__(
        self, core: Core, filer: MessageFiler, account: MailAccountSettings, actor: Actor, stop: threading.Event
    ) -> None:
        self._core = core
        self._account = account
        self._actor = actor
        self._stop = stop
        self._filer = filer
        self.thread = threading.Thread(target=self._run, name=f"mail-{account.name}", daemon=True)

    def _run(self) -> None:
        box: Mailbox | None = None
        while not self._stop.is_set():
            try:
                if box is None:
                    box = Mailbox(
                        mailbox_settings(self._account, self._core.config.home, self._core.config.mail.timeout_seconds)
                    )
                    box.open()
                filed, failed = self.poll(box)
                self._note(None, filed, failed)
                box.wait(self._core.config.mail.poll_seconds, self._stop)
            except MailboxError as exc:
                log.warning("mail account %s: %s", self._account.name, exc)
                self._note(str(exc))
                if box is not None:
                    box.close()
                box = None
                self._stop.wait(min(_RETRY_SECONDS, self._core.config.mail.poll_seconds))
            except Exception as exc:  # the poller must outlive anything one message does
                log.exception("mail account %s: polling failed", self._account.name)
                self._note(f"An internal error stopped this poll ({type(exc).__name__}); see the archive log.")
                self._stop.wait(min(_RETRY_SECONDS, self._core.config.mail.poll_seconds))
        if box is not None:
            box.close()

    def poll(self, box: Mailbox) -> tuple[int, int]:
        """File what waits in the folder; return (messages filed, messages failed)."""
        filed = failed = 0
        limit = self._core.config.mail.max_message_mb * 2**20
        for waiting in box.waiting():
            if self._stop.is_set():
                break
            if waiting.message_id and self._already_filed(waiting.message_id):
                box.finish(waiting.uid)  # filed before an interruption; only putting away was left
                continue
            if waiting.size > limit:
                self._refuse(
                    box,
                    waiting.uid,
                    waiting.message_id,
                    f"This message is {waiting.size / 2**20:.0f} MB; the archive takes messages up to "
                    f"{self._core.config.mail.max_message_mb} MB.",
                )
                failed += 1
                continue
            ok = self._file(box, waiting.uid)
            filed += ok
            failed += not ok
        return filed, failed

    def _file(self, box: Mailbox, uid: int) -> bool:
        raw = box.fetch(uid)
        try:
            message = parse_eml(raw)
        except IngestError as exc:
            self._refuse(box, uid, synthetic_message_id(raw), str(exc))
            return False
        work = self._core.store.temp_dir()
        try:
            original = work / "message.eml"
            original.write_bytes(raw)
            shown = f"mail/{self._account.name}/{self._account.folder}/{uid}"
            result = self._filer.file_message(
                message, original, EML, self._account.name, self._actor, FilingHints(), CHANNEL, shown
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
        # Only now, with every document committed, is the message put away.
        if result.filed:
            box.finish(uid)
            log.info(
                "mail %s: filed %s (%d documents)",
                self._account.name,
                mask_bsns(message.message_id),
                len(result.outcomes),
            )
        else:
            box.fail(uid)
            log.warning("mail %s: not filed %s: %s", self._account.name, mask_bsns(message.message_id), result.error)
        return result.filed

    def _already_filed(self, message_id: str) -> bool:
        known = intake_repo.find_message(self._core.db.read(), message_id)
        return known is not None and known["state"] == "filed"

    def _refuse(self, box: Mailbox, uid: int, message_id: str | None, reason: str) -> None:
        message = MailMessage(message_id or f"<uid-{uid}@{self._account.name}>", "", None, "", None, "", None, ())
        with self._core.db.atomic() as conn:
            intake_repo.insert_message(
                conn,
                {
                    "message_id": message.message_id,
                    "account": self._account.name,
                    "channel": CHANNEL,
                    "sender": None,
                    "subject": None,
                    "sent_at": None,
                    "size": None,
                    "received_at": iso(self._core.clock.now()),
                },
            )
            intake_repo.end_message(conn, message.message_id, "failed", [], [], reason, iso(self._core.clock.now()))
            self._core.audit.record(
                self._actor,
                "mail_failed",
                details={"mail_message_id": message.message_id, "account": self._account.name, "reason": reason},
            )
        box.fail(uid)
        log.warning("mail %s: message %s not filed: %s", self._account.name, uid, reason)

    def _note(self, error: str | None, filed: int = 0, failed: int = 0) -> None:
        with self._core.db.atomic() as conn:
            intake_repo.record_poll(conn, self._account.name, iso(self._core.clock.now()), error, filed, failed)


class MailService:
    """Every configured account's poller; started and stopped with the inbox watcher."""

    def __init__(self, core: Core, filer: MessageFiler, actor: Actor = SYSTEM) -> None:
        self._core = core
        self._filer = filer
        self._actor = actor
        self._stop = threading.Event()
        self._pollers: list[AccountPoller] = []

    def start(self) -> None:
        for account in self._core.config.mail.accounts:
            poller = AccountPoller(self._core, self._filer, account, self._actor, self._stop)
            poller.thread.start()
            self._pollers.append(poller)
        if self._pollers:
            log.info("polling %d mail account(s)", len(self._pollers))

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        for poller in self._pollers:
            poller.thread.join(timeout)
        self._pollers.clear()
