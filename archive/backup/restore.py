"""Restoring a snapshot into a new home, then proving the result with `archive verify`.

Never over an existing home: the target must be absent or an empty folder. Files are
written and checked against the manifest one by one; the archive is then opened on
the new home (which brings an older snapshot's database up to this release's schema
and rebuilds the search index from it), the restore is recorded in its audit trail,
and everything is verified. A snapshot cannot know what was destroyed after it was
taken; newer snapshots on the same destination can, and a newer copy of the database
(``--replay-disposals``) can re-apply those disposals. Whatever the snapshot still
holds that was destroyed later is said, and remembered in the home for `archive
status`, until it is disposed of again.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from archive.access.actors import SYSTEM
from archive.backup import chunks, crypto
from archive.backup.contents import CONFIG_PATH
from archive.backup.destination import Destination, PassphraseSource, sync_filesystem
from archive.backup.home import RestoredHome
from archive.backup.manifest import FileEntry, Manifest
from archive.backup.reading import read_manifest, read_signed
from archive.backup.state import RESTORED
from archive.backup.verification import signature_problem
from archive.clock import iso
from archive.errors import Conflict, IntegrityFailure, InvalidInput, NotFound
from archive.records.modes import PRIVATE_UMASK
from storage import backup_repo, records_repo
from storage.migrations import latest_number

_MARKER = ".restore-incomplete"
# Files written at once: reading, checking and writing them release the interpreter.
_THREADS = 4


@dataclass(frozen=True)
class RestoreRequest:
    home: Path
    snapshot: int | None = None  # None: the newest
    replay_from: Path | None = None  # a newer database copy whose disposals are re-applied
    trusted: frozenset[str] | None = None  # the signing keys to trust; default the destination's


@dataclass
class RestoreResult:
    home: str
    snapshot: int
    created_at: str
    files: int = 0
    bytes: int = 0
    seconds_files: float = 0.0
    seconds: float = 0.0
    config_file: str | None = None
    private_keys: bool = False
    destroyed_later: list[int] = field(default_factory=list)
    replayed: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    verify: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.verify.get("ok"))

    def to_json(self) -> dict[str, Any]:
        return {
            **{
                name: getattr(self, name)
                for name in (
                    "home",
                    "snapshot",
                    "created_at",
                    "files",
                    "bytes",
                    "seconds_files",
                    "seconds",
                    "config_file",
                    "private_keys",
                    "destroyed_later",
                    "replayed",
                    "notes",
                    "verify",
                )
            },
            "ok": self.ok,
        }


def check_target(home: Path) -> None:
    """Raise Conflict unless ``home`` is absent or an empty folder."""
    home = Path(home)
    if not home.exists():
        return
    if not home.is_dir():
        raise Conflict(
            "restore.target_not_a_folder",
            "{home} exists and is not a folder; restore into a new folder.",
            home=str(home),
        )
    if (home / _MARKER).exists():
        raise Conflict(
            "restore.unfinished",
            "An earlier restore into {home} did not finish; remove that folder and run restore again.",
            home=str(home),
        )
    if any(home.iterdir()):
        raise Conflict(
            "restore.target_not_empty",
            "{home} is not empty; a restore never writes over an existing home. Choose a new folder.",
            home=str(home),
        )


def restore_snapshot(
    destination: Destination,
    request: RestoreRequest,
    open_archive: Callable[[Path], RestoredHome],
    replay: Callable[[RestoredHome, Path, Manifest], list[int]] | None = None,
    passphrase: PassphraseSource | None = None,
) -> RestoreResult:
    """Restore the snapshot into ``request.home``, open and verify it; return what was done.

    Raises Conflict for an existing home, NotFound for a missing snapshot,
    IntegrityFailure for a snapshot that is damaged or not signed by the archive's key,
    InvalidInput for sealed private keys without (or with a wrong) passphrase.
    """
    started = time.monotonic()
    home = Path(request.home).resolve()
    check_target(home)
    with destination.lock(shared=True):
        manifest, notes = _chosen_manifest(destination, request)
        keys = _open_sealed(manifest, passphrase)
        result = RestoreResult(str(home), manifest.number, manifest.created_at, notes=notes)
        # Folders and files made from here on are the owner's only, as the archive makes its own.
        os.umask(PRIVATE_UMASK)
        home.mkdir(parents=True, exist_ok=True)
        home.chmod(0o700)
        (home / _MARKER).write_text("A restore is writing this home.\n", encoding="utf-8")
        targets = [home / _safe(entry.path) for entry in manifest.files]  # every path checked before any is written
        with ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="restore") as pool:
            for entry in pool.map(partial(_restore_file, destination), manifest.files, targets, chunksize=64):
                result.files += 1
                result.bytes += entry.size
        for path, (data, mode) in keys.items():
            _write_private(home / _safe(path), data, mode)
        sync_filesystem(home)  # the restored files are on disk before the home is used
        result.seconds_files = round(time.monotonic() - started, 3)
        result.destroyed_later = _destroyed_later(destination, manifest)
    result.private_keys = bool(keys)
    result.config_file = str(home / CONFIG_PATH) if manifest.entry(CONFIG_PATH) else None
    (home / _MARKER).unlink()
    with open_archive(home) as archive:
        if not keys and _had_signing_key(manifest):
            archive.records.checkpointer.renew_key("restored without its private keys")
            result.notes.append(_RENEWED)
        _record(archive, destination, manifest, result, replay, request.replay_from)
        result.verify = archive.verify_all(SYSTEM)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def _restore_file(destination: Destination, entry: FileEntry, target: Path) -> FileEntry:
    chunks.restore_file(destination, entry, target)
    return entry


def _chosen_manifest(destination: Destination, request: RestoreRequest) -> tuple[Manifest, list[str]]:
    numbers = destination.snapshot_numbers()
    if not numbers:
        raise NotFound("restore.no_snapshots", "There are no snapshots in {folder}.", folder=str(destination.root))
    number = numbers[-1] if request.snapshot is None else request.snapshot
    if number not in numbers:
        raise NotFound(
            "restore.no_such_snapshot",
            "There is no snapshot {number} in {folder}; see `archive backup list`.",
            number=number,
            folder=str(destination.root),
        )
    signed = read_signed(destination, number)
    notes = []
    problem = signature_problem(signed, request.trusted or destination.public_keys)
    if not signed.signature:
        notes.append(f"Snapshot {number} is not signed; its files are checked against its manifest only.")
    elif problem:
        raise IntegrityFailure(
            "restore.not_signed_by_archive",
            "Snapshot {number}{problem}; it was not restored. Check the backups with `archive backup verify`.",
            number=number,
            problem=problem.rstrip("."),
        )
    manifest = read_manifest(destination, number)
    if manifest.schema > latest_number():
        raise InvalidInput(
            "restore.newer_release",
            "Snapshot {number} was made by a newer release ({release}, schema "
            "{schema}); restore it with that release or a newer one.",
            number=number,
            release=manifest.release,
            schema=manifest.schema,
        )
    return manifest, notes


def _open_sealed(manifest: Manifest, passphrase: PassphraseSource | None) -> dict[str, tuple[bytes, int]]:
    if not manifest.sealed:
        return {}
    if passphrase is None:
        raise InvalidInput(
            "restore.keys_sealed",
            "Snapshot {number} holds the private keys, sealed with a passphrase: give the passphrase to restore them.",
            number=manifest.number,
        )
    secret = passphrase()
    return {
        entry.path: (crypto.unseal_secret(entry.sealed, secret, entry.path), entry.mode) for entry in manifest.sealed
    }


def _safe(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise IntegrityFailure(
            "restore.unsafe_path",
            "The snapshot lists a file outside the home ({path}); it was not restored.",
            path=path,
        )
    return relative


def _write_private(target: Path, data: bytes, mode: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(target, mode & 0o700)


_RENEWED = (
    "The private keys were not in the backup: a new signing key signs this home's checkpoints from now on, "
    "named in its audit trail; the old public key is kept in keys/retired/, so the checkpoints signed "
    "before still verify. Everyone logs in to the web app again."
)


def _had_signing_key(manifest: Manifest) -> bool:
    return any(e.kind == "public_key" and "/retired/" not in e.path for e in manifest.files)


def _destroyed_later(destination: Destination, manifest: Manifest) -> list[int]:
    """Return the documents newer snapshots say were destroyed after this one was taken."""
    held = manifest.audit_head.get("seq", 0)
    destroyed: set[int] = set()
    for number in reversed(destination.snapshot_numbers()):
        if number <= manifest.number:
            break
        try:
            newer = read_manifest(destination, number)
        except IntegrityFailure:
            continue
        destroyed |= {document_id for document_id, seq in newer.disposed if seq > held}
        break  # the newest readable snapshot lists every disposal in its database
    return sorted(destroyed - {document_id for document_id, _ in manifest.disposed})


def _record(
    archive: RestoredHome,
    destination: Destination,
    manifest: Manifest,
    result: RestoreResult,
    replay: Callable[[RestoredHome, Path, Manifest], list[int]] | None,
    replay_from: Path | None,
) -> None:
    if replay_from is not None and replay is not None:
        result.replayed = replay(archive, Path(replay_from), manifest)
    conn = archive.db.read()
    states = backup_repo.document_states(conn, result.destroyed_later)
    still_held = sorted(i for i, state in states.items() if state != "disposed" and i not in result.replayed)
    result.destroyed_later = still_held
    details = {
        "destination": str(destination.root),
        "snapshot": manifest.number,
        "snapshot_taken_at": manifest.created_at,
        "audit_head": manifest.audit_head,
        "destroyed_later": still_held,
        "replayed": result.replayed,
    }
    with archive.db.atomic() as conn:
        archive.audit.record(SYSTEM, "restore", details=details)
        records_repo.set_value(conn, RESTORED, json.dumps({**details, "at": iso(archive.clock.now())}))
    archive.records.checkpoint()  # the restored trail, signed where it now ends
