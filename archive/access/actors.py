"""Who acts: every service call names the archive user on whose behalf it runs."""

from __future__ import annotations

from dataclasses import dataclass

from archive.errors import Message

ROLES = ("clerk", "staff", "records_manager", "auditor", "admin")
# What each role is called, worded in every language (the web app's role names too).
ROLE_NAMES = {
    "clerk": Message("role.clerk", "clerk"),
    "staff": Message("role.staff", "staff member"),
    "records_manager": Message("role.records_manager", "records manager"),
    "auditor": Message("role.auditor", "auditor"),
    "admin": Message("role.admin", "administrator"),
}


@dataclass(frozen=True)
class Actor:
    """An archive user as far as permissions and the audit trail care."""

    name: str
    role: str
    address: str | None = None  # where the request came from (IP), for the audit trail
    os_user: str | None = None  # who ran the command, for a command-line actor (the audit trail records it)


# The built-in user of command-line calls without --user: may file and read,
# may not approve disposition.
SYSTEM = Actor("system", "system")
