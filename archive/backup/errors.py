"""The backup's own error (joins the archive's exception tree)."""

from __future__ import annotations

from archive.errors import ArchiveError, ExitCode


class BackupFailed(ArchiveError):
    """A backup could not be written, or a restore not completed; str() says why."""

    exit_code = ExitCode.FAILURE
