"""Each mail account's last poll and errors, for `archive status`."""

from __future__ import annotations

from typing import Any

from archive.intake.mailboxes import CHANNEL as MAIL_CHANNEL
from ingest.settings import MailSettings
from storage import intake_repo
from storage.database import Database


def mail_status(db: Database, mail: MailSettings) -> list[dict[str, Any]]:
    """One entry per configured account: last poll, last success, last error, messages filed and failed."""
    polled = {row["name"]: dict(row) for row in intake_repo.accounts(db.read())}
    entries = []
    for account in mail.accounts:
        row = polled.get(account.name, {})
        failing = bool(row.get("error_at")) and (row.get("last_ok") or "") < (row.get("error_at") or "")
        entries.append(
            {
                "name": account.name,
                "host": account.host,
                "user": account.user,
                "folder": account.folder,
                "last_poll": row.get("last_poll"),
                "last_ok": row.get("last_ok"),
                "last_error": row.get("last_error"),
                "error_at": row.get("error_at"),
                "failing": failing,
                "filed": row.get("filed", 0),
                "failed": row.get("failed", 0),
            }
        )
    return entries


def failed_mail(db: Database, mail: MailSettings, limit: int = 20) -> list[dict[str, Any]]:
    """The latest messages from the mail accounts that could not be filed, with why and where they went.

    (An .eml or .msg file that fails is set aside in the inbox like any file, and listed there.)
    """
    folders = {account.name: account.failed_folder for account in mail.accounts}
    return [
        {**dict(row), "folder": folders.get(row["account"])}
        for row in intake_repo.failed_messages(db.read(), MAIL_CHANNEL, limit)
    ]


def describe_mail_status(accounts: list[dict[str, Any]]) -> list[str]:
    """The lines `archive status` prints for the mail accounts (pure)."""
    lines = []
    for account in accounts:
        state = "never polled yet" if not account["last_poll"] else f"last poll {account['last_poll']}"
        if account["failing"]:
            state += f"; FAILING since {account['error_at']}: {account['last_error']}"
        elif account["last_error"]:
            state += f"; last error {account['error_at']}: {account['last_error']}"
        lines.append(
            f"mail {account['name']} ({account['user']}@{account['host']}/{account['folder']}): {state}; "
            f"{account['filed']} messages filed, {account['failed']} not filed"
        )
    return lines
