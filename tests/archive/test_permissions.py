"""The role table of DESIGN.md, checked in one place."""

from __future__ import annotations

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, allows, mask_bsn, require
from archive.errors import PermissionDenied


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        ("clerk", Permission.FILE, True),
        ("clerk", Permission.DISPOSE_APPROVE, False),
        ("clerk", Permission.HOLD, False),
        ("staff", Permission.SEARCH, True),
        ("staff", Permission.EDIT_FACTS, False),
        ("staff", Permission.SEE_BSN, False),
        ("records_manager", Permission.DISPOSE_APPROVE, True),
        ("records_manager", Permission.EDIT_FACTS, False),
        ("auditor", Permission.READ_AUDIT, True),
        ("auditor", Permission.SEE_BSN, True),
        ("auditor", Permission.FILE, False),
        ("admin", Permission.MANAGE_USERS, True),
        ("admin", Permission.DISPOSE_APPROVE, False),
        ("system", Permission.FILE, True),
        ("system", Permission.DISPOSE_APPROVE, False),
        ("system", Permission.VIEW, True),
        ("system", Permission.VERIFY, True),
        # DESIGN.md: the built-in user files and reads; users, holds, export and disposal need a person.
        ("system", Permission.MANAGE_USERS, False),
        ("system", Permission.HOLD, False),
        ("system", Permission.EXPORT, False),
        ("system", Permission.READ_AUDIT, False),
        ("system", Permission.SCHEDULE, False),
        ("intruder", Permission.VIEW, False),
    ],
)
def test_role_table(role: str, permission: Permission, allowed: bool) -> None:
    assert allows(Actor("x", role), permission) is allowed


def test_require_names_user_and_action() -> None:
    with pytest.raises(PermissionDenied, match="'anna' \\(staff member\\) may not approve disposal"):
        require(Actor("anna", "staff"), Permission.DISPOSE_APPROVE)
    require(SYSTEM, Permission.FILE)
    with pytest.raises(PermissionDenied, match="own user 'system' may not place and release legal holds"):
        require(SYSTEM, Permission.HOLD)


def test_bsn_is_masked_but_for_the_last_four() -> None:
    assert mask_bsn("111222333") == "*****2333"
    assert mask_bsn(None) is None
