"""The witness: a copy of every checkpoint somewhere the archive's own machine cannot rewrite.

Whoever holds the whole home — the keys included — can rewrite the trail and sign new
checkpoints for it. What they cannot do is reach back into a place they do not
control: a folder on another disk or share (``[audit] witness_dir``, write-once for
the archive's account at best) and/or a command that mails or prints each checkpoint
(``[audit] witness_command``, given the checkpoint's JSON on standard input). An
auditor later compares the witness's copies with the home.

The folder is never created by the archive: a missing folder means the share is not
mounted, and writing to the empty mount point would put the copies on the same disk.
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
from pathlib import Path

from archive.audit.checkpoints import Checkpoint, read_files, read_public_key

log = logging.getLogger(__name__)

PUBLIC_KEY_PREFIX = "checkpoint-key-"
_COMMAND_TIMEOUT_SECONDS = 60


class WitnessFailed(Exception):
    """A checkpoint did not reach the witness (the sentence says why)."""


class Witness:
    """Where copies of the checkpoints go: a folder, a command, both or neither."""

    def __init__(self, folder: Path | None, command: str = "") -> None:
        self.folder = folder
        self.command = command.strip()

    @property
    def configured(self) -> bool:
        return self.folder is not None or bool(self.command)

    def deliver(self, name: str, content: bytes, public_key_hex: str, number: int) -> None:
        """Hand one checkpoint to every configured witness; raise WitnessFailed."""
        if self.folder is not None:
            self._to_folder(name, content, public_key_hex)
        if self.command:
            self._to_command(content, name, number)

    def _to_folder(self, name: str, content: bytes, public_key_hex: str) -> None:
        folder = self.folder
        assert folder is not None
        if not folder.is_dir():
            raise WitnessFailed(f"the witness folder {folder} is not there (is the share mounted?)")
        self._pin_public_key(folder, public_key_hex)
        target = folder / name
        if target.exists():
            if target.read_bytes() == content:
                return
            raise WitnessFailed(
                f"the witness folder already holds a different {name}: another archive, or a "
                "restored home numbering its checkpoints again, writes there"
            )
        temp = folder / f".{name}.{os.getpid()}.part"
        try:
            with open(temp, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise WitnessFailed(f"{name} could not be written to the witness folder {folder}: {exc.strerror}") from exc

    def _pin_public_key(self, folder: Path, public_key_hex: str) -> None:
        # Each key the archive signs with is handed over once, under a name of its own:
        # a later key never replaces the one the witness was given first.
        path = folder / f"{PUBLIC_KEY_PREFIX}{public_key_hex[:16]}.pub"
        if path.exists():
            return
        try:
            path.write_text(public_key_hex + "\n", encoding="ascii")
        except OSError as exc:
            raise WitnessFailed(f"the public key could not be written to the witness folder: {exc.strerror}") from exc

    def _to_command(self, content: bytes, name: str, number: int) -> None:
        environment = {**os.environ, "ARCHIVE_CHECKPOINT": name, "ARCHIVE_CHECKPOINT_NUMBER": str(number)}
        try:
            subprocess.run(
                shlex.split(self.command),
                input=content,
                env=environment,
                check=True,
                timeout=_COMMAND_TIMEOUT_SECONDS,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except subprocess.CalledProcessError as exc:
            said = exc.stderr.decode("utf-8", "replace").strip()[:200] if exc.stderr else ""
            ending = f": {said}" if said else ""
            raise WitnessFailed(f"the witness command exited with {exc.returncode}{ending}") from exc
        except subprocess.TimeoutExpired as exc:
            raise WitnessFailed(f"the witness command took longer than {_COMMAND_TIMEOUT_SECONDS} s") from exc
        except OSError as exc:
            raise WitnessFailed(f"the witness command could not be started: {exc.strerror}") from exc

    # -- what the witness holds ------------------------------------------------------

    def copies(self) -> list[tuple[str, Checkpoint | None]]:
        """Return the checkpoints in the witness folder; raise WitnessFailed when it cannot be read."""
        if self.folder is None:
            return []
        if not self.folder.is_dir():
            raise WitnessFailed(f"the witness folder {self.folder} cannot be read")
        return read_files(self.folder)

    def public_keys(self) -> list[str]:
        """Return every public key the witness folder was given."""
        if self.folder is None:
            return []
        return [read_public_key(path) for path in sorted(self.folder.glob(f"{PUBLIC_KEY_PREFIX}*.pub"))]
