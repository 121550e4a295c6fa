"""Writing and checking the signed checkpoints of one archive's audit chain.

The pure parts (the key, signing, the files, comparing them with the chain) live in
``archive.audit.checkpoints``; this module adds the database, the folders, the keys
pinned in the trail and the witness.

A checkpoint is announced by an audit entry (``checkpoint``, with its number and the
digest of the one before) and covers that entry, so each checkpoint is named in the
trail it protects. Its file is written under a temporary name inside the transaction
that records it and moved into place once that committed; then it goes to the witness.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, require
from archive.audit.checkpoints import (
    FIRST_PREVIOUS,
    Checkpoint,
    CheckpointKey,
    CheckpointProblem,
    KeyPin,
    check_checkpoints,
    check_series,
    fingerprint,
    finish_file,
    legacy_count,
    read_files,
    read_public_key,
    renew_key,
    write_file,
)
from archive.audit.seals import KEYS_ACTION
from archive.audit.trail import AuditTrail
from archive.audit.witness import Witness, WitnessFailed
from archive.clock import Clock, iso
from archive.config import AuditSettings, RecordsSettings
from archive.errors import IntegrityFailure
from storage import audit_repo
from storage import records_repo as repo
from storage.database import Database

log = logging.getLogger(__name__)

DAILY = timedelta(days=1)
ANNOUNCE_ACTION = "checkpoint"


@dataclass
class CheckpointReport:
    """What checking the checkpoints found, and against which public key."""

    problems: list[CheckpointProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    public_key: str | None = None
    checkpoints: int = 0
    witnessed: int = 0

    @property
    def fingerprint(self) -> str | None:
        return fingerprint(self.public_key) if self.public_key else None


class Checkpointer:
    """Signs the chain's head into numbered checkpoint files and checks them against the chain."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: RecordsSettings,
        audit_settings: AuditSettings,
        home: Path,
        trail: AuditTrail,
    ) -> None:
        self._db = db
        self._clock = clock
        self._trail = trail
        self.key_path = home / settings.checkpoint_key_file
        self.public_key_path = self.key_path.with_suffix(".pub")
        self.folder = home / settings.checkpoint_folder
        witness_dir = audit_settings.witness_dir.strip()
        self.witness = Witness(Path(witness_dir) if witness_dir else None, audit_settings.witness_command)

    # -- keys -------------------------------------------------------------------------

    def pins(self) -> list[KeyPin]:
        """Return the checkpoint public keys the trail names, in order (the first: pinned at init)."""
        found = []
        for seq, details in audit_repo.action_details(self._db.read(), KEYS_ACTION):
            key = details.get("checkpoint_key") if isinstance(details, dict) else None
            if isinstance(key, str) and key:
                found.append(KeyPin(seq, key, str(details.get("reason") or "")))
        return found

    def pinned_key(self) -> str | None:
        """Return the checkpoint public key in force now, as the trail names it."""
        pins = self.pins()
        return pins[-1].public_key if pins else None

    def adopt(self, new_home: bool) -> None:
        """Make sure the trail names this home's seal key and pins the checkpoint key; start the series.

        A new home gets its checkpoint key here. A home made by an earlier release pins the
        public key it has now (trust on first use, noted by verify) and gets checkpoint 1.
        A checkpoint key found changed is never pinned here: verify reports it.
        """
        if not self.key_path.exists() and (new_home or self._never_checkpointed()):
            CheckpointKey.load(self.key_path, create=True)
        seal_key = self._trail.seal_key
        with self._db.atomic() as conn:
            named = audit_repo.keys_entries(conn, KEYS_ACTION)
            pinned = self.pinned_key()
            if pinned is None or seal_key is None or not named or named[-1][1] != seal_key.key_id:
                reason = "new home" if new_home else ("new seal key" if pinned else "upgrade")
                self._name_keys(pinned or self._home_public_key(), reason)
            started = repo.latest_numbered_checkpoint(conn) is not None
        if not started and self.key_path.exists():
            self.checkpoint()

    def _never_checkpointed(self) -> bool:
        # A home made before checkpoints existed (schema 0001, 0002) has no key and none
        # signed: it gets its key as a new home does. One with checkpoints but no key is
        # a finding for verify, never papered over with a new key.
        return not self.public_key_path.exists() and not repo.list_checkpoints(self._db.read())

    def renew_key(self, reason: str, actor: Actor = SYSTEM) -> Checkpoint:
        """Sign on with a new checkpoint key (a home restored without its private key), named in the trail.

        The old public key is kept in ``keys/retired/``; checkpoints signed before stay
        checked against it, later ones against the new key, and verify notes the change.
        """
        require(actor, Permission.VERIFY)
        made = renew_key(self.key_path)
        with self._db.atomic():
            self._name_keys(made.public_key_hex(), reason, actor)
        return self.checkpoint(actor)

    def _name_keys(self, public: str | None, reason: str, actor: Actor = SYSTEM) -> None:
        seal_key = self._trail.seal_key
        self._trail.record(
            actor,
            KEYS_ACTION,
            details={
                "seal_key": seal_key.key_id if seal_key else None,
                "checkpoint_key": public,
                "checkpoint_key_fingerprint": fingerprint(public) if public else None,
                "reason": reason,
            },
        )

    def _home_public_key(self) -> str | None:
        try:
            return read_public_key(self.public_key_path)
        except IntegrityFailure:
            pass
        try:  # an earlier release may have left only the private key; derived once, to pin it
            return CheckpointKey.load(self.key_path).public_key_hex()
        except IntegrityFailure:
            return None

    # -- writing ----------------------------------------------------------------------

    def checkpoint(self, actor: Actor = SYSTEM) -> Checkpoint:
        """Sign the audit chain's head now, write it outside the database and to the witness; return it."""
        require(actor, Permission.VERIFY)
        self._finish_interrupted()
        key = CheckpointKey.load(self.key_path)
        pinned = self.pinned_key()
        if pinned is not None and key.public_key_hex() != pinned:
            # Evidence is never signed with a key the trail does not name.
            raise IntegrityFailure(
                "checkpoint.key_not_pinned",
                "The checkpoint key {path} is not the one the audit trail names "
                "({fingerprint}); no checkpoint was signed. Run archive audit verify.",
                path=self.key_path,
                fingerprint=fingerprint(pinned),
            )
        with self._db.atomic() as conn:
            last = repo.latest_numbered_checkpoint(conn)
            number = (last["number"] if last else 0) + 1
            previous = last["digest"] if last else FIRST_PREVIOUS
            self._trail.record(actor, ANNOUNCE_ACTION, details={"number": number, "previous": previous})
            head = repo.audit_head(conn)
            assert head is not None  # the announcement just recorded is in the chain
            seal_key = self._trail.seal_key
            made = key.sign(
                Checkpoint(
                    at=iso(self._clock.now()),
                    entries=head["entries"],
                    head_seq=head["seq"],
                    head_hash=head["hash"],
                    number=number,
                    previous=previous,
                    seal_key=seal_key.key_id if seal_key else "",
                )
            )
            path = write_file(self.folder, made, final=False)
            repo.insert_checkpoint(
                conn,
                {
                    "at": made.at,
                    "entries": made.entries,
                    "head_seq": made.head_seq,
                    "head_hash": made.head_hash,
                    "signature": made.signature,
                    "file": path.name,
                    "number": number,
                    "digest": made.digest(),
                },
            )
        finish_file(path)
        self.send_to_witness()
        return made

    def _finish_interrupted(self) -> None:
        # A crash between the commit and the rename leaves the file under its temporary name.
        for row in repo.list_checkpoints(self._db.read()):
            target = self.folder / row["file"]
            if not target.exists() and target.with_suffix(".part").exists():
                finish_file(target)

    def send_to_witness(self) -> int:
        """Hand every checkpoint the witness has not received yet to it; return how many went. Never raises."""
        if not self.witness.configured:
            return 0
        sent = 0
        for row in repo.unwitnessed_checkpoints(self._db.read()):
            try:
                content = (self.folder / row["file"]).read_bytes()
                self.witness.deliver(row["file"], content, self.pinned_key() or "", row["number"])
            except (OSError, WitnessFailed, IntegrityFailure) as exc:
                log.warning("Audit checkpoint %s did not reach the witness: %s", row["number"], exc)
                return sent
            with self._db.atomic() as conn:
                repo.mark_witnessed(conn, row["number"], iso(self._clock.now()))
            sent += 1
        return sent

    def checkpoint_if_due(self, now: datetime) -> Checkpoint | None:
        """Write a checkpoint when the last one is a day old."""
        last = repo.latest_checkpoint(self._db.read())
        if last is not None and now - datetime.fromisoformat(last["at"].replace("Z", "+00:00")) < DAILY:
            return None
        return self.checkpoint()

    def entries_since_last(self) -> int:
        """Return how many entries the trail has beyond the newest checkpoint's head."""
        conn = self._db.read()
        head = repo.audit_head(conn)
        last = repo.latest_checkpoint(conn)
        return (head["seq"] if head else 0) - (last["head_seq"] if last else 0)

    # -- checking ---------------------------------------------------------------------

    def report(self, public_key: str | None = None, witness: Witness | None = None) -> CheckpointReport:
        """Check every checkpoint (and the witness's copies) against the chain and the pinned key.

        ``public_key`` is an auditor's own copy of the key; ``witness`` another witness
        folder to compare with (default: the configured one).
        """
        witness = witness or self.witness
        result = CheckpointReport()
        trusted = self._trusted_keys(public_key, result)
        conn = self._db.read()
        files = read_files(self.folder)
        names = {name for name, _ in files}
        rows = repo.list_checkpoints(conn)
        result.checkpoints = len(files)
        result.problems += [
            CheckpointProblem(row["file"], "is recorded in the database but its file is gone")
            for row in rows
            if row["file"] not in names
        ]
        if trusted is None:
            return result
        head = repo.audit_head(conn)
        head_seq = head["seq"] if head else 0
        entry_at = lambda seq: repo.audit_entry(conn, seq)  # noqa: E731 - a lookup handed on twice
        result.problems += check_checkpoints(files, trusted, entry_at, head_seq)
        recorded = {row["number"]: row["digest"] for row in rows if row["number"]}
        series = check_series(files, recorded, self._announced())
        result.problems += series.problems
        if legacy_count(files):
            result.notes.append(
                f"{legacy_count(files)} checkpoint(s) were written by an earlier release: they are "
                "not numbered, so only their signatures and heads were checked."
            )
        self._check_witness(result, witness, files, trusted, entry_at, head_seq)
        return result

    def _trusted_keys(self, given: str | None, result: CheckpointReport) -> list[KeyPin] | None:
        pins = self.pins()
        if given and pins and given != pins[0].public_key:
            result.problems.append(
                CheckpointProblem(
                    "pinned key",
                    (
                        f"the audit trail pins the key {fingerprint(pins[0].public_key)}, not the auditor's "
                        f"{fingerprint(given)}: the trail was replaced, keys and all"
                    ),
                )
            )
        if given:
            pins = [KeyPin(0, given, "the auditor's copy"), *pins[1:]]
        if not pins:
            home = self._home_public_key()
            if home is None:
                result.problems.append(
                    CheckpointProblem(self.public_key_path.name, "there is no public key to check the checkpoints with")
                )
                return None
            result.notes.append(
                "The checkpoint key is not pinned in the audit trail yet; the key in the home was used."
            )
            pins = [KeyPin(0, home)]
        result.public_key = pins[0].public_key
        for before, pin in itertools.pairwise(pins):
            if pin.public_key != before.public_key:
                result.notes.append(
                    f"The checkpoint key was renewed at audit entry {pin.seq} ({pin.reason}): later "
                    f"checkpoints are checked against the key {fingerprint(pin.public_key)} the "
                    "trail names there."
                )
        self._check_home_keys(pins[-1].public_key, result)
        return pins

    def _check_home_keys(self, trusted: str, result: CheckpointReport) -> None:
        try:
            home_public = read_public_key(self.public_key_path)
        except IntegrityFailure as exc:
            home_public = None
            result.problems.append(CheckpointProblem(self.public_key_path.name, str(exc).rstrip(".")))
        if home_public is not None and home_public != trusted:
            result.problems.append(
                CheckpointProblem(
                    self.public_key_path.name,
                    (
                        f"it is the key {fingerprint(home_public)}, not the pinned {fingerprint(trusted)}: "
                        "the key pair was replaced"
                    ),
                )
            )
        try:
            private_public = CheckpointKey.load(self.key_path).public_key_hex()
        except IntegrityFailure as exc:
            result.problems.append(CheckpointProblem(self.key_path.name, str(exc).rstrip(".")))
            return
        if private_public != trusted:
            result.problems.append(
                CheckpointProblem(
                    self.key_path.name,
                    (
                        f"it signs as {fingerprint(private_public)}, not as the pinned {fingerprint(trusted)}: the key "
                        "pair was replaced"
                    ),
                )
            )

    def _announced(self) -> dict[int, int]:
        found = {}
        for seq, details in audit_repo.action_details(self._db.read(), ANNOUNCE_ACTION):
            number = details.get("number") if isinstance(details, dict) else None
            if isinstance(number, int):
                found[number] = seq
        return found

    def _check_witness(
        self, result: CheckpointReport, witness: Witness, files, trusted: list[KeyPin], entry_at, head_seq: int
    ) -> None:
        if witness.folder is None:
            return
        try:
            copies = witness.copies()
            witness_keys = witness.public_keys()
        except WitnessFailed:
            result.problems.append(
                CheckpointProblem(str(witness.folder), "it cannot be read (is the share mounted?)", "Witness folder")
            )
            return
        except IntegrityFailure as exc:
            result.problems.append(CheckpointProblem(str(witness.folder), str(exc).rstrip("."), "Witness folder"))
            return
        named = {pin.public_key for pin in trusted}
        for key in witness_keys:
            if key not in named:
                result.problems.append(
                    CheckpointProblem(
                        str(witness.folder),
                        (
                            f"it was given the key {fingerprint(key)}, which the audit trail does not name: "
                            "the key pair was replaced"
                        ),
                        "Witness folder",
                    )
                )
        result.witnessed = len(copies)
        result.problems += [
            CheckpointProblem(f"{p.file} (witness copy)", p.reason)
            for p in check_checkpoints(copies, trusted, entry_at, head_seq)
        ]
        home = {checkpoint.number: checkpoint for _, checkpoint in files if checkpoint and checkpoint.number}
        for name, copy in copies:
            if copy is None or not copy.number:
                continue
            mine = home.get(copy.number)
            if mine is None:
                result.problems.append(
                    CheckpointProblem(name, "the witness holds it but the home does not: it was deleted from the home")
                )
            elif mine.digest() != copy.digest() or mine.signature != copy.signature:
                result.problems.append(
                    CheckpointProblem(name, "the home's copy differs from the witness's: it was replaced")
                )
        waiting = sorted(set(home) - {c.number for _, c in copies if c})
        if waiting:
            result.notes.append(
                f"Checkpoint(s) {', '.join(map(str, waiting[:10]))} have not reached the witness "
                "yet; they are sent with the next checkpoint."
            )
