"""`archive clients import CSV` and `archive clients list`: the client registry."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.access.permissions import Permission, allows, mask_bsn, require
from archive.cli.support import emit_json, obj, run_command
from archive.errors import ExitCode


@click.group()
def clients() -> None:
    """Import and list the clients of the practice."""


@clients.command("import")
@click.argument("csv_file", metavar="CSV", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@run_command
def import_clients(ctx: click.Context, csv_file: Path, as_json: bool) -> None:
    """Add or update clients from a CSV file; bad rows are reported by line and skipped whole.

    Columns: client_id, name, kind, kvk, vat, iban, bsn, email, street, house_number, postcode, city.
    Importing the same file twice changes nothing. Exit code 1 when any row was refused.

    Example: archive clients import klanten.csv
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        report = archive.clients.import_csv(csv_file, cli.actor(archive))
    if as_json:
        emit_json(report.to_json())
    else:
        click.echo(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.errors)} refused."
        )
        for line, error in report.errors:
            click.echo(f"line {line}: {error}", err=True)
    if report.errors:
        sys.exit(ExitCode.FAILURE)


@clients.command("list")
@click.option("--search", "text", help="Only clients whose number, name, city, postcode or e-mail contains this.")
@click.option("--json", "as_json", is_flag=True, help="Print the clients as JSON (one list).")
@click.pass_context
@run_command
def list_clients(ctx: click.Context, text: str | None, as_json: bool) -> None:
    """List the registered clients (a BSN is shown masked unless your role may see it).

    Example: archive clients list --json
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        actor = cli.actor(archive)
        require(actor, Permission.VIEW)
        found = archive.clients.list(text)
    see_bsn = allows(actor, Permission.SEE_BSN)
    rows = [{**vars(c), "bsn": c.bsn if see_bsn else mask_bsn(c.bsn)} for c in found]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        place = " ".join(part for part in (row["postcode"], row["city"]) if part)
        click.echo(f"{row['client_id']:<12} {row['name']:<40} {row['kind']:<8} {place}")


def register(main: click.Group) -> None:
    """Add the `clients` commands to the CLI."""
    main.add_command(clients)
