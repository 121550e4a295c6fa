"""Property: whatever the order of filing, holds, releases, type changes and disposals,
no held or not-yet-due document is ever destroyed, and the audit chain always verifies."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.clock import FixedClock
from archive.config import load_config
from archive.errors import Conflict, InvalidInput
from archive.records.retention import compute_retention, is_due
from storage import documents_repo
from tests.records.conftest import AUDITOR, RITA, START, file_document

TYPES = ("invoice", "letter", "contract")
CLIENTS = (None, "A", "B")

operation = st.one_of(
    st.tuples(st.just("file"), st.sampled_from(TYPES[:2]), st.integers(0, 12), st.sampled_from(CLIENTS)),
    st.tuples(st.just("hold_document"), st.integers(0, 20)),
    st.tuples(st.just("hold_client"), st.sampled_from(CLIENTS[1:])),
    st.tuples(st.just("release"), st.integers(0, 20)),
    st.tuples(st.just("retype"), st.integers(0, 20), st.sampled_from(TYPES)),
    st.tuples(st.just("advance"), st.integers(0, 6)),
    st.tuples(
        st.just("dispose"),
    ),
)


class Model:
    """What the archive should hold, kept independently of it."""

    def __init__(self, archive, clock: FixedClock, folder: Path) -> None:
        self.archive, self.clock, self.folder = archive, clock, folder
        self.documents: dict[int, dict] = {}  # id -> type, date, client, state
        self.holds: dict[int, tuple[str, object]] = {}  # hold id -> ("document", id) | ("client", id)

    def held(self, document_id: int) -> bool:
        client = self.documents[document_id]["client"]
        return any(t == ("document", document_id) or (client and t == ("client", client)) for t in self.holds.values())

    def due(self, document_id: int) -> bool:
        doc = self.documents[document_id]
        decision = compute_retention(doc["type"], doc["date"], START.date(), self.archive.config.records.retention)
        return is_due(decision.until, self.clock.now().date())

    def pick(self, index: int, pool: list) -> object | None:
        return pool[index % len(pool)] if pool else None

    def apply(self, op: tuple) -> None:
        getattr(self, f"_{op[0]}")(*op[1:])
        self.clock.advance(minutes=1)

    def _file(self, kind: str, years_back: int, client: str | None) -> None:
        when = date(self.clock.now().year - years_back, 3, 1)
        document = file_document(self.archive, self.folder, kind, when, client_id=client)
        self.documents[document] = {"type": kind, "date": when, "client": client, "state": "filed"}

    def _hold_document(self, index: int) -> None:
        document = self.pick(index, sorted(self.documents))
        if document is None:
            return
        try:
            hold = self.archive.records.place_hold(RITA, "zaak", document_id=document)
        except Conflict:
            assert self.documents[document]["state"] == "disposed"
            return
        self.holds[hold.id] = ("document", document)

    def _hold_client(self, client: str) -> None:
        try:
            hold = self.archive.records.place_hold(RITA, "zaak", client_id=client)
        except InvalidInput:
            assert all(d["client"] != client for d in self.documents.values())
            return
        self.holds[hold.id] = ("client", client)

    def _release(self, index: int) -> None:
        hold_id = self.pick(index, sorted(self.holds))
        if hold_id is not None:
            self.archive.records.release_hold(RITA, "klaar", hold_id=hold_id)
            del self.holds[hold_id]

    def _retype(self, index: int, kind: str) -> None:
        document = self.pick(index, [d for d in sorted(self.documents) if self.documents[d]["state"] == "filed"])
        if document is not None:
            with self.archive.db.atomic() as conn:
                documents_repo.update_document(conn, document, document_type=kind)
            self.documents[document]["type"] = kind

    def _advance(self, years: int) -> None:
        self.clock.advance(days=365 * years)

    def _dispose(self) -> None:
        filed = [d for d, doc in self.documents.items() if doc["state"] == "filed"]
        expected = sorted(d for d in filed if self.due(d) and not self.held(d))
        result = self.archive.records.dispose(RITA, approve=True)
        assert sorted(result.destroyed) == expected
        for document in result.destroyed:
            self.documents[document]["state"] = "disposed"
            assert not self.archive.store.has(self.archive.document(document, RITA, audit=False).sha256)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=9))
def test_no_held_or_undue_document_is_ever_destroyed(operations: list[tuple]) -> None:
    from archive.service import Archive

    with tempfile.TemporaryDirectory() as temp:
        base = load_config(home=Path(temp) / "home")
        config = dataclasses.replace(base, ocr=dataclasses.replace(base.ocr, workers=1))
        clock = FixedClock(START)
        folder = Path(temp) / "in"
        folder.mkdir()
        with Archive.open(config, clock=clock, create=True) as archive:
            archive.initialise()
            model = Model(archive, clock, folder)
            for op in operations:
                model.apply(op)
                assert archive.audit.verify().ok
            for document, doc in model.documents.items():
                assert archive.document(document, RITA, audit=False).state == doc["state"]
            assert archive.records.verify_audit(AUDITOR)["ok"]
