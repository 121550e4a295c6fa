"""Archive users with the proof privileged commands ask for, for tests.

    rita = add_identity(home, "rita", "records_manager")
    run(home, "--user", "rita", "hold", "add", ..., env=rita.env())

A user is added straight through the users service (as `archive init` adds the first
administrator), with an API token; ``env()`` gives the token as a command takes it,
``password_env()`` the password and the current second-factor code instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyotp

from archive.access.actors import SYSTEM
from archive.config import load_config

PASSWORD = "Kw1k-Zeer-Geheim!2026"


@dataclass(frozen=True)
class Identity:
    """An archive user a test acts as: name, role, password, TOTP secret (if any), an API token."""

    name: str
    role: str
    password: str
    token: str
    totp_secret: str | None = None

    def env(self) -> dict[str, str]:
        """The environment that proves this user by token."""
        return {"ARCHIVE_TOKEN": self.token}

    def password_env(self, code: str | None = None) -> dict[str, str]:
        """The environment that proves this user by password and (when enrolled) the current code."""
        env = {"ARCHIVE_PASSWORD": self.password}
        if self.totp_secret:
            env["ARCHIVE_TOTP"] = code or self.code()
        return env

    def code(self) -> str:
        """The second-factor code of this moment."""
        assert self.totp_secret, f"{self.name} has no second factor"
        return pyotp.TOTP(self.totp_secret).now()

    def wrong_code(self) -> str:
        """A code that is none of those accepted now (the one before, now or after)."""
        assert self.totp_secret
        totp = pyotp.TOTP(self.totp_secret)
        step = totp.timecode(datetime.now(timezone.utc))
        accepted = {totp.generate_otp(s) for s in range(step - 2, step + 3)}
        return next(c for c in (f"{n:06d}" for n in range(0, 999999, 7919)) if c not in accepted)


def add_identity(home: Path, name: str, role: str, password: str = PASSWORD) -> Identity:
    """Add a user with an API token to the archive at ``home``; return who it is."""
    return add_identities(home, [(name, role)], password)[name]


def add_identities(home: Path, people: list[tuple[str, str]], password: str = PASSWORD) -> dict[str, Identity]:
    """Add (name, role) users with API tokens in one opening of the archive; return them by name."""
    from archive.service import Archive

    added = {}
    with Archive.open(load_config(home=home)) as archive:
        for name, role in people:
            _, totp_uri = archive.users.add(name, role, password, SYSTEM)
            token = archive.users.new_token(name, SYSTEM)
            secret = pyotp.parse_uri(totp_uri).secret if totp_uri else None
            added[name] = Identity(name=name, role=role, password=password, token=token, totp_secret=secret)
    return added


def light_hashing(folder: Path) -> Path:
    """Write a configuration whose password hashing is cheap (for ``ARCHIVE_CONFIG`` in a test); return it.

    Argon2id as configured costs a busy test machine a second per log-in; a module that
    logs in dozens of times sets this instead.
    """
    path = folder / "light-hashing.toml"
    path.write_text("[web]\npassword_hash_time_cost = 1\npassword_hash_memory_kib = 1024\n", encoding="utf-8")
    return path


def token_of(home: Path, name: str) -> str:
    """Return a new API token of an existing user (e.g. the administrator `archive init` made)."""
    from archive.service import Archive

    with Archive.open(load_config(home=home)) as archive:
        return archive.users.new_token(name, SYSTEM)
