"""Shared plumbing of the command line: context, error translation, output."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from archive.access.actors import SYSTEM, Actor
from archive.config import Config, load_config
from archive.errors import ArchiveError, ConfigError
from archive.logs import redact_all_handlers

log = logging.getLogger("archive.cli")


@dataclass
class CliContext:
    """What every command gets: the configuration and who acts."""

    home: Path | None
    user: str
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(home=self.home)
        return self._config

    def open_archive(self, create: bool = False):
        """Open the archive of this home (the caller closes it)."""
        from archive.service import Archive

        configure_logging(self.config.home)
        return Archive.open(self.config, create=create)

    def actor(self, archive) -> Actor:
        """Return the acting user; raise NotFound/PermissionDenied for an unknown one."""
        if self.user == SYSTEM.name:
            return SYSTEM
        return archive.actor_named(self.user)


def configure_logging(home: Path) -> None:
    """Log to ``<home>/logs/archive.log`` (BSNs masked); another home replaces the file."""
    global _log_handler
    path = (home / "logs" / "archive.log").resolve()
    root = logging.getLogger()
    if _log_handler is not None:
        if Path(_log_handler.baseFilename) == path:
            return
        root.removeHandler(_log_handler)
        _log_handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    _log_handler = logging.FileHandler(path, encoding="utf-8")
    _log_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(_log_handler)
    root.setLevel(logging.INFO)
    redact_all_handlers(root)


_log_handler: logging.FileHandler | None = None


def run_command(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turn archive errors into a sentence on stderr and their exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ArchiveError as exc:
            click.echo(f"archive: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("archive: stopped.", err=True)
            sys.exit(130)
        except Exception as exc:  # the last line of defence: a sentence, the rest to the log
            log.exception("unexpected error in %s", function.__name__)
            click.echo(
                f"archive: something went wrong ({type(exc).__name__}); the details are in the log.", err=True
            )
            sys.exit(1)

    return wrapper


def emit_json(value: Any) -> None:
    """Print one JSON value on its own line."""
    click.echo(json.dumps(value, ensure_ascii=False, default=str))


def obj(ctx: click.Context) -> CliContext:
    return ctx.find_object(CliContext)


def load_config_or_exit(home: Path | None) -> Config:
    try:
        return load_config(home=home)
    except ConfigError as exc:
        click.echo(f"archive: {exc}", err=True)
        sys.exit(exc.exit_code)


def progress_bar(total: int, unit: str):
    """Return a progress bar on stderr, shown only when a person watches a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty())


def report_and_exit(report: dict, as_json: bool, summary: str) -> None:
    """Print a check's report (JSON, or each problem and a summary) and exit 1 when it failed."""
    if as_json:
        emit_json(report)
    else:
        for line in report["problems"]:
            click.echo(line)
        click.echo(summary + ": " + (f"{len(report['problems'])} problem(s)." if not report["ok"] else "all correct."))
    sys.exit(0 if report["ok"] else 1)
