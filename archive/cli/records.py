"""Records-management commands: legal holds, disposition, the audit trail, evidence export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from archive.audit.checkpoints import fingerprint
from archive.cli.support import emit_json, obj, report_and_exit, run_command
from archive.typed import read_date


def _target_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --document ID and --client ID (a hold or event names one of them)."""
    function = click.option("--client", "client_id", help="All documents of this client, now and filed later.")(
        function
    )
    return click.option("--document", "document_id", type=int, help="One document, by number.")(function)


@click.group()
def hold() -> None:
    """Place, release and list legal holds (records managers; placing and releasing need proof)."""


@hold.command("add")
@_target_options
@click.option("--reason", required=True, help="Why the documents must be kept (e.g. the dispute).")
@click.option("--case", "case_reference", help="Case or matter reference.")
@click.option("--json", "as_json", is_flag=True, help="Print the hold as JSON.")
@click.pass_context
@run_command
def hold_add(
    ctx: click.Context,
    document_id: int | None,
    client_id: str | None,
    reason: str,
    case_reference: str | None,
    as_json: bool,
) -> None:
    """Put a document, or every document of a client, on legal hold.

    Example: archive --user rita hold add --client C042 --reason "Geschil huur" --case Z-2026-17
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        placed = archive.records.place_hold(cli.proven_actor(archive), reason, document_id, client_id, case_reference)
    if as_json:
        emit_json(placed.to_json())
    else:
        click.echo(f"Placed {placed.describe()}")


@hold.command("remove")
@_target_options
@click.option("--reason", required=True, help="Why the hold ends.")
@click.option("--case", "case_reference", help="Release the hold of this case reference.")
@click.option("--hold", "hold_id", type=int, help="Release the hold with this number.")
@click.option("--json", "as_json", is_flag=True, help="Print the released hold(s) as JSON.")
@click.pass_context
@run_command
def hold_remove(
    ctx: click.Context,
    document_id: int | None,
    client_id: str | None,
    reason: str,
    case_reference: str | None,
    hold_id: int | None,
    as_json: bool,
) -> None:
    """Release a hold; other holds on the same documents stay in force.

    Example: archive --user rita hold remove --client C042 --case Z-2026-17 --reason "Zaak geschikt"
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        released = archive.records.release_hold(
            cli.proven_actor(archive), reason, document_id, client_id, case_reference, hold_id
        )
    if as_json:
        emit_json([h.to_json() for h in released])
        return
    for item in released:
        click.echo(f"Released {item.describe()}")


@hold.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include released holds.")
@click.option("--json", "as_json", is_flag=True, help="Print the holds as JSON.")
@click.pass_context
@run_command
def hold_list(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """List the active legal holds (with --all, released ones too).

    Example: archive hold list --json
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        found = archive.records.holds(cli.actor(archive), active_only=not show_all)
    if as_json:
        emit_json([h.to_json() for h in found])
        return
    for item in found:
        click.echo(item.describe())
    if not found:
        click.echo("No holds.")


@click.command()
@click.option("--approve", is_flag=True, help="Approve destroying what is due (a records manager).")
@click.option(
    "--document",
    "documents",
    type=int,
    multiple=True,
    help="Approve only this document (repeat for several); default: every one due.",
)
@click.option(
    "--include-unconfirmed",
    "include",
    type=int,
    multiple=True,
    help="Approve this document although its type or date was never confirmed in the review queue.",
)
@click.option("--json", "as_json", is_flag=True, help="Print due, destroyed and awaiting ids as JSON.")
@click.pass_context
@run_command
def dispose(
    ctx: click.Context, approve: bool, documents: tuple[int, ...], include: tuple[int, ...], as_json: bool
) -> None:
    """List documents past their retention date and not on hold; --approve destroys them.

    Destroying keeps a tombstone per document and writes a certificate of destruction
    (verklaring van vernietiging) under <home>/certificates/. With
    records.disposition_approvals = 2 a second, different records manager must approve too.
    A document still in the review queue with its type or date unsure is left alone
    unless named with --include-unconfirmed.

    Example: archive --user rita dispose --approve --document 12 --document 14 --json
    """
    cli = obj(ctx)
    chosen = sorted(set(documents) | set(include)) or None
    with cli.open_archive() as archive:
        # Listing what is due reads; approving destroys, with the approver's proven authority.
        actor = cli.proven_actor(archive) if approve else cli.actor(archive)
        bar = tqdm(unit="doc", disable=not (approve and sys.stderr.isatty()), file=sys.stderr)
        result = archive.records.dispose(
            actor, approve=approve, progress=bar.update, ids=chosen, include_unconfirmed=include
        )
        bar.close()
    if as_json:
        emit_json(result.to_json())
        return
    for item in result.due:
        unsure = f"  facts not confirmed: {', '.join(item.unconfirmed)}" if item.unconfirmed else ""
        click.echo(f"due        #{item.id}  kept until {item.retention_until}  rule {item.rule}{unsure}")
    if not approve:
        click.echo(f"{len(result.due)} document(s) due. Approve with: archive --user NAME dispose --approve")
        return
    for skipped in result.skipped:
        click.echo(f"skipped    #{skipped['id']}  {skipped['reason']}")
    click.echo(
        f"Destroyed {len(result.destroyed)}; awaiting a second records manager: "
        f"{len(result.awaiting_second_approval)}; skipped: {len(result.skipped)}."
    )
    if result.certificate:
        click.echo(f"Certificate of destruction no. {result.certificate['number']}: {result.certificate['html']}")


@click.group()
def audit() -> None:
    """Check and read the audit trail."""


@audit.command("verify")
@click.option(
    "--pubkey",
    "public_key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Check the signatures with your own copy of the checkpoint public key (hex or PEM).",
)
@click.option(
    "--witness",
    "witness_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Compare with the checkpoints in this witness folder (default: audit.witness_dir).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@run_command
def audit_verify(ctx: click.Context, public_key: Path | None, witness_dir: Path | None, as_json: bool) -> None:
    """Check every entry's hash link and seal, the numbered checkpoints, the witness and the schema.

    Signatures are checked against the public key pinned in the trail when the archive
    was created (or against --pubkey), never one derived from the key in the home.
    Exit code 1 on any problem; notes say what could not be checked.

    Example: archive --user aad audit verify --pubkey /media/usb/checkpoint.pub
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        report = archive.records.verify_audit(cli.actor(archive), public_key, witness_dir)
    key = f", key {report['public_key_fingerprint']}" if report["public_key_fingerprint"] else ""
    report_and_exit(
        report, as_json, f"Checked {report['entries']} audit entries against {report['checkpoints']} checkpoint(s){key}"
    )


@audit.command("log")
@click.option("--document", "document_id", type=int, help="Only entries about this document.")
@click.option("--user", "user", help="Only entries by this user.")
@click.option("--client", "client_id", help="Only entries about this client or its documents.")
@click.option("--since", help="Only entries from this day, month or year on (2026-01-01, 01-2026, 2026).")
@click.option("--until", help="Only entries up to and including this day, month or year.")
@click.option("--action", "actions", multiple=True, help="Only this action (repeatable), e.g. view.")
@click.option("--limit", type=int, default=None, help="At most this many entries.")
@click.option("--json", "as_json", is_flag=True, help="One JSON list of entries.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.pass_context
@run_command
def audit_log(
    ctx: click.Context,
    document_id: int | None,
    user: str | None,
    client_id: str | None,
    since: str | None,
    until: str | None,
    actions: tuple[str, ...],
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Show audit entries, oldest first, filtered (auditors; the read is itself audited).

    Example: archive --user aad audit log --client C042 --since 2026-01-01 --csv > access.csv
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        entries = archive.records.audit_log(
            cli.proven_actor(archive),
            document_id=document_id,
            user=user,
            since=since,
            until=until,
            client_id=client_id,
            actions=actions,
            limit=limit,
        )
        text = archive.records.audit_csv(entries) if as_csv else None
    if as_json:
        emit_json(entries)
    elif text is not None:
        click.echo(text, nl=False)
    else:
        for e in entries:
            target = f" doc {e['document_id']}" if e["document_id"] is not None else ""
            client = f" client {e['client_id']}" if e["client_id"] else ""
            click.echo(f"{e['seq']:>7}  {e['at']}  {e['actor']:<12} {e['action']:<16}{target}{client}")


@audit.command("checkpoint")
@click.option("--json", "as_json", is_flag=True, help="Print the checkpoint as JSON (to mail or print).")
@click.pass_context
@run_command
def audit_checkpoint(ctx: click.Context, as_json: bool) -> None:
    """Sign the audit trail's head now, write it to the checkpoints folder and the witness.

    `archive run`, `serve` and `watch` do this every audit.checkpoint_minutes, every
    audit.checkpoint_entries entries and when they stop. The JSON is what to mail or
    print for a witness kept on paper.

    Example: archive audit checkpoint --json | lp
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        made = archive.records.checkpoint(cli.actor(archive))
        folder = archive.records.checkpoint_folder
    if as_json:
        emit_json(made.to_json())
    else:
        click.echo(
            f"Checkpoint {made.number} of {made.entries} entries (head {made.head_seq}, "
            f"{made.head_hash[:16]}…) signed by key {fingerprint(made.public_key)} and written to {folder}."
        )


@audit.command("report")
@click.option("--client", "client_id", required=True, help="The client whose documents' accesses to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@run_command
def audit_report(ctx: click.Context, client_id: str, as_json: bool) -> None:
    """Who viewed, downloaded or exported a client's documents, and when (NEN 7513).

    Example: archive --user aad audit report --client C042
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        report = archive.records.client_access_report(cli.proven_actor(archive), client_id)
    if as_json:
        emit_json(report)
        return
    for person in report["by_user"]:
        click.echo(
            f"{person['user']:<14} {person['accesses']:>4} access(es)  {person['first']} – {person['last']}"
            f"  documents {', '.join(map(str, person['documents'])) or '-'}"
        )
    for access in report["accesses"]:
        click.echo(f"  {access['at']}  {access['user']:<12} {access['action']:<10} doc {access['document_id']}")
    if not report["accesses"]:
        click.echo(f"No one accessed documents of client {client_id}.")


@click.command("export")
@click.option("--client", "client_id", help="Export every filed document of this client.")
@click.option("--query", help="Export every document this search finds.")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="New folder for the bag.")
@click.option("--zip", "as_zip", is_flag=True, help="Write one zip file (OUT is the zip's path).")
@click.option("--json", "as_json", is_flag=True, help="Print what was exported as JSON.")
@click.pass_context
@run_command
def export_command(
    ctx: click.Context, client_id: str | None, query: str | None, out_dir: Path, as_zip: bool, as_json: bool
) -> None:
    """Write an evidence package (BagIt bag with MDTO records and the audit excerpt).

    Example: archive --user aad export --client C042 --out ./bewijs-C042
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        actor = cli.proven_actor(archive)
        if as_zip:
            result = archive.records.export_zip(actor, out_dir, client_id=client_id, query=query)
        else:
            result = archive.records.export(actor, out_dir, client_id=client_id, query=query)
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(
            f"Exported {len(result.documents)} document(s), {result.files} file(s), to {result.path}. "
            "See VERIFY.md inside for how to check it."
        )


@click.group()
def retention() -> None:
    """Retention events and recomputing retention dates."""


@retention.command("event")
@_target_options
@click.option("--event", required=True, help="The event, as named in the schedule (e.g. employment_ended).")
@click.option("--date", "happened_on", required=True, help="When it happened, e.g. 2026-05-31 or 31-05-2026.")
@click.pass_context
@run_command
def retention_event(
    ctx: click.Context, document_id: int | None, client_id: str | None, event: str, happened_on: str
) -> None:
    """Record an event that starts retention periods, e.g. the end of an employment.

    Example: archive --user rita retention event --client E007 --event employment_ended --date 2026-05-31
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        changed = archive.records.record_event(
            cli.proven_actor(archive), event, read_date(happened_on), document_id=document_id, client_id=client_id
        )
    click.echo(f"Recorded; {len(changed)} retention date(s) changed.")


def register(main: click.Group) -> None:
    """Add the records-management commands to the `archive` command line."""
    for command in (hold, dispose, audit, export_command, retention):
        main.add_command(command)
