"""The ``[backup]`` settings: where the daily snapshot goes, when, how it is protected and kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from archive.errors import ConfigError

_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class KeepRule:
    """How many snapshots pruning keeps: the newest of each of the last N days, weeks, months."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class BackupSettings:
    """Scheduled backups (taken by `archive run`) and the pruning rule of every backup."""

    destination: str = ""
    at: str = "02:30"
    encrypt: bool = False
    passphrase_file: str = ""
    private_keys: bool = False
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12
    missed_after_hours: float = 26.0

    @property
    def keep(self) -> KeepRule:
        return KeepRule(self.keep_daily, self.keep_weekly, self.keep_monthly)

    @property
    def at_time(self) -> time:
        hours, minutes = self.at.split(":")
        return time(int(hours), int(minutes))


def check_backup_settings(settings: BackupSettings) -> None:
    """Raise ConfigError naming the setting that is not acceptable."""
    if not _AT.match(settings.at):
        raise ConfigError(f"Setting 'backup.at' must be a time of day as HH:MM (24 hours), not {settings.at!r}.")
    for name in ("keep_daily", "keep_weekly", "keep_monthly"):
        if getattr(settings, name) < 0:
            raise ConfigError(f"Setting 'backup.{name}' must not be negative.")
    if settings.missed_after_hours <= 0:
        raise ConfigError("Setting 'backup.missed_after_hours' must be more than 0.")
    if settings.destination and not Path(settings.destination).is_absolute():
        raise ConfigError("Setting 'backup.destination' must be an absolute path: a folder on another disk, "
                          f"a USB disk or a network share, not {settings.destination!r}.")
    if settings.encrypt and settings.destination and not settings.passphrase_file:
        raise ConfigError("Setting 'backup.passphrase_file' is needed when 'backup.encrypt' is true: the daily "
                          "backup runs unattended.")
