"""Backups of one archive home: take one, check and list a destination, restore into a new home.

What the command line and the daily schedule call. Every backup attempt — written,
written with problems, or failed — is remembered in the home (for `archive status`)
and recorded in its audit trail; a failure is a sentence, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, require
from archive.backup import signing, state
from archive.backup.contents import HomeLayout
from archive.backup.destination import DESCRIPTOR, Destination, PassphraseSource
from archive.backup.home import RestoredHome
from archive.backup.manifest import Manifest
from archive.backup.pruning import prune
from archive.backup.reading import list_snapshots
from archive.backup.replay import replay_disposals
from archive.backup.restore import RestoreRequest, RestoreResult, restore_snapshot
from archive.backup.verification import VerifyReport, verify_destination
from archive.backup.writer import SnapshotOptions, SnapshotResult, take_snapshot
from archive.clock import iso
from archive.config import Config
from archive.core import Core
from archive.errors import ArchiveError, BackupFailed, InvalidInput
from storage.errors import StorageError

log = logging.getLogger(__name__)


def once(source: PassphraseSource | None) -> PassphraseSource | None:
    """Return a passphrase source that asks at most once."""
    if source is None:
        return None
    remembered: list[str] = []

    def ask() -> str:
        if not remembered:
            remembered.append(source())
        return remembered[0]

    return ask


@dataclass(frozen=True)
class BackupRequest:
    destination: Path
    encrypt: bool = False
    private_keys: bool = False
    scheduled: bool = False  # the daily run: never starts a new series where one vanished


class BackupService:
    """Backups of one home."""

    def __init__(self, core: Core, sign_head: Callable[[], object] | None = None) -> None:
        self._config = core.config
        self._settings = core.config.backup
        self._db = core.db
        self._audit = core.audit
        self._clock = core.clock
        # Signs the audit chain's head (the daily checkpoint, if due) before a snapshot,
        # so every snapshot holds a checkpoint at most a day old; a new home gets its key.
        self._sign_head = sign_head
        self._layout = HomeLayout.of(core.config)

    def backup(
        self, request: BackupRequest, actor: Actor = SYSTEM, passphrase: PassphraseSource | None = None
    ) -> SnapshotResult:
        """Write a new snapshot to the destination and prune it; return what was done.

        Raises BackupFailed (or the ArchiveError that stopped it) with the reason, after
        remembering the failure for `archive status`.
        """
        require(actor, Permission.BACKUP)
        destination = str(Path(request.destination).resolve())
        try:
            result = self._backup(request, once(passphrase))
        except (ArchiveError, StorageError, OSError) as exc:
            failure = _as_failure(exc, destination)
            log.error("Backup to %s failed: %s", destination, failure)
            # Kept as a message too, so the status page says it in the reader's language.
            self._remember(
                actor,
                state.outcome(
                    self._clock.now(), destination, False, error=str(failure), message=failure.message.as_json()
                ),
            )
            if failure is exc:
                raise
            raise failure from exc
        self._remember(
            actor,
            state.outcome(
                self._clock.now(),
                destination,
                result.ok,
                snapshot=result.number,
                files=result.files,
                bytes_written=result.bytes_written,
                seconds=result.seconds,
                problems=result.problems,
                pruned=result.pruned,
            ),
        )
        return result

    def _backup(self, request: BackupRequest, passphrase: PassphraseSource | None) -> SnapshotResult:
        root = Path(request.destination)
        if self._config.on_server:
            # The snapshot's database comes from SQLite's online backup of the home's own file;
            # a home without one would get an empty copy, which is worse than no backup.
            raise InvalidInput(
                "backup.on_server",
                "This archive keeps its database on a PostgreSQL server, which `archive backup` "
                "cannot copy: back up the server with its own tools (pg_dump or pg_basebackup) "
                "and the home folder with a file backup.",
            )
        if root.resolve().is_relative_to(self._config.home):
            raise InvalidInput(
                "backup.inside_home",
                "{folder} lies inside the archive home; back up to another disk, a USB disk or a share.",
                folder=str(root),
            )
        if request.scheduled:
            self._check_still_there(root)
        self._checkpoint()
        key = signing.load_signing_key(self._layout.checkpoint_key)
        current = key.public_key_hex() if key else ""
        opened = Destination.open_or_create(root, current, iso(self._clock.now()), request.encrypt, passphrase)
        opened.claim(current, signing.home_public_keys(self._layout.checkpoint_key) if key else frozenset())
        options = SnapshotOptions(request.private_keys, passphrase() if request.private_keys and passphrase else None)
        result = take_snapshot(self._layout, opened, self._clock, options)
        pruned = prune(opened, self._settings.keep, _read_already(result))
        result.pruned, result.problems = pruned.removed, result.problems + pruned.problems
        return result

    def _checkpoint(self) -> None:
        if self._sign_head is None:
            return
        try:
            self._sign_head()
        except ArchiveError as exc:  # a lost key is a finding; the snapshot says it is unsigned
            log.error("No checkpoint before the backup: %s", exc)

    def _check_still_there(self, root: Path) -> None:
        _, success = state.remembered(self._db.read())
        if success and success.get("destination") == str(root.resolve()) and not (root / DESCRIPTOR).exists():
            raise BackupFailed(
                "backup.destination_gone",
                "The backup destination {folder} holds no backups any more: is the disk "
                "or share connected? To start a new series of backups there, run `archive backup` by hand once.",
                folder=str(root),
            )

    def _remember(self, actor: Actor, outcome: dict[str, Any]) -> None:
        state.remember(self._db, outcome)
        self._audit.record(actor, "backup" if outcome["ok"] else "backup_failed", details=outcome)

    @property
    def settings(self):
        return self._settings

    @property
    def home(self) -> Path:
        return self._config.home

    def last_attempt(self) -> dict[str, Any] | None:
        """Return the last backup attempt this home remembers (None when there was none)."""
        return state.remembered(self._db.read())[0]

    def status(self) -> state.BackupStatus:
        """Return how this home's backups stand (for `archive status` and the status page)."""
        attempt, success = state.remembered(self._db.read())
        return state.backup_status(attempt, success, self._settings, self._clock.now())

    def figures(self) -> dict[str, Any]:
        """Return the backup's status and what a past restore left to do, JSON-ready."""
        return state.backup_figures(self._db.read(), self._settings, self._clock.now())


def home_keys(config: Config) -> frozenset[str] | None:
    """Return the signing keys a home trusts (current and retired), or None when it has none here."""
    path = config.home / config.records.checkpoint_key_file
    try:
        return signing.home_public_keys(path) if path.exists() else None
    except ArchiveError:
        return None


def verify(
    destination: Path,
    deep: bool = False,
    passphrase: PassphraseSource | None = None,
    trusted: frozenset[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Check a destination's snapshots (see ``verification``)."""
    return verify_destination(Destination.open(destination, passphrase), deep, trusted, progress)


def snapshots(destination: Path, passphrase: PassphraseSource | None = None) -> list[dict[str, Any]]:
    """Return a summary of every snapshot in a destination, oldest first."""
    opened = Destination.open(destination, passphrase)
    with opened.lock(shared=True):
        return list_snapshots(opened)


def restore(
    destination: Path,
    request: RestoreRequest,
    open_archive: Callable[[Path], RestoredHome],
    passphrase: PassphraseSource | None = None,
) -> RestoreResult:
    """Restore a snapshot into a new home and verify it (see ``restore``)."""
    # One passphrase opens an encrypted destination and the private keys sealed in it.
    passphrase = once(passphrase)
    opened = Destination.open(destination, passphrase)

    def opened_archive(home: Path) -> RestoredHome:
        archive = open_archive(home)
        state.forget(archive.db)
        return archive

    return restore_snapshot(opened, request, opened_archive, replay_disposals, passphrase)


def _read_already(result: SnapshotResult) -> dict[int, Manifest]:
    """Return the manifests the snapshot read or wrote, so pruning need not parse them again."""
    return {manifest.number: manifest for manifest in (result.previous, result.manifest) if manifest is not None}


def _as_failure(exc: BaseException, destination: str) -> ArchiveError:
    """Return the archive error a failed backup is reported as (the error itself when it is one)."""
    if isinstance(exc, ArchiveError):
        return exc
    if isinstance(exc, StorageError):
        return BackupFailed.wrapping(exc)
    if isinstance(exc, OSError):
        return BackupFailed(
            "backup.write_failed",
            "The backup could not be written to {destination}: {reason}.",
            destination=destination,
            reason=exc.strerror or str(exc),
        )
    return BackupFailed("backup.failed", "The backup failed; the details are in the log.")
