"""The systemd units in deploy/: each starts a command the archive has, as its own user, restarts on failure."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import click
import pytest

from archive.cli import main

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNITS = sorted(p.name for p in DEPLOY.glob("*.service"))


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read(DEPLOY / name)
    return parser


def test_there_is_a_unit_for_web_watcher_and_worker_nodes() -> None:
    assert UNITS == ["archive-watcher.service", "archive-web.service", "archive-worker@.service"]


@pytest.mark.parametrize("name", UNITS)
def test_a_unit_runs_an_archive_command_as_the_archive_user(name: str) -> None:
    unit = _unit(name)
    service = unit["Service"]
    command = shlex.split(service["ExecStart"])
    assert command[0].endswith("/bin/archive") and command[1:3] == ["--home", "${ARCHIVE_HOME}"]
    assert command[3] in main.list_commands(click.Context(main)), f"{name}: `archive {command[3]}` does not exist"
    assert service["User"] == "archive" and service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"  # what each command stops cleanly on
    assert "remote-fs.target" in unit["Unit"]["After"]  # the shared home is mounted first
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_environment_example_names_the_home_every_unit_uses() -> None:
    example = (DEPLOY / "environment.example").read_text()
    assert "ARCHIVE_HOME=" in example
    for name in UNITS:
        assert _unit(name)["Service"]["EnvironmentFile"] == "-/etc/archive/environment"
