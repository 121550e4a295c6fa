"""Reading snapshots back: their signed manifests, and the list of what a destination holds."""

from __future__ import annotations

from typing import Any

from archive.backup import signing
from archive.backup.destination import Destination
from archive.backup.manifest import Manifest
from archive.errors import IntegrityFailure


def read_signed(destination: Destination, number: int) -> signing.SignedSnapshot:
    """Return snapshot ``number``'s manifest bytes and signature; raise IntegrityFailure when unreadable."""
    return signing.read_signed(destination.read_snapshot(number), f"Snapshot {number}")


def read_manifest(destination: Destination, number: int) -> Manifest:
    """Return snapshot ``number``'s manifest; raise IntegrityFailure when it cannot be read."""
    manifest = Manifest.from_bytes(read_signed(destination, number).manifest, f"Snapshot {number}")
    if manifest.number != number:
        raise IntegrityFailure(
            "backup.manifest_number",
            "Snapshot {number}: its manifest says it is snapshot {claimed}.",
            number=number,
            claimed=manifest.number,
        )
    return manifest


def list_snapshots(destination: Destination) -> list[dict[str, Any]]:
    """Return a summary of every snapshot, oldest first (an unreadable one says why)."""
    found = []
    for number in destination.snapshot_numbers():
        try:
            found.append(read_manifest(destination, number).summary())
        except IntegrityFailure as exc:
            found.append({"number": number, "problems": [str(exc)]})
    return found
