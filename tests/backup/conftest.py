"""Fixtures for backups: a records-managed archive on a test clock, its backup service, a restore helper."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archive.backup.restore import RestoreRequest
from archive.backup.service import BackupRequest, BackupService, restore
from archive.clock import FixedClock
from archive.config import BackupSettings, Config

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def home(config: Config, clock: FixedClock):
    """An initialised archive (checkpoint key, first checkpoint) on the test clock."""
    from archive.service import Archive

    archive = Archive.open(config, clock=clock, create=True)
    archive.initialise()
    yield archive
    archive.close()


def service_for(archive, clock, **settings) -> BackupService:
    config = dataclasses.replace(archive.config, backup=BackupSettings(**settings))
    core = dataclasses.replace(archive.core, config=config, clock=clock)
    return BackupService(core, sign_head=lambda: archive.records.checkpoint_if_due(clock.now()))


@pytest.fixture
def backups(home, clock) -> BackupService:
    return service_for(home, clock)


def take(service: BackupService, destination: Path, **request) -> object:
    return service.backup(BackupRequest(destination, **request), passphrase=lambda: PASSPHRASE)


def restore_into(config: Config, destination: Path, target: Path, passphrase: str | None = PASSPHRASE, **request):
    """Restore a snapshot into ``target`` with the test configuration; return the result."""
    from archive.service import Archive

    return restore(
        destination,
        RestoreRequest(target, **request),
        lambda new_home: Archive.open(config.with_home(new_home)),
        (lambda: passphrase) if passphrase else None,
    )
