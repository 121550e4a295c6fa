"""Commands of the inbox: `archive watch`, `archive run` (watcher + web server), `archive status`."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from archive.cli_support import emit_json, obj, run_command
from archive.log_redaction import redact_all_handlers

log = logging.getLogger(__name__)


def register(main: click.Group) -> None:
    """Add the inbox commands to the `archive` group."""
    main.add_command(watch)
    main.add_command(run)
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
        _log_to_stderr()
        with _watching(archive, cli.actor(archive)) as stop:
            click.echo(f"Watching {archive.config.inbox_path} (Ctrl-C to stop).", err=True)
            _wait(stop)
    click.echo("Stopped.", err=True)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: web.host of the config).")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port to listen on (default: web.port of the config).")
@click.pass_context
@run_command
def run(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Run the archive: the inbox watcher and the web server together (what `make run` starts).

    Example: archive --home ./data run --port 8000
    """
    from web.server import make_server  # only the command line assembles the running program

    cli = obj(ctx)
    config = cli.config
    with cli.open_archive() as archive:
        _log_to_stderr()
        server = make_server(archive, host=host, port=port)  # the web app shares this Archive
        serving = threading.Thread(target=server.run, name="web", daemon=True)
        with _watching(archive, cli.actor(archive)) as stop:
            serving.start()
            # The daily signed checkpoint of the audit chain and the fixity round.
            archive.records.start_daily_duties(stop)
            click.echo(f"Watching {config.inbox_path}; web server on http://{server.effective_host}:"
                       f"{server.effective_port}/ (Ctrl-C to stop).", err=True)
            _wait(stop)
            server.close()
            server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
    click.echo("Stopped.", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
@run_command
def status(ctx: click.Context, as_json: bool) -> None:
    """Show the inbox: files waiting, in progress, filed today, failed, oldest waiting file's age.

    Example: archive status --json
    """
    from archive.clock import SystemClock
    from archive.errors import NotFound
    from archive.inbox import watcher_running
    from archive.inbox_status import describe_status, inbox_status
    from storage.database import Database

    config = obj(ctx).config
    if not config.database_path.exists():
        raise NotFound(f"There is no archive in {config.home}. Create one with: archive --home {config.home} init")
    db = Database(config.database_path)
    try:
        figures = inbox_status(config.inbox_path, db, SystemClock().now())
    finally:
        db.close()
    figures["watcher_running"] = watcher_running(config.home)
    if as_json:
        emit_json(figures)
    else:
        click.echo(describe_status(figures))


@contextmanager
def _watching(archive, actor) -> Iterator[threading.Event]:
    """Run the inbox service until SIGTERM or Ctrl-C sets the event it yields; then stop it."""
    from archive.inbox import InboxService

    stop = threading.Event()
    service = InboxService(archive, actor)
    previous = _on_stop_signals(lambda *_: stop.set())
    try:
        service.start()
        yield stop
    finally:
        stop.set()
        service.stop()
        _on_stop_signals(previous)


def _on_stop_signals(handler: Callable | dict) -> dict:
    """Install ``handler`` for SIGTERM and SIGINT (or restore a saved dict); return the previous ones."""
    previous = {}
    for number in (signal.SIGTERM, signal.SIGINT):
        chosen = handler[number] if isinstance(handler, dict) else handler
        previous[number] = signal.signal(number, chosen)
    return previous


def _log_to_stderr() -> None:
    """Show the inbox's log lines (arrived, taken, filed…) on stderr as well as in the log file."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    handler.setLevel(logging.INFO)
    logging.getLogger("archive.inbox").addHandler(handler)
    # File names are logged; a scan named after a BSN must not put it in a log line.
    redact_all_handlers()
    redact_all_handlers(logging.getLogger("archive.inbox"))


def _wait(stop: threading.Event) -> None:
    # Short waits keep the main thread responsive to signals.
    while not stop.wait(0.5):
        pass
