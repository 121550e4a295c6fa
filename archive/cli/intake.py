"""`archive separator`: separator sheets for scanning a stack of documents in one go."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli.support import obj, run_command
from archive.documents.filing import FilingHints
from archive.typed import read_optional_date


def register(main: click.Group) -> None:
    """Add the intake commands to the `archive` group."""
    main.add_command(separator)


@click.command()
@click.option("--client", "client_id", help="The following document is filed under this client number.")
@click.option("--type", "document_type", help="The following document has this type (invoice, letter, …).")
@click.option("--date", "document_date", help="The following document has this date, e.g. 12-03-2024.")
@click.option("--count", default=1, show_default=True, type=int, help="How many sheets to print.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write the PDF."
)
@click.pass_context
@run_command
def separator(
    ctx: click.Context,
    client_id: str | None,
    document_type: str | None,
    document_date: str | None,
    count: int,
    output: Path,
) -> None:
    """Write separator sheets (a QR code) to print and put on top of each document of a stack.

    Scan the whole stack as one file: the archive files one document per part. A
    sheet made with --client, --type or --date gives those facts to the document after it.

    Example: archive separator --client K-10023 --type invoice -o sheets.pdf
    """
    cli = obj(ctx)
    hints = FilingHints(
        client_id=client_id, document_type=document_type, document_date=read_optional_date(document_date)
    )
    with cli.open_archive() as archive:
        written = archive.intake.separator_sheets(output, cli.actor(archive), hints, count)
    click.echo(f"Wrote {count} separator sheet{'s' if count != 1 else ''} to {written}.")
