"""Every document the audit trail saw arrive is still accounted for, as it arrived.

The store's fixity round checks the bytes of the documents the database lists; it
cannot see a row that someone with the database file deleted, or one whose
fingerprint was changed to hide a swapped original. The trail (whose own integrity
its chain, seals and checkpoints prove) records each arrival with its fingerprint, so
the rows are checked against it: each arrival still has its row with that fingerprint
(or a disposal's tombstone), each row has its arrival, and a row marked destroyed has
the tombstone a disposal leaves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from archive.errors import Message


@dataclass(frozen=True)
class Arrival:
    seq: int
    sha256: str


@dataclass(frozen=True)
class DocumentRowProblem:
    """A document row that is not what the audit trail says it should be."""

    document_id: int
    problem: str  # deleted | altered | unrecorded | unfinished_disposal
    message: Message

    def sentence(self) -> str:
        return str(self.message)


def arrivals_from(entries: Iterable[tuple[int, int | None, str]]) -> dict[int, Arrival]:
    """Return the first arrival per document from (seq, document_id, details) of the ``receive`` entries."""
    found: dict[int, Arrival] = {}
    for seq, document_id, details in entries:
        if document_id is None or document_id in found:
            continue
        try:
            sha256 = json.loads(details).get("sha256")
        except (TypeError, ValueError, AttributeError):  # an entry edited by hand: the chain check names it
            sha256 = None
        found[document_id] = Arrival(seq, sha256 if isinstance(sha256, str) else "")
    return found


def check_rows(
    arrivals: Mapping[int, Arrival], rows: Mapping[int, tuple[str, str]], tombstones: Mapping[int, str]
) -> list[DocumentRowProblem]:
    """Compare the arrivals with the rows ((sha256, state) per id) and the tombstones (sha256 per id)."""
    problems = []
    for document_id, arrival in sorted(arrivals.items()):
        row = rows.get(document_id)
        if row is None:
            problems.append(
                DocumentRowProblem(
                    document_id,
                    "deleted",
                    Message(
                        "verify.document_row_deleted",
                        "Document {id} arrived (audit entry {seq}) but its row is gone from the database, "
                        "and no disposal destroyed it: it was deleted outside the archive.",
                        {"id": document_id, "seq": arrival.seq},
                    ),
                )
            )
        elif arrival.sha256 and row[0] != arrival.sha256:
            problems.append(
                DocumentRowProblem(
                    document_id,
                    "altered",
                    Message(
                        "verify.document_row_altered",
                        "Document {id}: the fingerprint in the database is not the one audit entry {seq} recorded "
                        "at its arrival: the row was changed outside the archive.",
                        {"id": document_id, "seq": arrival.seq},
                    ),
                )
            )
    for document_id, (_sha256, state) in sorted(rows.items()):
        if document_id not in arrivals:
            problems.append(
                DocumentRowProblem(
                    document_id,
                    "unrecorded",
                    Message(
                        "verify.document_row_unrecorded",
                        "Document {id} is in the database but no audit entry records its arrival: it was added outside "
                        "the archive.",
                        {"id": document_id},
                    ),
                )
            )
        elif state == "disposed" and document_id not in tombstones:
            problems.append(
                DocumentRowProblem(
                    document_id,
                    "unfinished_disposal",
                    Message(
                        "verify.document_disposed_by_hand",
                        "Document {id} is marked destroyed, but no disposal destroyed it (it has no tombstone): it was "
                        "changed outside the archive.",
                        {"id": document_id},
                    ),
                )
            )
    return problems
