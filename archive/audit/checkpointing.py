"""Writing and checking the signed checkpoints of one archive's audit chain.

The pure parts (the key, signing, reading the files, comparing them with the chain)
live in ``archive.audit.checkpoints``; this module adds the database and the folders.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, require
from archive.audit.checkpoints import Checkpoint, CheckpointKey, CheckpointProblem, check_checkpoints, \
    read_files, write_file
from archive.clock import Clock, iso
from archive.config import RecordsSettings
from storage import records_repo as repo
from storage.database import Database

DAILY = timedelta(days=1)


class Checkpointer:
    """Signs the chain's head into a checkpoint file and checks every checkpoint against the chain."""

    def __init__(self, db: Database, clock: Clock, settings: RecordsSettings, home: Path) -> None:
        self._db = db
        self._clock = clock
        self.key_path = home / settings.checkpoint_key_file
        self.folder = home / settings.checkpoint_folder

    def initialise(self) -> None:
        """Create the checkpoint key (when absent) and the first checkpoint of a new home."""
        CheckpointKey.load(self.key_path, create=True)
        self.checkpoint()

    def checkpoint(self, actor: Actor = SYSTEM) -> Checkpoint:
        """Sign the audit chain's head now and write it outside the database; return it."""
        require(actor, Permission.VERIFY)
        with self._db.atomic() as conn:
            # A new key only for the first checkpoint: a key that vanished later is a finding,
            # not something to paper over with a fresh one.
            key = CheckpointKey.load(self.key_path, create=repo.latest_checkpoint(conn) is None)
            head = repo.audit_head(conn)
            made = key.sign(Checkpoint(at=iso(self._clock.now()), entries=head["entries"] if head else 0,
                                       head_seq=head["seq"] if head else 0,
                                       head_hash=head["hash"] if head else "0" * 64))
            path = write_file(self.folder, made)
            repo.insert_checkpoint(conn, {"at": made.at, "entries": made.entries, "head_seq": made.head_seq,
                                          "head_hash": made.head_hash, "signature": made.signature,
                                          "file": path.name})
        return made

    def checkpoint_if_due(self, now: datetime) -> Checkpoint | None:
        """Write a checkpoint when the last one is a day old (for the `archive run` loop)."""
        last = repo.latest_checkpoint(self._db.read())
        if last is not None and now - datetime.fromisoformat(last["at"].replace("Z", "+00:00")) < DAILY:
            return None
        return self.checkpoint()

    def problems(self) -> list[CheckpointProblem]:
        """Return what is wrong between the signed checkpoints (files and rows) and the chain."""
        conn = self._db.read()
        files = read_files(self.folder)
        names = {name for name, _ in files}
        problems = [CheckpointProblem(row["file"], "is recorded in the database but its file is gone")
                    for row in repo.list_checkpoints(conn) if row["file"] not in names]
        if not files:
            return problems
        try:
            public_key = CheckpointKey.load(self.key_path).public_key_hex()
        except Exception as exc:  # a missing or damaged key file is itself a finding
            return problems + [CheckpointProblem(self.key_path.name, str(exc).rstrip("."))]
        head = repo.audit_head(conn)
        return problems + check_checkpoints(files, public_key, lambda seq: repo.audit_entry(conn, seq),
                                            head["seq"] if head else 0)
