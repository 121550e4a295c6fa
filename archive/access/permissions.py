"""The one place where roles are checked (DESIGN.md, "Roles")."""

from __future__ import annotations

from enum import Enum

from archive.access.actors import Actor
from archive.errors import PermissionDenied

# Who may see a BSN is decided here, how it is hidden by the one rule in ingest.values;
# named here too for the web room, which shows BSNs by role and may not import ingest.
from ingest.values import mask_bsn as mask_bsn


class Permission(Enum):
    FILE = "file documents"
    EDIT_FACTS = "change a document's facts"
    REVIEW = "work the review queue"
    VIEW = "view documents"
    DOWNLOAD = "download documents"
    SEARCH = "search"
    SEE_BSN = "see citizen service numbers"
    MANAGE_CLIENTS = "add and change clients"
    HOLD = "place and release legal holds"
    DISPOSE_PROPOSE = "list documents due for disposal"
    DISPOSE_APPROVE = "approve disposal"
    SCHEDULE = "change the retention schedule"
    READ_AUDIT = "read the audit trail"
    EXPORT = "export evidence packages"
    VERIFY = "verify the archive"
    MANAGE_USERS = "manage users"
    STATS = "see the front-office analysis"
    REINDEX = "rebuild the search index"
    TAG = "tag documents"
    WRITE_NOTES = "write notes on documents"
    BACKUP = "take and check backups"


_READ = {Permission.VIEW, Permission.DOWNLOAD, Permission.SEARCH}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "clerk": frozenset(
        _READ | {Permission.FILE, Permission.EDIT_FACTS, Permission.REVIEW, Permission.SEE_BSN,
                 Permission.MANAGE_CLIENTS, Permission.TAG, Permission.WRITE_NOTES}
    ),
    # A receptionist leaves a note ("client called, sends the signed copy") but changes nothing else.
    "staff": frozenset(_READ | {Permission.WRITE_NOTES}),
    "records_manager": frozenset(
        _READ | {Permission.HOLD, Permission.DISPOSE_PROPOSE, Permission.DISPOSE_APPROVE, Permission.SCHEDULE}
    ),
    "auditor": frozenset(
        _READ | {Permission.SEE_BSN, Permission.READ_AUDIT, Permission.EXPORT, Permission.VERIFY,
                 Permission.STATS, Permission.DISPOSE_PROPOSE}
    ),
    "admin": frozenset(
        # Legal holds are the records managers' alone (DESIGN.md): an admin sees what is due, no more.
        _READ | {Permission.MANAGE_USERS, Permission.STATS, Permission.VERIFY,
                 Permission.REINDEX, Permission.DISPOSE_PROPOSE, Permission.BACKUP}
    ),
    # The command line's built-in user runs the machine: it may do everything but
    # approve a disposition, which always needs a named records manager.
    "system": frozenset(set(Permission) - {Permission.DISPOSE_APPROVE}),
}


def allows(actor: Actor, permission: Permission) -> bool:
    """Return whether the actor's role includes the permission."""
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDenied unless the actor's role includes the permission."""
    if not allows(actor, permission):
        raise PermissionDenied(f"User '{actor.name}' ({actor.role}) may not {permission.value}.")
