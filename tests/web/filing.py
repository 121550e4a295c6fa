"""Following an upload to its filing: the desk answers before a document is read."""

from __future__ import annotations

import time

from archive.access.actors import SYSTEM


def when_filed(archive, outcome: dict, timeout: float = 120.0) -> dict:
    """The outcome once the filing queue is done with it (an upload is answered before it is read)."""
    deadline = time.monotonic() + timeout
    while outcome["status"] == "received" and time.monotonic() < deadline:
        time.sleep(0.1)
        now = archive.filing_status(outcome["id"], SYSTEM).to_json()
        outcome = {**outcome, **{k: v for k, v in now.items() if k != "source"}}
    return outcome
