"""Archive users: roles, Argon2id passwords, TOTP second factors, API tokens, log-in throttling.

Passwords and tokens are kept only as hashes. Repeated failed log-ins are slowed
per account and per address: after the free attempts each further failure doubles
the wait before the next try is even checked.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from archive.access.actors import ROLES, SYSTEM, Actor
from archive.access.passwords import password_problem
from archive.audit.trail import AuditTrail
from archive.clock import Clock, iso
from archive.config import WebSettings
from archive.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ingest.values import mask_bsns
from storage import users_repo as repo
from storage.database import Database

# Roles whose log-in needs a second factor (DESIGN.md: they can destroy, hold or read everything).
TOTP_ROLES = frozenset({"records_manager", "auditor", "admin"})
ISSUER = "Front Office Archive"
TOKEN_PREFIX = "foa_"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
# Names that would read as the machine in the audit trail, not as a person.
RESERVED_NAMES = frozenset({SYSTEM.name, "root", "anonymous", "unknown", "archive", "nobody"})
_NAME_LIMIT = 40
# A code is accepted one step either side of now (clock drift): 90 seconds in all. The
# half-way state between the password and the code lasts no longer than that.
TOTP_WINDOW = 1
CODE_WINDOW_SECONDS = 30 * (2 * TOTP_WINDOW + 1)
# Checked against a known hash when a name does not exist, so timing does not tell.
_DUMMY_PASSWORD = "not a real password, only for timing"


class LoginFailed(PermissionDenied):
    """The name, password or code was not right (deliberately vague)."""


class LoginThrottled(PermissionDenied):
    """Too many failed attempts: the next one is checked only after a wait."""

    @property
    def retry_after(self) -> int:
        """Seconds until the next attempt is checked."""
        return int(self.values["seconds"])  # type: ignore[call-overload]


@dataclass(frozen=True)
class User:
    """An archive user as the pages and commands show it (no secrets)."""

    name: str
    role: str
    has_totp: bool
    active: bool
    language: str | None
    created_at: str
    session_version: int = 0  # a web session opened under another version is no longer accepted
    must_change_password: bool = False  # an administrator's temporary password: choose a new one first

    @property
    def needs_totp(self) -> bool:
        return self.role in TOTP_ROLES

    def actor(self, address: str | None = None) -> Actor:
        return Actor(self.name, self.role, address)


def shown_login_name(typed: str) -> str:
    """Return a typed log-in name as it may be stored: bounded, one line, any BSN masked.

    Whatever is typed at the log-in form reaches the audit trail and the throttle table
    (a failed log-in names who tried): a page of text, a BSN or a control character must not.
    """
    flat = "".join(ch if ch.isprintable() else " " for ch in typed.strip().lower())
    bounded = flat[:_NAME_LIMIT] + ("…" if len(flat) > _NAME_LIMIT else "")
    return mask_bsns(bounded)


def totp_step(secret: str, code: str, now: datetime, window: int = TOTP_WINDOW) -> int | None:
    """The time step whose code `code` is, at most `window` steps from now (clock drift); else None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    matches = [
        step
        for step in range(current - window, current + window + 1)
        if hmac.compare_digest(totp.generate_otp(step), code)
    ]
    return matches[-1] if matches else None


def hash_token(token: str) -> str:
    """Return the stored form of an API token (sha256; tokens are long and random)."""
    return hashlib.sha256(token.encode()).hexdigest()


def throttle_wait(failures: int, last_failure: float | None, now: float, free: int, max_wait: int) -> int:
    """Return the seconds still to wait before another attempt is checked (0 = go ahead)."""
    if failures < free or last_failure is None:
        return 0
    wait = min(2 ** (failures - free + 1), max_wait)
    return max(0, round(last_failure + wait - now))


class UserService:
    """Users of one archive: add, check log-ins, second factors, API tokens."""

    def __init__(self, db: Database, clock: Clock, settings: WebSettings, audit: AuditTrail) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings
        self._audit = audit
        self._hasher = PasswordHasher(
            time_cost=settings.password_hash_time_cost, memory_cost=settings.password_hash_memory_kib
        )  # Argon2id
        self._dummy: str | None = None

    # -- reading ----------------------------------------------------------------

    def get(self, name: str) -> User | None:
        """Return one user, or None."""
        row = repo.get_user(self._db.read(), name)
        return _user(row) if row else None

    def require(self, name: str) -> User:
        """Return one user; raise NotFound."""
        user = self.get(name)
        if user is None:
            raise NotFound("user.not_found", "There is no archive user named '{name}'.", name=name)
        return user

    def list(self) -> list[User]:
        """Return every user, by name."""
        return [_user(row) for row in repo.list_users(self._db.read())]

    def count(self) -> int:
        return repo.count_users(self._db.read())

    def actor(self, name: str, address: str | None = None) -> Actor:
        """Return an active user as an Actor; raise NotFound (also for a disabled one)."""
        user = self.require(name)
        if not user.active:
            raise NotFound("user.disabled", "The archive user '{name}' is disabled.", name=name)
        return user.actor(address)

    # -- changing ---------------------------------------------------------------

    def add(self, name: str, role: str, password: str, by: Actor) -> tuple[User, str | None]:
        """Create a user; return it and, for roles that need one, the TOTP enrolment URI."""
        name = name.strip().lower()
        if not _NAME.match(name):
            raise InvalidInput(
                "user.bad_name", "A user name is 2 to 40 lower-case letters, digits, dots, dashes or underscores."
            )
        if name in RESERVED_NAMES:
            raise InvalidInput(
                "user.reserved_name", "The name '{name}' is reserved for the archive itself; choose another.", name=name
            )
        self._check_role(role)
        self._check_password(name, password)
        secret = pyotp.random_base32() if role in TOTP_ROLES else None
        now = iso(self._clock.now())
        with self._db.atomic() as conn:
            if repo.get_user(conn, name) is not None:
                raise Conflict("user.exists", "There is already a user named '{name}'.", name=name)
            repo.insert_user(
                conn,
                {
                    "name": name,
                    "role": role,
                    "password_hash": self._hasher.hash(password),
                    "totp_secret": secret,
                    "language": None,
                    "created_at": now,
                },
            )
            self._audit.record(by, "user_add", details={"user": name, "role": role})
        return self.require(name), (self.totp_uri(name, secret) if secret else None)

    def set_role(self, name: str, role: str, by: Actor) -> str | None:
        """Change a user's role; return a new TOTP enrolment URI when the new role needs one."""
        self._check_role(role)
        user = self.require(name)
        secret = None
        with self._db.atomic() as conn:
            fields = {"role": role, "updated_at": iso(self._clock.now())}
            if role in TOTP_ROLES and not user.has_totp:
                secret = fields["totp_secret"] = pyotp.random_base32()
            repo.update_user(conn, name, **fields)
            if role != user.role:
                repo.end_sessions(conn, name)  # the rights of the old role end with its sessions
            self._audit.record(by, "user_role", details={"user": name, "before": user.role, "after": role})
        return self.totp_uri(name, secret) if secret else None

    def set_active(self, name: str, active: bool, by: Actor) -> None:
        """Enable or disable a user; disabling also revokes their API tokens."""
        self.require(name)
        if not active and name == by.name:
            raise Conflict("user.disable_self", "You cannot disable your own account.")
        with self._db.atomic() as conn:
            repo.update_user(conn, name, active=int(active), updated_at=iso(self._clock.now()))
            repo.end_sessions(conn, name)  # enabling again must not wake up an old session
            if not active:
                repo.revoke_tokens(conn, name)
            self._audit.record(by, "user_enable" if active else "user_disable", details={"user": name})

    def set_password(self, name: str, password: str, by: Actor, temporary: bool = False) -> None:
        """Replace a user's password (checked like a new one); end their sessions.

        A ``temporary`` one (an administrator's, for a user who forgot theirs) only lets
        them choose a new one at their next log-in.
        """
        self.require(name)
        self._check_password(name, password)
        with self._db.atomic() as conn:
            repo.update_user(
                conn,
                name,
                password_hash=self._hasher.hash(password),
                must_change_password=int(temporary),
                updated_at=iso(self._clock.now()),
            )
            repo.end_sessions(conn, name)
            self._audit.record(by, "user_password", details={"user": name, "temporary": temporary})

    def end_sessions(self, name: str, by: Actor) -> None:
        """End every web session of a user at once (logging out does this for the user)."""
        with self._db.atomic() as conn:
            repo.end_sessions(conn, name)
            self._audit.record(by, "logout", details={"user": name})

    def change_own_password(self, name: str, current: str, new: str, address: str | None = None) -> None:
        """Let a logged-in user replace their own password, after typing the current one.

        A wrong current password counts as a failed log-in (and is slowed down the same
        way): a session left open must not become a way to guess it.
        """
        self._check_throttle(name, address)
        row = repo.get_user(self._db.read(), name)
        if row is None or not row["active"] or not self._verify(row["password_hash"], current):
            self._fail(name, address, "wrong current password when changing it")
        if new == current:
            raise InvalidInput("password.unchanged", "The new password must differ from the current one.")
        self._check_password(name, new)
        with self._db.atomic() as conn:
            repo.update_user(
                conn,
                name,
                password_hash=self._hasher.hash(new),
                must_change_password=0,
                updated_at=iso(self._clock.now()),
            )
            repo.end_sessions(conn, name)  # a session elsewhere, maybe the reason for the change, ends
            repo.clear_failures(conn, "account", name)
            self._audit.record(_user(row).actor(address), "user_password", details={"user": name, "own": True})

    def reset_totp(self, name: str, by: Actor) -> str:
        """Give a user a new TOTP secret; return its enrolment URI."""
        self.require(name)
        secret = pyotp.random_base32()
        with self._db.atomic() as conn:
            repo.update_user(conn, name, totp_secret=secret, updated_at=iso(self._clock.now()))
            repo.end_sessions(conn, name)
            self._audit.record(by, "user_totp_reset", details={"user": name})
        return self.totp_uri(name, secret)

    def set_language(self, name: str, language: str) -> None:
        """Remember the interface language a user chose."""
        with self._db.atomic() as conn:
            repo.update_user(conn, name, language=language, updated_at=iso(self._clock.now()))

    def totp_uri(self, name: str, secret: str) -> str:
        """Return the otpauth:// URI an authenticator app enrols from."""
        return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=ISSUER)

    def _check_role(self, role: str) -> None:
        if role not in ROLES:
            raise InvalidInput(
                "user.unknown_role", "Unknown role '{role}'; roles: {roles}.", role=role, roles=", ".join(ROLES)
            )

    def _check_password(self, name: str, password: str) -> None:
        problem = password_problem(name, password, self._settings.password_min_length)
        if problem:
            raise InvalidInput.wrapping(problem)

    # -- logging in -------------------------------------------------------------

    def check_password(self, name: str, password: str, address: str | None) -> User:
        """Return the user when name and password are right; raise LoginFailed / LoginThrottled."""
        name = shown_login_name(name)
        self._check_throttle(name, address)
        row = repo.get_user(self._db.read(), name)
        if row is None or not row["active"]:
            self._verify(self._dummy_hash(), password)
            return self._fail(name, address, "unknown or disabled user")
        if not self._verify(row["password_hash"], password):
            return self._fail(name, address, "wrong password")
        if self._hasher.check_needs_rehash(row["password_hash"]):
            with self._db.atomic() as conn:
                repo.update_user(conn, name, password_hash=self._hasher.hash(password))
        user = _user(row)
        if not user.needs_totp:
            self._succeed(user, address, "password")
        return user

    def check_totp(self, name: str, code: str, address: str | None) -> User:
        """Return the user when the TOTP code is right; raise LoginFailed / LoginThrottled."""
        name = shown_login_name(name)
        self._check_throttle(name, address)
        row = repo.get_user(self._db.read(), name)
        code = re.sub(r"\s", "", code or "")
        step = (
            totp_step(row["totp_secret"], code, self._clock.now()) if row is not None and row["totp_secret"] else None
        )
        if step is None:
            return self._fail(name, address, "wrong second-factor code")
        with self._db.atomic() as conn:
            fresh = repo.use_totp_step(conn, name, step)
        if not fresh:  # seen over a shoulder, or replayed: a code logs in once
            return self._fail(name, address, "second-factor code used before")
        user = _user(row)
        self._succeed(user, address, "password+totp")
        return user

    def _dummy_hash(self) -> str:
        # Made on first need, not at every open of the archive (a hash costs tens of ms).
        if self._dummy is None:
            self._dummy = self._hasher.hash(_DUMMY_PASSWORD)
        return self._dummy

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _check_throttle(self, name: str, address: str | None) -> None:
        now = self._clock.now().timestamp()
        since = now - self._settings.login_window_minutes * 60
        conn = self._db.read()
        waits = [
            throttle_wait(
                *repo.recent_failures(conn, "account", name, since),
                now,
                self._settings.login_free_failures_account,
                self._settings.login_max_wait_seconds,
            )
        ]
        if address:
            waits.append(
                throttle_wait(
                    *repo.recent_failures(conn, "address", address, since),
                    now,
                    self._settings.login_free_failures_address,
                    self._settings.login_max_wait_seconds,
                )
            )
        wait = max(waits)
        if wait > 0:
            raise LoginThrottled(
                "login.throttled", "Too many failed log-ins; try again in {seconds} seconds.", seconds=wait
            )

    def _fail(self, name: str, address: str | None, reason: str) -> User:
        now = self._clock.now().timestamp()
        with self._db.atomic() as conn:
            repo.forget_failures_before(conn, now - self._settings.login_window_minutes * 60)
            repo.record_failure(conn, "account", name, now)
            if address:
                repo.record_failure(conn, "address", address, now)
            self._audit.record(Actor(name, "unknown", address), "login_failed", details={"reason": reason})
        raise LoginFailed("login.failed", "The name, password or code is not right.")

    def _succeed(self, user: User, address: str | None, method: str) -> None:
        with self._db.atomic() as conn:
            repo.clear_failures(conn, "account", user.name)
            self._audit.record(user.actor(address), "login", details={"method": method})

    # -- API tokens -------------------------------------------------------------

    def new_token(self, name: str, by: Actor) -> str:
        """Create an API token for an active user; return it (shown once, stored hashed)."""
        user = self.require(name)
        if not user.active:
            raise Conflict("user.disabled", "The archive user '{name}' is disabled.", name=name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._db.atomic() as conn:
            repo.insert_token(conn, name, hash_token(token), iso(self._clock.now()))
            self._audit.record(by, "token_add", details={"user": name})
        return token

    def revoke_tokens(self, name: str, by: Actor) -> int:
        """Revoke every API token of a user; return how many."""
        with self._db.atomic() as conn:
            count = repo.revoke_tokens(conn, name)
            self._audit.record(by, "token_revoke", details={"user": name, "tokens": count})
        return count

    def token_count(self, name: str) -> int:
        return repo.count_tokens(self._db.read(), name)

    def user_for_token(self, token: str) -> User | None:
        """Return the active user an API token belongs to, or None."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        row = repo.user_for_token(self._db.read(), hash_token(token))
        return _user(row) if row else None


def _user(row) -> User:
    return User(
        name=row["name"],
        role=row["role"],
        has_totp=bool(row["totp_secret"]),
        active=bool(row["active"]),
        language=row["language"],
        created_at=row["created_at"],
        session_version=row["session_version"],
        must_change_password=bool(row["must_change_password"]),
    )


def create_first_admin(users: UserService, environ: Mapping[str, str] | None = None, by: Actor = SYSTEM) -> str | None:
    """Create the `admin` user of a new home; return the message to print once (or None).

    The password comes from $ARCHIVE_ADMIN_PASSWORD, else a random one is made and
    shown in the message. Nothing happens when the home already has users.
    """
    if users.count():
        return None
    given = (environ if environ is not None else os.environ).get("ARCHIVE_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    _, totp_uri = users.add("admin", "admin", password, by)
    lines = ["Created the user 'admin' (role admin)."]
    if not given:
        lines.append(f"Its password, shown only now: {password}")
    lines.append(f"Enrol its second factor in an authenticator app (shown only now): {totp_uri}")
    return "\n".join(lines)
