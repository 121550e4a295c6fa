"""A known front-office history, written through the real audit trail on a real SQLite file.

Week of Monday 2 November 2026 (times UTC); "now" is Friday 6 November, 12:00.

  day  time   what
  2    09:00  anna uploads #1 (invoice, 2 p., OCR 91.0, K-1), filed 30 s later
  2    09:10  anna uploads #2 (receipt, 1 p., OCR 45.0, K-2, to review), filed 60 s later
  2    10:00  the inbox takes #3 (letter, 3 p., text PDF, K-1), filed 300 s later
  3    08:00  bart files #4 from the CLI (invoice, 1 p., OCR 88.0, no client, to review), 120 s
  3    09:00  bart posts #5 through the API (payslip, 4 p., text PDF, K-3), 10 s
  3    11:00  anna corrects #1's amount 10.00 -> 100.00
  3    12:00  bart sets #4's client to K-2 and confirms it ("review_confirmed")
  3    13:00  two files fail (empty; not a PDF or image); 14:00 a duplicate of #1 in the inbox
  4    09:11  anna clears #2's review ("review_done"); 09:12 corrects its type receipt -> invoice
  4    10:00  sara searches "jansen" (2 hits), opens #1 and #3 from the results
  4    10:03  tom opens #3 from a result list without having searched (opens none of sara's)
  4    10:05  sara searches "xyz" (0 hits); 10:10 "factuur" (3 hits), then opens #4 directly
  5    09:00  anna uploads #6 (invoice, 1 p., OCR 72.5, K-1, to review), filed 60 s later
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.audit.trail import AuditTrail
from archive.clock import FixedClock, iso
from storage import documents_repo
from storage.database import Database

NOW = datetime(2026, 11, 6, 12, 0, tzinfo=timezone.utc)
ANNA, BART, SARA = Actor("anna", "clerk"), Actor("bart", "clerk"), Actor("sara", "staff")


def moment(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=timezone.utc)


class Seeder:
    """Writes documents and audit entries as the services do, at chosen moments."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.clock = FixedClock(NOW)
        self.audit = AuditTrail(db, self.clock)
        self._n = 0

    def at(self, when: datetime) -> "Seeder":
        self.clock.moment = when
        return self

    def file(
        self,
        actor: Actor,
        channel: str,
        arrived: datetime,
        seconds: float,
        kind: str,
        pages: int,
        ocr: float | None,
        client: str | None,
        review: list[str] | None = None,
    ) -> int:
        self._n += 1
        with self.db.atomic() as conn:
            document_id = documents_repo.insert_received(
                conn,
                {
                    "sha256": f"{self._n:064x}",
                    "size": 100,
                    "mime_type": "application/pdf",
                    "original_filename": f"scan{self._n}.pdf",
                    "source": None,
                    "channel": channel,
                    "hinted": "{}",
                    "created_by": actor.name,
                    "created_at": iso(arrived),
                },
            )
            self.at(arrived).audit.record(
                actor,
                "receive",
                document_id,
                details={"sha256": f"{self._n:064x}", "filename": f"scan{self._n}.pdf", "channel": channel},
            )
        filed = arrived.timestamp() + seconds
        self.at(datetime.fromtimestamp(filed, timezone.utc))
        with self.db.atomic() as conn:
            documents_repo.update_document(
                conn,
                document_id,
                state="filed",
                pages=pages,
                document_type=kind,
                ocr=int(ocr is not None),
                ocr_confidence=ocr,
                client_id=client,
                needs_review=int(bool(review)),
                review_reasons=json.dumps(review or []),
                filed_at=iso(self.clock.now()),
            )
            self.audit.record(
                actor,
                "file",
                document_id,
                client_id=client,
                details={
                    "document_type": kind,
                    "pages": pages,
                    "ocr": ocr is not None,
                    "needs_review": bool(review),
                    "review_reasons": review or [],
                    "retention_until": None,
                    "channel": channel,
                },
            )
        return document_id

    def change(self, actor: Actor, when: datetime, document_id: int, fact: str, before, after) -> None:
        with self.db.atomic() as conn:
            documents_repo.update_document(conn, document_id, **{fact: after})
            self.at(when).audit.record(
                actor, "change", document_id, details={"fact": fact, "before": before, "after": after}
            )

    def review_done(self, actor: Actor, when: datetime, document_id: int, action: str = "review_done") -> None:
        with self.db.atomic() as conn:
            documents_repo.update_document(conn, document_id, needs_review=0, review_reasons="[]")
            self.at(when).audit.record(actor, action, document_id)

    def search(self, actor: Actor, when: datetime, query: str, total: int) -> None:
        self.at(when).audit.record(actor, "search", details={"query": query, "total": total})

    def view(self, actor: Actor, when: datetime, document_id: int, client: str | None, from_search: bool) -> None:
        details = {"from_search": True} if from_search else None
        self.at(when).audit.record(actor, "view", document_id, client_id=client, details=details)


def seed_known_history(db: Database) -> None:
    """Write the history described at the top of this module."""
    s = Seeder(db)
    d1 = s.file(ANNA, "upload", moment(2, 9), 30, "invoice", 2, 91.0, "K-1")
    d2 = s.file(ANNA, "upload", moment(2, 9, 10), 60, "receipt", 1, 45.0, "K-2", ["low_ocr_confidence"])
    d3 = s.file(SYSTEM, "inbox", moment(2, 10), 300, "letter", 3, None, "K-1")
    d4 = s.file(BART, "cli", moment(3, 8), 120, "invoice", 1, 88.0, None, ["no_client"])
    s.file(BART, "api", moment(3, 9), 10, "payslip", 4, None, "K-3")
    s.change(ANNA, moment(3, 11), d1, "amount", "10.00", "100.00")
    s.change(BART, moment(3, 12), d4, "client_id", None, "K-2")
    s.review_done(BART, moment(3, 12), d4, "review_confirmed")
    s.at(moment(3, 13)).audit.record(
        SYSTEM, "ingest_failed", details={"filename": "leeg.pdf", "reason": "The file is empty.", "channel": "inbox"}
    )
    s.audit.record(
        SYSTEM,
        "ingest_failed",
        details={"filename": "notes.txt", "reason": "This is not a PDF or an image.", "channel": "inbox"},
    )
    s.at(moment(3, 14)).audit.record(SYSTEM, "duplicate", d1, details={"filename": "again.pdf", "channel": "inbox"})
    s.review_done(ANNA, moment(4, 9, 11), d2)
    s.change(ANNA, moment(4, 9, 12), d2, "document_type", "receipt", "invoice")
    s.search(SARA, moment(4, 10), "jansen", 2)
    s.view(SARA, moment(4, 10, 1), d1, "K-1", True)
    s.view(SARA, moment(4, 10, 2), d3, "K-1", True)
    s.view(Actor("tom", "staff"), moment(4, 10, 3), d3, "K-1", True)
    s.search(SARA, moment(4, 10, 5), "xyz", 0)
    s.search(SARA, moment(4, 10, 10), "factuur", 3)
    s.view(SARA, moment(4, 10, 20), d4, "K-2", False)
    s.file(ANNA, "upload", moment(5, 9), 60, "invoice", 1, 72.5, "K-1", ["low_ocr_confidence"])


@pytest.fixture
def seeded_db(tmp_path: Path):
    """A real SQLite database holding the known history."""
    db = Database.open(tmp_path / "stats.sqlite3")
    seed_known_history(db)
    yield db
    db.close()
