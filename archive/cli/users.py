"""`archive users …`: add users, hand out API tokens, list them."""

from __future__ import annotations

import os

import click

from archive.access.actors import ROLES, Actor
from archive.access.permissions import Permission, require
from archive.cli.support import CliContext, emit_json, obj, run_command


def _password_from_env_or_prompt(name: str) -> str:
    password = os.environ.get("ARCHIVE_PASSWORD")
    if password:
        return password
    return click.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True, err=True)


def _administrator(cli: CliContext, archive, password_from_environment: bool = True) -> Actor:
    """Return the proven acting user, who must be allowed to manage users."""
    actor = cli.proven_actor(archive, password_from_environment)
    require(actor, Permission.MANAGE_USERS)
    return actor


@click.group()
def users() -> None:
    """Archive users: their roles, log-in and API tokens."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--json", "as_json", is_flag=True, help="Print the new user as JSON.")
@click.pass_context
@run_command
def add(ctx: click.Context, name: str, role: str, as_json: bool) -> None:
    """Add a user; the new user's password comes from $ARCHIVE_PASSWORD, else a prompt.

    An administrator does it and proves it with a token ($ARCHIVE_TOKEN, --token-file)
    or their own password and code typed at the prompt ($ARCHIVE_PASSWORD is the new
    user's here). Records managers, auditors and admins log in with a second factor:
    the enrolment URI printed here goes into their authenticator app (once).

    Example: ARCHIVE_TOKEN=... ARCHIVE_PASSWORD=... archive --user admin users add anna --role clerk
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        actor = _administrator(cli, archive, password_from_environment=False)
        password = _password_from_env_or_prompt(name)
        user, totp_uri = archive.users.add(name, role, password, actor)
    if as_json:
        emit_json({"name": user.name, "role": user.role, "totp_uri": totp_uri})
        return
    click.echo(f"Added {user.name} ({user.role}).")
    if totp_uri:
        click.echo("Enrol this in an authenticator app (shown only now):")
        click.echo(totp_uri)


@users.command("token")
@click.argument("name")
@click.pass_context
@run_command
def token(ctx: click.Context, name: str) -> None:
    """Print a new API token for a user (stored only as a hash: keep it now).

    Use it as `Authorization: Bearer <token>`, or as the proof of a privileged command
    ($ARCHIVE_TOKEN, --token-file). An administrator does it, with proof.

    Example: archive --user admin users token anna
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        click.echo(archive.users.new_token(name, _administrator(cli, archive)))


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the users as JSON.")
@click.pass_context
@run_command
def list_users(ctx: click.Context, as_json: bool) -> None:
    """List the users with their roles (an administrator, with proof).

    Example: archive --user admin users list --json
    """
    cli = obj(ctx)
    with cli.open_archive() as archive:
        _administrator(cli, archive)
        found = archive.users.list()
    if as_json:
        emit_json(
            [
                {"name": u.name, "role": u.role, "active": u.active, "totp": u.has_totp, "created_at": u.created_at}
                for u in found
            ]
        )
        return
    for user in found:
        state = "" if user.active else "  (disabled)"
        click.echo(f"{user.name:<20} {user.role:<16}{state}")


def register(main: click.Group) -> None:
    """Add `archive users` to the `archive` group."""
    main.add_command(users)
