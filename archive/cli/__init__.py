"""The `archive` command line (DESIGN.md, "The command line").

Thin commands: parse arguments, make one call on the Archive, print the result.
Other areas add their commands from their own ``archive/cli_<area>.py`` modules.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import shutil
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import click
from tqdm import tqdm

from archive.cli.inbox import log_to_stderr, wait_for_stop, watching
from archive.cli.support import (
    CliContext,
    background_duties,
    configure_logging,
    emit_json,
    obj,
    progress_bar,
    report_and_exit,
    run_command,
)
from archive.errors import ExitCode, InvalidInput, PermissionDenied
from archive.typed import read_optional_date

if TYPE_CHECKING:
    from archive.documents.filing import FilingHints
    from archive.documents.views import IngestOutcome

# Modules that add their own commands to `main` with a `register(main)` function, and
# the commands each adds: a module is imported only when one of its commands runs (or
# for `--help`), so `archive backup` starts without loading the readers of PDFs, scans
# and e-mail. tests/e2e/test_cli_core.py checks this list against the modules.
COMMAND_MODULES = {
    "archive.cli.search": ("search",),
    "archive.cli.clients": ("clients",),
    "archive.cli.inbox": ("status", "watch"),
    "archive.cli.records": ("audit", "dispose", "export", "hold", "retention"),
    "archive.cli.users": ("users",),
    "archive.cli.stats": ("stats",),
    "archive.cli.intake": ("separator",),
    "archive.cli.backup": ("backup", "restore"),
    "archive.cli.worker": ("worker",),
}


class _AreaCommands(click.Group):
    """The `archive` group: its own commands, and the areas' commands imported when named."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | {c for names in COMMAND_MODULES.values() for c in names})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            for module, names in COMMAND_MODULES.items():
                if cmd_name in names:
                    importlib.import_module(module).register(self)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_AreaCommands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Archive home folder (default: $ARCHIVE_HOME, else data_dir of the config).",
)
@click.option(
    "--user",
    default="system",
    show_default=True,
    help="Archive user on whose behalf the command acts (role checked, named in the audit trail).",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A file holding an API token of --user: the proof privileged commands ask for (else $ARCHIVE_TOKEN, "
    "$ARCHIVE_PASSWORD with $ARCHIVE_TOTP, or a prompt).",
)
@click.pass_context
def main(ctx: click.Context, home: Path | None, user: str, token_file: Path | None) -> None:
    """Front Office Archive: file scans, find them, keep them as long as the law says.

    Holds, disposal approval, users, export, retention events and reading the audit trail
    act with a person's authority: name them with --user and prove it (password and
    second-factor code at the prompt, or $ARCHIVE_PASSWORD and $ARCHIVE_TOTP, or a token).
    """
    ctx.obj = CliContext(home=home, user=user, token_file=token_file)


@main.command()
@click.pass_context
@run_command
def init(ctx: click.Context) -> None:
    """Create the archive home: database, index, store, inbox, and an admin user.

    The admin's password comes from $ARCHIVE_ADMIN_PASSWORD, else one is printed once.

    Example: archive --home ./data init
    """
    cli = obj(ctx)
    with cli.open_archive(create=True) as archive:
        message = archive.initialise(cli.actor(archive))
    click.echo(f"Archive ready in {cli.config.home}")
    if message:
        click.echo(message)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Every path given, folders replaced by what they hold (links inside a folder are not followed).

    Odd entries are kept (a pipe, an unreadable file): each gets its own failed result
    instead of stopping the batch.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(_walk(path))
        else:
            files.append(path)
    return files


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, folders, names in os.walk(folder, onerror=lambda exc: found.append(Path(exc.filename))):
        folders.sort()
        for name in sorted(names):
            path = Path(root) / name
            if not path.is_symlink():
                found.append(path)
    return found


def _describe(outcome: IngestOutcome) -> str:
    if outcome.status == "filed":
        facts = "  ".join(
            str(v)
            for v in (
                outcome.document_type,
                outcome.client_id,
                outcome.document_date,
                outcome.amount and f"{outcome.currency or ''} {outcome.amount}".strip(),
            )
            if v
        )
        review = "  (to review: " + ", ".join(outcome.review_reasons) + ")" if outcome.needs_review else ""
        return f"filed      #{outcome.id}  {outcome.source}  {facts}{review}"
    if outcome.status == "duplicate":
        return f"duplicate  of #{outcome.duplicate_of}  {outcome.source}"
    if outcome.status == "queued":
        return f"queued     #{outcome.id}  {outcome.source}  (a worker reads and files it)"
    return f"failed     {outcome.source}: {outcome.error}"


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--client", "client_id", help="File under this client number instead of recognising it.")
@click.option("--type", "document_type", help="Document type (invoice, receipt, payslip, letter, contract, form).")
@click.option("--date", "document_date", help="Document date, e.g. 2024-03-12, 12-03-2024 or 12 maart 2024.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
@click.pass_context
@run_command
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    client_id: str | None,
    document_type: str | None,
    document_date: str | None,
    as_json: bool,
) -> None:
    """File documents now, synchronously; the source files are never changed.

    Folders are filed with everything in them. A scanned stack with separator sheets
    gives one document per part, an e-mail (.eml, .msg) one per attachment; each gets
    its own line. Exit code 1 when any document failed.

    Example: archive ingest scans/*.pdf --type invoice --json
    """
    from archive.documents.filing import FilingHints

    cli = obj(ctx)
    hints = FilingHints(
        client_id=client_id, document_type=document_type, document_date=read_optional_date(document_date)
    )
    files = _expand(paths)
    with cli.open_archive() as archive:
        actor = cli.actor(archive)
        workers = max(1, archive.config.ocr.workers or (os.cpu_count() or 1))
        failed = _ingest_all(archive, actor, files, hints, workers, as_json)
    sys.exit(ExitCode.FAILURE if failed else ExitCode.OK)


BATCH_INDEX_LINGER_SECONDS = 2.0


def _ingest_all(archive, actor, files: list[Path], hints: FilingHints, workers: int, as_json: bool) -> int:
    from archive.documents.reading import processes_for

    failed = 0
    bar = tqdm(total=len(files), unit="file", disable=len(files) < 2 or not sys.stderr.isatty(), file=sys.stderr)
    processes = processes_for(len(files), archive.config.ingest.reading_processes, os.cpu_count() or 1)
    # Several documents at once: their pages share the OCR workers, so the cores stay busy;
    # with reading processes, twice as many threads keep them fed while this one files.
    threads = max(workers, 2 * processes if processes > 1 else 1)
    setup = functools.partial(configure_logging, archive.config.home)
    # A batch's documents go to the search index a few dozen to a commit (see IndexFeeder).
    linger = BATCH_INDEX_LINGER_SECONDS if processes > 1 else 0.0
    with (
        archive.reading_in_processes(processes, setup),
        archive.index.lingering(linger),
        ThreadPoolExecutor(max_workers=threads) as pool,
    ):
        # A stack gives a document per part and a message one per attachment: one line each.
        for outcomes in pool.map(lambda path: _ingest_one(archive, actor, hints, path), files):
            bar.update(1)
            for outcome in outcomes:
                failed += outcome.status == "failed"
                if as_json:
                    emit_json(outcome.to_json())
                else:
                    bar.write(_describe(outcome))
    bar.close()
    return failed


def _ingest_one(archive, actor, hints: FilingHints, path: Path) -> list[IngestOutcome]:
    """File one file of a batch; whatever goes wrong with it is its own result, never the batch's."""
    from archive.documents.faults import ArchiveFault
    from archive.documents.views import IngestOutcome
    from archive.service import describe_error

    try:
        return archive.ingest_all(path, actor, hints)
    except (InvalidInput, PermissionDenied, ArchiveFault):
        raise  # the same for every file of the batch (a full disk too): the command stops with its sentence
    except Exception:
        logging.getLogger("archive.cli").exception("filing %s failed unexpectedly", path)
        return [IngestOutcome(source=str(path), status="failed", error=describe_error(RuntimeError()))]


@main.command()
@click.argument("document_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@click.pass_context
@run_command
def show(ctx: click.Context, document_id: int, as_json: bool) -> None:
    """Show a document: facts, text, retention, holds and history.

    Example: archive show 12 --json
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        view = archive.document(document_id, cli.actor(archive))
    if as_json:
        emit_json(view.to_json())
        return
    from archive.cli.show_text import document_lines

    click.echo("\n".join(document_lines(view)))
    click.echo("\n" + view.text)


@main.command()
@click.argument("document_id", type=int)
@click.option(
    "--rendition",
    type=click.Choice(["original", "pdf"]),
    default="original",
    show_default=True,
    help="The stored original, or the searchable PDF.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write ('-' for standard output).",
)
@click.pass_context
@run_command
def get(ctx: click.Context, document_id: int, rendition: str, output: Path) -> None:
    """Write a document's original bytes (or its searchable PDF) to a file.

    Example: archive get 12 -o invoice.pdf
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        actor = cli.actor(archive)
        if rendition == "pdf":
            path = archive.rendition_path(document_id, actor)
        else:
            path = archive.original_path(document_id, actor)
        if str(output) == "-":
            with open(path, "rb") as handle:
                shutil.copyfileobj(handle, sys.stdout.buffer)
        else:
            shutil.copyfile(path, output)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@run_command
def verify(ctx: click.Context, as_json: bool) -> None:
    """Check every stored original's bytes and the audit trail; exit 1 on any failure.

    Example: archive verify --json
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        actor = cli.actor(archive)
        with progress_bar(archive.count_documents(), "file") as bar:
            report = archive.verify_all(actor, progress=bar.update)
    report_and_exit(
        report, as_json, f"Checked {report['files_checked']} files and {report['audit_entries']} audit entries"
    )


@main.command()
@click.pass_context
@run_command
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the database, beside the live one, then swap it in.

    Searches keep working meanwhile. Example: archive reindex
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        with progress_bar(archive.count_documents(), "doc") as bar:
            count = archive.reindex(progress=bar.update, actor=cli.actor(archive))
    click.echo(f"Indexed {count} documents.")


_HOST = click.option("--host", default=None, help="Address to listen on (default: web.host of the config).")
_PORT = click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="Port to listen on (default: web.port of the config)."
)


@main.command()
@_HOST
@_PORT
@click.pass_context
@run_command
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the web app and the JSON API (waitress) until stopped with Ctrl-C.

    Example: archive serve --port 8000, then open http://127.0.0.1:8000
    """
    from web.server import serve_forever  # only the command line assembles the running program

    cli = obj(ctx)
    with cli.open_archive() as archive, background_duties(archive):
        serve_forever(archive, host=host, port=port)


@main.command()
@_HOST
@_PORT
@click.pass_context
@run_command
def run(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Run the archive: the inbox watcher and the web server together (what `make run` starts).

    Example: archive --home ./data run --port 8000
    """
    from web.server import make_server  # only the command line assembles the running program

    cli = obj(ctx)
    with cli.open_archive() as archive:
        log_to_stderr()
        server = make_server(archive, host=host, port=port)  # the web app shares this Archive
        serving = threading.Thread(target=server.run, name="web", daemon=True)
        # The daily fixity round runs here, in the archive's main process.
        with background_duties(archive, daily=True), watching(archive, cli.actor(archive)) as stop:
            serving.start()
            _start_daily_backups(archive, stop)
            click.echo(
                f"Watching {archive.config.inbox_path}; web server on http://{server.effective_host}:"
                f"{server.effective_port}/ (Ctrl-C to stop).",
                err=True,
            )
            wait_for_stop(stop)
            server.close()
            server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
    click.echo("Stopped.", err=True)


def _start_daily_backups(archive, stop: threading.Event) -> None:
    """The daily snapshot to [backup] destination, when one is set."""
    from archive.backup.schedule import DailyBackup

    if archive.config.backup.destination:
        DailyBackup(archive.backups(), archive.clock).start(stop)
