"""`archive backup DEST`, `archive backup verify|list DEST` and `archive restore DEST --home NEW`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from archive.backup import service
from archive.backup.destination import DESCRIPTOR, PassphraseSource
from archive.backup.opening import BackupHome
from archive.backup.priority import run_in_background
from archive.backup.restore import RestoreRequest
from archive.cli.support import configure_logging, emit_json, obj, progress_bar, run_command
from archive.errors import ExitCode, InvalidInput

PASSPHRASE_VARIABLE = "ARCHIVE_BACKUP_PASSPHRASE"


def register(main: click.Group) -> None:
    """Add the backup commands to the `archive` group."""
    main.add_command(backup)
    main.add_command(restore)


def passphrase_source(confirm: bool = False) -> PassphraseSource:
    """Return where a passphrase comes from: $ARCHIVE_BACKUP_PASSPHRASE, else a prompt on a terminal."""

    def ask() -> str:
        given = os.environ.get(PASSPHRASE_VARIABLE)
        if given:
            return given
        if not sys.stdin.isatty():
            raise InvalidInput(
                "backup.passphrase_missing",
                "A passphrase is needed: set ${variable} or run this in a terminal.",
                variable=PASSPHRASE_VARIABLE,
            )
        return click.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm, err=True)

    return ask


class _BackupGroup(click.Group):
    """`archive backup DEST` takes a snapshot; `verify` and `list` are the group's other commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = next((arg for arg in args if not arg.startswith("-")), None)
        if first is not None and first not in self.commands:
            args = ["take", *args]
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return ["DEST [--json] [--encrypt] [--private-keys] | verify DEST [--deep] | list DEST"]


@click.group(cls=_BackupGroup)
def backup() -> None:
    """Back up the archive to DEST (a folder, USB disk or network share), or check or list DEST.

    \b
    archive backup DEST [--json]        a new numbered snapshot, while the archive keeps working
    archive backup verify DEST [--deep] manifests and signatures; --deep re-reads every byte
    archive backup list DEST            the snapshots in DEST

    Options of `archive backup DEST`: --json; --encrypt (a new destination, protected by
    a passphrase); --private-keys (also the signing keys, sealed with the passphrase).
    Each snapshot is complete; unchanged files are not copied again. After a backup,
    older snapshots are pruned by [backup] keep_daily / keep_weekly / keep_monthly.
    Passphrases come from $ARCHIVE_BACKUP_PASSPHRASE, else a prompt.

    Example: archive backup /media/usb/archief-backup --encrypt
    """


@backup.command("take", hidden=True)
@click.argument("destination", metavar="DEST", type=click.Path(file_okay=False, path_type=Path))
@click.option("--encrypt", is_flag=True, help="Encrypt a new destination with a passphrase (chosen once, when made).")
@click.option(
    "--private-keys",
    is_flag=True,
    help="Also back up the private keys, sealed with the passphrase (else a restore makes new ones).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
@click.pass_context
@run_command
def take(ctx: click.Context, destination: Path, encrypt: bool, private_keys: bool, as_json: bool) -> None:
    """Write a new snapshot of the archive to DEST; exit 1 when it had problems.

    Example: archive backup /mnt/nas/archief --json
    """
    cli = obj(ctx)
    run_in_background(cli.config.backup.priority)  # the front desk goes first: filing and searching keep their speed
    new_secret = private_keys or (encrypt and not (destination / DESCRIPTOR).exists())
    configure_logging(cli.config.home)
    with BackupHome.open(cli.config) as home:
        result = home.backups().backup(
            service.BackupRequest(destination, encrypt, private_keys),
            cli.actor(home),
            passphrase_source(confirm=new_secret),
        )
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(
            f"Snapshot {result.number} in {result.destination}: {result.files:,} files, "
            f"{_size(result.bytes)}; {_size(result.bytes_written)} written in {result.seconds:.1f} s"
            + (" (encrypted)." if result.encrypted else ".")
        )
        if result.pruned:
            click.echo("Pruned snapshots " + ", ".join(map(str, result.pruned)) + ".")
        for problem in result.problems:
            click.echo(f"Problem: {problem}", err=True)
    sys.exit(ExitCode.OK if result.ok else ExitCode.FAILURE)


@backup.command()
@click.argument("destination", metavar="DEST", type=click.Path(file_okay=False, path_type=Path))
@click.option("--deep", is_flag=True, help="Read back, authenticate and re-hash every byte.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@run_command
def verify(ctx: click.Context, destination: Path, deep: bool, as_json: bool) -> None:
    """Check every snapshot in DEST: signatures, manifests, chunks; exit 8 on any problem.

    Signatures are checked against this home's key when there is one here, else
    against the key recorded in DEST (compare its start with yours).

    Example: archive backup verify /media/usb/archief-backup --deep
    """
    trusted = service.home_keys(obj(ctx).config)
    with progress_bar(None, "chunk") as bar:
        report = service.verify(destination, deep, passphrase_source(), trusted, bar.update)
    if as_json:
        emit_json(report.to_json())
    else:
        for problem in report.problems:
            click.echo(problem)
        for noted in report.recorded:
            click.echo(f"Noted when taken: {noted}")
        verdict = "all correct." if report.ok else f"{len(report.problems)} problem(s)."
        keys = ", ".join(f"{key[:16]}…" for key in report.public_keys)
        click.echo(
            f"Checked {len(report.snapshots)} snapshot(s), {report.chunks_checked:,} chunks"
            f"{' read back' if deep else ''}, against the key(s) {keys} of "
            f"{'this home' if trusted else 'the destination'}: {verdict}"
        )
    sys.exit(ExitCode.OK if report.ok else ExitCode.INTEGRITY_FAILURE)


@backup.command("list")
@click.argument("destination", metavar="DEST", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the snapshots as JSON.")
@run_command
def list_snapshots(destination: Path, as_json: bool) -> None:
    """List the snapshots in DEST, oldest first.

    Example: archive backup list /media/usb/archief-backup
    """
    found = service.snapshots(destination, passphrase_source())
    if as_json:
        emit_json(found)
        return
    click.echo(f"{'#':>5}  {'taken (UTC)':<20} {'files':>8} {'size':>9} {'documents':>9} {'audit':>8}  keys  problems")
    for item in found:
        if "created_at" not in item:
            click.echo(f"{item['number']:>5}  cannot be read: {item['problems'][0]}")
            continue
        click.echo(
            f"{item['number']:>5}  {item['created_at'][:19].replace('T', ' '):<20} {item['files']:>8,} "
            f"{_size(item['bytes']):>9} {sum(item['documents'].values()):>9,} {item['audit_head_seq']:>8,}  "
            f"{'yes' if item['private_keys'] else 'no':<4}  {len(item['problems'])}"
        )


@click.command()
@click.argument("destination", metavar="DEST", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--home",
    "new_home",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The new home to create (absent or an empty folder; never an existing home).",
)
@click.option("--snapshot", type=int, default=None, help="The snapshot number (default: the newest).")
@click.option(
    "--replay-disposals",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A newer copy of the database (or its home): re-apply the disposals it recorded since.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was done, and the verify report, as JSON.")
@click.pass_context
@run_command
def restore(
    ctx: click.Context,
    destination: Path,
    new_home: Path,
    snapshot: int | None,
    replay_disposals: Path | None,
    as_json: bool,
) -> None:
    """Restore a snapshot from DEST into a new home, then verify it; exit 8 when verify finds a problem.

    Snapshots taken before a disposal still hold the destroyed documents: the restore
    names them, and --replay-disposals with a newer database (the old machine's
    archive.sqlite3, say) destroys them again as recorded there.

    Example: archive restore /media/usb/archief-backup --home /srv/archief --snapshot 12
    """
    from archive.config import load_config
    from archive.service import Archive

    def open_restored(home: Path) -> Archive:
        restored_config = home / "config.toml"
        config = load_config(restored_config if restored_config.exists() else None, home=home)
        return Archive.open(config)

    request = RestoreRequest(new_home, snapshot, replay_disposals, _trusted_keys(ctx))
    result = service.restore(destination, request, open_restored, passphrase_source())
    if as_json:
        emit_json(result.to_json())
    else:
        _describe_restore(result)
    sys.exit(ExitCode.OK if result.ok else ExitCode.INTEGRITY_FAILURE)


def _trusted_keys(ctx: click.Context) -> frozenset[str] | None:
    # Only an explicitly named old home's keys are trusted over those recorded in DEST.
    return service.home_keys(obj(ctx).config) if obj(ctx).home is not None else None


def _describe_restore(result) -> None:
    click.echo(
        f"Restored snapshot {result.snapshot} (taken {result.created_at[:16].replace('T', ' ')} UTC) into "
        f"{result.home}: {result.files:,} files, {_size(result.bytes)} in {result.seconds:.1f} s."
    )
    for note in result.notes:
        click.echo(note)
    if result.replayed:
        click.echo(
            "Destroyed again, as the newer database recorded: documents " + ", ".join(map(str, result.replayed)) + "."
        )
    if result.destroyed_later:
        click.echo(
            "Warning: this snapshot still holds documents destroyed after it was taken: "
            + ", ".join(map(str, result.destroyed_later))
            + ". Re-apply those disposals with --replay-disposals, or dispose of them again.",
            err=True,
        )
    if result.config_file:
        click.echo(
            f"The configuration it ran with is in {result.config_file}: start it with "
            f"ARCHIVE_CONFIG={result.config_file} archive --home {result.home} run"
        )
    for problem in result.verify.get("problems", []):
        click.echo(problem)
    verdict = "all correct." if result.ok else f"{len(result.verify.get('problems', []))} problem(s)."
    click.echo(
        f"Verified {result.verify.get('files_checked', 0):,} files and "
        f"{result.verify.get('audit_entries', 0):,} audit entries: {verdict}"
    )


def _size(count: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} B"
