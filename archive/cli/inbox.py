"""Commands of the inbox: `archive watch`, `archive status`, and the watcher helpers `archive run` uses."""

from __future__ import annotations

import functools
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from archive.cli.support import background_duties, configure_logging, emit_json, obj, run_command
from archive.logs import redact_all_handlers

log = logging.getLogger(__name__)


def register(main: click.Group) -> None:
    """Add the inbox commands to the `archive` group."""
    main.add_command(watch)
    main.add_command(status)


@click.command()
@click.pass_context
@run_command
def watch(ctx: click.Context) -> None:
    """Watch the inbox and file every settled file; stop with Ctrl-C or SIGTERM.

    Files already in the inbox are filed first. What cannot be filed moves to
    inbox/failed/ with a NAME.error.txt note beside it.

    Example: archive --home ./data watch
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        log_to_stderr()
        with background_duties(archive), watching(archive, cli.actor(archive)) as stop:
            click.echo(f"Watching {archive.config.inbox_path} (Ctrl-C to stop).", err=True)
            wait_for_stop(stop)
    click.echo("Stopped.", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
@run_command
def status(ctx: click.Context, as_json: bool) -> None:
    """Show the inbox (waiting, in progress, filed today, failed, oldest waiting) and the last backup.

    Each mail account is listed with its last poll and its last error; with several nodes
    on one database, how far this node's search index is behind it.

    Example: archive status --json
    """
    from archive.backup.state import backup_figures, describe_backup
    from archive.clock import SystemClock
    from archive.core import archive_exists, open_database
    from archive.documents.index_follower import describe_lag, node_lag
    from archive.errors import NotFound
    from archive.inbox.pause import paused_reason
    from archive.inbox.service import last_heartbeat, watcher_running, watcher_state
    from archive.inbox.status import describe_status, inbox_status
    from archive.intake.status import describe_mail_status, mail_status

    config = obj(ctx).config
    if not archive_exists(config):
        raise NotFound(
            "home.not_found",
            "There is no archive in {home}. Create one with: archive --home {home} init",
            home=config.home,
        )
    db = open_database(config)
    try:
        now = SystemClock().now()
        figures = inbox_status(config.inbox_path, db, now) | backup_figures(db.read(), config.backup, now)
        figures["mail_accounts"] = mail_status(db, config.mail)
        # Several nodes: how far this node's search index is behind the database (None on one machine).
        figures["index"] = node_lag(db, config.index_path, now.timestamp()) if config.on_server else None
    finally:
        db.close()
    figures["watcher_running"] = watcher_running(config.home)
    beat = last_heartbeat(config.home)
    figures["heartbeat_age_seconds"] = None if beat is None else round(max(0.0, now.timestamp() - beat), 1)
    # alive | stale (holds the inbox, no recent heartbeat) | stopped: what the start and inbox pages say.
    figures["watcher_state"] = watcher_state(figures["watcher_running"], figures["heartbeat_age_seconds"])
    figures["paused"] = paused_reason(config.home) if figures["watcher_running"] else None
    if as_json:
        emit_json(figures)
    else:
        lines = [describe_status(figures), *describe_mail_status(figures["mail_accounts"]), *describe_backup(figures)]
        if config.on_server:
            lines.append(describe_lag(figures["index"]))
        click.echo("\n".join(lines))


@contextmanager
def watching(archive, actor) -> Iterator[threading.Event]:
    """Run the inbox service until SIGTERM or Ctrl-C sets the event it yields; then stop it."""
    from archive.inbox.service import InboxService

    stop = threading.Event()
    service = InboxService(archive, actor, reading_setup=functools.partial(configure_logging, archive.config.home))
    mail = archive.mail_service(actor)  # the [[mail.accounts]], polled beside the inbox
    previous = _on_stop_signals(lambda *_: stop.set())
    # On a shared database several nodes may run a watcher: one at a time holds the lease.
    lease = archive.inbox_lease() if archive.config.on_server else None
    try:
        if lease is not None:
            if not lease.wait(stop):
                yield stop
                return
            lease.keep(on_lost=stop.set)
        service.start()
        mail.start()
        yield stop
    finally:
        stop.set()
        mail.stop()
        service.stop()
        if lease is not None:
            lease.release()
        _on_stop_signals(previous)


def _on_stop_signals(handler: Callable | dict) -> dict:
    """Install ``handler`` for SIGTERM and SIGINT (or restore a saved dict); return the previous ones."""
    previous = {}
    for number in (signal.SIGTERM, signal.SIGINT):
        chosen = handler[number] if isinstance(handler, dict) else handler
        previous[number] = signal.signal(number, chosen)
    return previous


def log_to_stderr() -> None:
    """Show the inbox's log lines (arrived, taken, filed…) on stderr as well as in the log file."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    handler.setLevel(logging.INFO)
    logging.getLogger("archive.inbox.service").addHandler(handler)
    # File names are logged; a scan named after a BSN must not put it in a log line.
    redact_all_handlers()
    redact_all_handlers(logging.getLogger("archive.inbox.service"))


def wait_for_stop(stop: threading.Event) -> None:
    # Short waits keep the main thread responsive to signals.
    while not stop.wait(0.5):
        pass
