"""The daily backup that `archive run` takes at ``[backup] at`` to ``[backup] destination``.

Like anacron, not cron: a machine that was off (or an `archive run` that was stopped)
at the hour takes the snapshot as soon as it runs again, and a failed one is tried
again every hour — a USB disk plugged in at nine is used at ten — while the status
page says loudly that the backup failed.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from archive.backup.priority import run_in_background
from archive.backup.service import BackupRequest, BackupService
from archive.clock import Clock

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(hours=1)


def is_due(now: datetime, at: time, last_attempt: dict[str, Any] | None, zone: tzinfo | None = None) -> bool:
    """Return whether the daily backup is due: its time of day (in ``zone``, default this machine's)
    passed since the last attempt, or the last attempt failed an hour or more ago."""
    local = now.astimezone(zone)
    scheduled = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if local < scheduled:
        scheduled -= timedelta(days=1)
    if last_attempt is None:
        return True
    tried = datetime.fromisoformat(last_attempt["at"].replace("Z", "+00:00"))
    if tried < scheduled:
        return True
    return not last_attempt.get("ok") and now - tried >= RETRY_AFTER


class DailyBackup:
    """Takes the scheduled snapshot when it is due; never lets a failure stop the archive."""

    def __init__(self, backups: BackupService, clock: Clock) -> None:
        self._backups = backups
        self._settings = backups.settings
        self._home = backups.home
        self._clock = clock

    def run_if_due(self) -> bool:
        """Take the snapshot when it is due; return whether one was attempted."""
        if not self._settings.destination:
            return False
        if not is_due(self._clock.now(), self._settings.at_time, self._backups.last_attempt()):
            return False
        try:
            self._backups.backup(
                BackupRequest(self._destination(), self._settings.encrypt, self._settings.private_keys, scheduled=True),
                passphrase=self._passphrase() if self._settings.passphrase_file else None,
            )
        except Exception:  # remembered for the status page by the service; the archive goes on
            log.exception("The scheduled backup to %s did not succeed.", self._settings.destination)
        return True

    def start(self, stop: threading.Event, every_seconds: float = 60.0) -> threading.Thread:
        """Start a low-priority thread that checks every minute until ``stop`` is set."""

        def loop() -> None:
            run_in_background(self._settings.priority)
            while not stop.is_set():
                self.run_if_due()
                if stop.wait(every_seconds):
                    return

        thread = threading.Thread(target=loop, name="backup-daily", daemon=True)
        thread.start()
        return thread

    def _destination(self) -> Path:
        return Path(self._settings.destination)

    def _passphrase(self):
        path = self._home / self._settings.passphrase_file
        return lambda: path.read_text(encoding="utf-8").strip("\r\n")
