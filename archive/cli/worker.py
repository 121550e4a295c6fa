"""`archive worker`: read and file received documents from the job queue, on any machine."""

from __future__ import annotations

import os

import click

from archive.cli.inbox import log_to_stderr
from archive.cli.support import obj, run_command


def register(main: click.Group) -> None:
    main.add_command(worker)


@click.command()
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=None,
    help="Documents read at once (default: [ocr] workers, else the number of processors).",
)
@click.pass_context
@run_command
def worker(ctx: click.Context, concurrency: int | None) -> None:
    """Read and file the documents the web and watcher nodes received, until SIGTERM or Ctrl-C.

    Needs [queue] backend = "procrastinate" and [database] url (a PostgreSQL server that
    every node shares), and the store on a folder every node mounts. Start as many as
    the reading needs, on as many machines; a worker that is killed loses nothing: its
    documents are read again by another.

    Example: archive --home /srv/archive worker --concurrency 4
    """
    cli = obj(ctx)
    # No search index here: what the worker files enters the change feed, which every
    # web node's index follows (a worker machine needs no index of its own).
    with cli.open_archive(index=cli.config.queue.backend != "procrastinate") as archive:
        log_to_stderr()
        reading = archive.reading_worker()
        count = concurrency or archive.config.ocr.workers or os.cpu_count() or 1
        click.echo(f"Reading worker for {archive.config.home}: {count} at once (Ctrl-C to stop).", err=True)
        reading.run(count)
    click.echo("Stopped.", err=True)
