"""The one place where roles are checked (DESIGN.md, "Roles")."""

from __future__ import annotations

from enum import Enum

from archive.access.actors import ROLE_NAMES, Actor
from archive.errors import Message, PermissionDenied

# Who may see a BSN is decided here, how it is hidden by the one rule in ingest.values;
# named here too for the web room, which shows BSNs by role and may not import ingest.
from ingest.values import mask_bsn as mask_bsn


class Permission(Enum):
    FILE = "file"
    EDIT_FACTS = "edit_facts"
    REVIEW = "review"
    VIEW = "view"
    DOWNLOAD = "download"
    SEARCH = "search"
    SEE_BSN = "see_bsn"
    MANAGE_CLIENTS = "manage_clients"
    HOLD = "hold"
    DISPOSE_PROPOSE = "dispose_propose"
    DISPOSE_APPROVE = "dispose_approve"
    SCHEDULE = "schedule"
    READ_AUDIT = "read_audit"
    SEE_ACCESS = "see_access"
    EXPORT = "export"
    VERIFY = "verify"
    MANAGE_USERS = "manage_users"
    STATS = "stats"
    REINDEX = "reindex"
    TAG = "tag"
    WRITE_NOTES = "write_notes"
    BACKUP = "backup"


# What a refusal says the user may not do: "… may not {action}".
ACTIONS = {
    Permission.FILE: Message("permission.file", "file documents"),
    Permission.EDIT_FACTS: Message("permission.edit_facts", "change a document's facts"),
    Permission.REVIEW: Message("permission.review", "work the review queue"),
    Permission.VIEW: Message("permission.view", "view documents"),
    Permission.DOWNLOAD: Message("permission.download", "download documents"),
    Permission.SEARCH: Message("permission.search", "search"),
    Permission.SEE_BSN: Message("permission.see_bsn", "see citizen service numbers"),
    Permission.MANAGE_CLIENTS: Message("permission.manage_clients", "add and change clients"),
    Permission.HOLD: Message("permission.hold", "place and release legal holds"),
    Permission.DISPOSE_PROPOSE: Message("permission.dispose_propose", "list documents due for disposal"),
    Permission.DISPOSE_APPROVE: Message("permission.dispose_approve", "approve disposal"),
    Permission.SCHEDULE: Message("permission.schedule", "change the retention schedule"),
    Permission.READ_AUDIT: Message("permission.read_audit", "read the audit trail"),
    Permission.EXPORT: Message("permission.export", "export evidence packages"),
    Permission.VERIFY: Message("permission.verify", "verify the archive"),
    Permission.MANAGE_USERS: Message("permission.manage_users", "manage users"),
    Permission.STATS: Message("permission.stats", "see the front-office analysis"),
    Permission.REINDEX: Message("permission.reindex", "rebuild the search index"),
    Permission.TAG: Message("permission.tag", "tag documents"),
    Permission.WRITE_NOTES: Message("permission.write_notes", "write notes on documents"),
    Permission.BACKUP: Message("permission.backup", "take and check backups"),
    Permission.SEE_ACCESS: Message("permission.see_access", "see who read a document, and from where"),
}


_READ = {Permission.VIEW, Permission.DOWNLOAD, Permission.SEARCH}

# What only a named person may do, never the machine's own `system` user.
PERSONAL = frozenset(
    {
        Permission.MANAGE_USERS,
        Permission.HOLD,
        Permission.SCHEDULE,
        Permission.DISPOSE_APPROVE,
        Permission.EXPORT,
        Permission.READ_AUDIT,
        Permission.SEE_ACCESS,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "clerk": frozenset(
        _READ
        | {
            Permission.FILE,
            Permission.EDIT_FACTS,
            Permission.REVIEW,
            Permission.SEE_BSN,
            Permission.MANAGE_CLIENTS,
            Permission.TAG,
            Permission.WRITE_NOTES,
        }
    ),
    # A receptionist leaves a note ("client called, sends the signed copy") but changes nothing else.
    "staff": frozenset(_READ | {Permission.WRITE_NOTES}),
    "records_manager": frozenset(
        _READ | {Permission.HOLD, Permission.DISPOSE_PROPOSE, Permission.DISPOSE_APPROVE, Permission.SCHEDULE}
    ),
    "auditor": frozenset(
        _READ
        | {
            Permission.SEE_BSN,
            Permission.READ_AUDIT,
            Permission.EXPORT,
            Permission.VERIFY,
            Permission.STATS,
            Permission.DISPOSE_PROPOSE,
            Permission.SEE_ACCESS,
        }
    ),
    "admin": frozenset(
        # Legal holds are the records managers' alone (DESIGN.md): an admin sees what is due, no more.
        _READ
        | {
            Permission.MANAGE_USERS,
            Permission.STATS,
            Permission.VERIFY,
            Permission.REINDEX,
            Permission.DISPOSE_PROPOSE,
            Permission.BACKUP,
            Permission.SEE_ACCESS,
        }
    ),
    # The command line's built-in user runs the machine: it files and reads (and keeps the
    # machine going: checks, index, backups). What a person answers for — users, holds,
    # the schedule, disposal, evidence, reading the trail — always needs a named user, who
    # proves who they are on the command line (DESIGN.md, "The command line").
    "system": frozenset(set(Permission) - PERSONAL),
}


def allows(actor: Actor, permission: Permission) -> bool:
    """Return whether the actor's role includes the permission."""
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDenied unless the actor's role includes the permission."""
    if not allows(actor, permission) and actor.role == "system":
        raise PermissionDenied(
            "access.machine_user",
            "The archive's own user '{name}' may not {action}: that needs a person; "
            "name yourself with --user NAME and prove it with your password or token.",
            name=actor.name,
            action=ACTIONS[permission],
        )
    if not allows(actor, permission):
        raise PermissionDenied(
            "access.denied",
            "User '{name}' ({role}) may not {action}.",
            name=actor.name,
            role=ROLE_NAMES.get(actor.role, actor.role),
            action=ACTIONS[permission],
        )
