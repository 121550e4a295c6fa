"""Proof that whoever runs a privileged command is the archive user it acts for.

`--user NAME` alone only names someone. A command that places or releases a hold,
approves a disposal, manages users, exports evidence, records a retention event or
reads the audit trail acts with that person's authority, so it asks for the proof a
log-in asks for: an API token of that user (``$ARCHIVE_TOKEN`` or ``--token-file``), or
the password and, when the user has one, the second-factor code — from
``$ARCHIVE_PASSWORD`` and ``$ARCHIVE_TOTP``, else typed at a prompt when a person sits
at a terminal. Wrong passwords and codes count as failed log-ins (audited, throttled).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import click

from archive.access.actors import Actor
from archive.access.users import UserService, shown_login_name
from archive.errors import InvalidInput, PermissionDenied

# Asks a person for a secret (hidden), given what to call it; None: nobody to ask.
Ask = Callable[[str], str]


@dataclass(frozen=True)
class Credentials:
    """What a command was given to prove its user: a token, or a password and code."""

    token: str | None = None
    password: str | None = None
    code: str | None = None


def credentials_from(
    environ: Mapping[str, str], token_file: Path | None, password_from_environment: bool = True
) -> Credentials:
    """Return the proof given to this command (``password_from_environment`` false: the
    password variable means something else to the command, e.g. a new user's password)."""
    token = environ.get("ARCHIVE_TOKEN") or None
    if token_file is not None:
        token = _read_token(token_file)
    password = (environ.get("ARCHIVE_PASSWORD") or None) if password_from_environment else None
    return Credentials(token=token, password=password, code=environ.get("ARCHIVE_TOTP") or None)


def _read_token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            "cli.token_file_unreadable", "The token file {path} cannot be read.", path=str(path)
        ) from exc
    if not token:
        raise InvalidInput("cli.token_file_empty", "The token file {path} is empty.", path=str(path))
    return token


def prompt_on_terminal() -> Ask | None:
    """Return a hidden prompt on the terminal when a person is at one (stdin is a TTY), else None."""
    if not _interactive():
        return None
    return lambda label: click.prompt(label, hide_input=True, err=True, default="", show_default=False)


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def prove(users: UserService, name: str, given: Credentials, ask: Ask | None) -> Actor:
    """Return the named user as an Actor once the proof holds; raise PermissionDenied when it does not.

    A token is taken first; else the password, then the second-factor code when the user
    has one — each from what was given, else asked for.
    """
    name = shown_login_name(name)
    if given.token:
        return _by_token(users, name, given.token)
    password = given.password or (ask(f"Password of {name}") if ask else None)
    if not password:
        raise _proof_needed(name)
    user = users.check_password(name, password, None)
    if user.has_totp:
        code = given.code or (ask(f"Second-factor code of {name}") if ask else None)
        if not code:
            raise PermissionDenied(
                "cli.code_needed",
                "'{name}' logs in with a second factor: type the code from the authenticator app at "
                "the prompt, or give it in ARCHIVE_TOTP.",
                name=name,
            )
        user = users.check_totp(name, code, None)
    return users.actor(user.name)


def _by_token(users: UserService, name: str, token: str) -> Actor:
    owner = users.user_for_token(token)
    if owner is None or owner.name != name:
        raise PermissionDenied(
            "cli.token_refused",
            "The token given is not a valid API token of '{name}'; ask an administrator for a new one "
            "(archive users token {name}).",
            name=name,
        )
    return users.actor(owner.name)


def _proof_needed(name: str) -> PermissionDenied:
    return PermissionDenied(
        "cli.proof_needed",
        "This command acts with the authority of '{name}' and needs proof that you are: type the password "
        "(and second-factor code) at the prompt, set ARCHIVE_PASSWORD and ARCHIVE_TOTP, or give an API token "
        "of that user in ARCHIVE_TOKEN or with --token-file.",
        name=name,
    )
