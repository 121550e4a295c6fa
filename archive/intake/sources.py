"""What a stack's or a message's own original becomes when its documents are destroyed.

A stack's original holds the pages of all its parts, a message's original every
attachment: once the last document made from one is destroyed under the retention
schedule, keeping it would keep what was destroyed. It goes with that last
document; until then it stays (and is checked by ``archive verify``).
"""

from __future__ import annotations

import logging

from archive.access.actors import SYSTEM
from archive.clock import iso
from archive.core import Core
from storage import intake_repo

log = logging.getLogger(__name__)


def destroy_spent_sources(core: Core, destroyed: list[int]) -> None:
    """Destroy the stack and message originals whose every document is now disposed."""
    conn = core.db.read()
    for kind, source_id, sha256 in intake_repo.spent_sources(conn, destroyed):
        with core.db.atomic() as writing:
            intake_repo.mark_source_disposed(writing, kind, source_id)
            core.audit.record(
                SYSTEM,
                f"{kind}_destroyed",
                details={f"{kind}_id": source_id, "sha256": sha256, "at": iso(core.clock.now())},
            )
        if not intake_repo.sha256_still_needed(core.db.read(), sha256):
            core.store.destroy(sha256)
        log.info("the original of %s %s went with its last document", kind, source_id)
