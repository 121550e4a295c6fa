"""Shared plumbing of the command line: context, error translation, output."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import pwd
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from archive.access.actors import SYSTEM, Actor
from archive.cli.proof import credentials_from, prompt_on_terminal, prove
from archive.config import Config, load_config
from archive.errors import ConfigError, ExitCode, as_archive_error
from archive.logs import configure_logging

log = logging.getLogger("archive.cli")


@dataclass
class CliContext:
    """What every command gets: the configuration and who acts."""

    home: Path | None
    user: str
    token_file: Path | None = None
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(home=self.home)
        return self._config

    def open_archive(self, create: bool = False, index: bool = True):
        """Open the archive of this home (the caller closes it); ``index=False``: without a search index."""
        from archive.service import Archive

        configure_logging(self.config.home)
        return Archive.open(self.config, create=create, index=index)

    def actor(self, archive) -> Actor:
        """Return the acting user; raise NotFound/PermissionDenied for an unknown one.

        The operating-system account that ran the command goes with it into every audit
        entry: ``--user`` names whom the command acts for, the account says who typed it.
        """
        named = SYSTEM if self.user == SYSTEM.name else archive.actor_named(self.user)
        return dataclasses.replace(named, os_user=operating_system_user())

    def proven_actor(self, archive, password_from_environment: bool = True) -> Actor:
        """Return the acting user of a privileged command, once proven (see archive.cli.proof).

        The built-in `system` user proves nothing: the role check refuses what it may not do.
        Raises PermissionDenied when the proof is missing or wrong.
        """
        named = self.actor(archive)  # an unknown or disabled user is named as such, before any proof
        if named.name == SYSTEM.name:
            return named
        given = credentials_from(os.environ, self.token_file, password_from_environment)
        proven = prove(archive.users, self.user, given, prompt_on_terminal())
        return dataclasses.replace(proven, os_user=operating_system_user())


def operating_system_user() -> str:
    """Return the name of the account this process runs as (its uid when it has no name)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a uid without a passwd entry (a container)
        return str(os.geteuid())


def run_command(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turn errors into one English sentence on stderr and the exit code of their kind (see ExitCode)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("archive: stopped.", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        except Exception as exc:
            known = as_archive_error(exc)
            if known is None:  # the last line of defence: a sentence, the rest to the log
                log.exception("unexpected error in %s", function.__name__)
                click.echo(
                    "archive: the command could not finish because of an unexpected error; the details are in the log.",
                    err=True,
                )
                sys.exit(ExitCode.FAILURE)
            if known is not exc:
                log.warning("%s: %s", function.__name__, known, exc_info=exc)
            click.echo(f"archive: {known}", err=True)
            sys.exit(known.exit_code)

    return wrapper


@contextmanager
def background_duties(archive, daily: bool = False) -> Iterator[None]:
    """While the block runs, checkpoint the audit trail on schedule (and, with ``daily``, do the
    daily fixity round); on the way out (a clean stop) the last checkpoint is written when the
    trail grew."""
    stop = threading.Event()
    schedule = archive.records.checkpoint_schedule()
    schedule.start()
    if daily:
        archive.records.start_daily_duties(stop)
    try:
        yield
    finally:
        stop.set()
        schedule.stop()


def emit_json(value: Any) -> None:
    """Print one JSON value on its own line."""
    click.echo(json.dumps(value, ensure_ascii=False, default=str))


def obj(ctx: click.Context) -> CliContext:
    found = ctx.find_object(CliContext)
    assert found is not None, "the archive command group puts a CliContext on every context"
    return found


def load_config_or_exit(home: Path | None) -> Config:
    try:
        return load_config(home=home)
    except ConfigError as exc:
        click.echo(f"archive: {exc}", err=True)
        sys.exit(exc.exit_code)


def progress_bar(total: int | None, unit: str):
    """Return a progress bar on stderr, shown only when a person watches a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty())


def report_and_exit(report: dict, as_json: bool, summary: str) -> None:
    """Print a check's report (JSON, or each problem and a summary); exit INTEGRITY_FAILURE when it failed."""
    if as_json:
        emit_json(report)
    else:
        for line in report["problems"]:
            click.echo(line)
        for line in report.get("notes", []):
            click.echo(f"Note: {line}")
        click.echo(summary + ": " + (f"{len(report['problems'])} problem(s)." if not report["ok"] else "all correct."))
    sys.exit(ExitCode.OK if report["ok"] else ExitCode.INTEGRITY_FAILURE)
