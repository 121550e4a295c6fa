"""Migration 0007: every analysis question reads its own partial index, with the same answers."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from archive.access.actors import Actor
from archive.audit.trail import AuditTrail
from archive.clock import FixedClock
from storage import stats_repo
from storage.database import Database
from tests.stats.conftest import moment

START, END = "2026-11-01T00:00:00.000000Z", "2026-11-08T00:00:00.000000Z"
TOM = Actor("tom", "staff")


@pytest.fixture
def db(tmp_path):
    database = Database.open(tmp_path / "indexes.sqlite3")
    yield database
    database.close()


@pytest.mark.parametrize(
    ("question", "index"),
    [
        ("filings", "audit_analysis_filed"),
        ("changes", "audit_analysis_changes"),
        ("search_days", "audit_analysis_search_days"),
        ("search_days", "audit_analysis_opened"),
        ("search_days", "audit_analysis_searches_by_user"),
        ("reviews", "audit_analysis_reviews"),
        ("view_days", "audit_analysis_view_days"),
        ("failures", "audit_analysis_failures"),
        ("duplicates", "audit_analysis_duplicates"),
    ],
)
def test_each_question_reads_its_index(seeded_db, question, index):
    # An index on an expression serves only the same expression: this breaks if the two drift apart.
    plan = stats_repo.query_plans(seeded_db.read(), START, END)[question]
    assert f"INDEX {index} " in plan


def test_views_are_counted_per_day_from_the_index(db):
    clock = FixedClock(moment(2, 9))
    trail = AuditTrail(db, clock)
    views = [  # (moment, document, client)
        (moment(2, 9), 1, "K-1"),
        (moment(2, 10), 1, "K-1"),
        (moment(2, 11), 2, "K-1"),  # K-1: 2 documents
        (moment(2, 12), 3, "K-2"),
        (moment(2, 13), 4, ""),
        (moment(2, 14), None, "K-3"),  # "" is no client
        (moment(3, 9), 1, "K-1"),
        (moment(7, 23, 59, 59), 5, "K-4"),
        (datetime(2026, 11, 8, 0, 0, tzinfo=timezone.utc), 6, "K-5"),  # after the period
    ]
    for when, document_id, client in views:
        clock.moment = when
        trail.record(TOM, "view", document_id, client_id=client)
    rows = sorted(stats_repo.view_days(db.read(), START, END))
    # day, views, client visit-days (K-1, K-2, K-3), documents viewed at a client's visit (K-3's has none)
    assert rows == [("2026-11-02", 6, 3, 3), ("2026-11-03", 1, 1, 1), ("2026-11-07", 1, 1, 1)]


def test_other_entries_are_kept_out_of_the_partial_indexes(db):
    trail = AuditTrail(db, FixedClock(moment(2, 9)))
    trail.record(TOM, "view", 1, client_id="K-1", details={"from_search": True})
    trail.record(TOM, "view", 2, client_id="K-1", details={"from_search": False})
    trail.record(TOM, "login")
    opened = "action = 'view' AND json_valid(details) AND json_extract(details, '$.from_search')"
    count = "SELECT count(*) FROM audit_log INDEXED BY {} WHERE {}"
    counts = {
        name: db.read().execute(count.format(name, where)).fetchone()[0]
        for name, where in (("audit_analysis_opened", opened), ("audit_analysis_view_days", "action = 'view'"))
    }
    assert counts == {"audit_analysis_opened": 1, "audit_analysis_view_days": 2}


def test_searches_are_counted_per_day_with_those_that_led_to_opening_a_result(db):
    clock = FixedClock(moment(2, 9))
    trail = AuditTrail(db, clock)

    def at(day: int, hour: int, minute: int, actor: Actor, action: str, **details) -> None:
        clock.moment = moment(day, hour, minute)
        trail.record(actor, action, 1 if action == "view" else None, details=details or None)

    sara = Actor("sara", "staff")
    at(2, 9, 0, TOM, "view", from_search=True)  # no search before it: leads nowhere
    at(2, 9, 1, TOM, "search", query="a", total=3)
    at(2, 9, 2, TOM, "search", query="b", total=0)
    at(2, 9, 3, sara, "view", from_search=True)  # sara has not searched: not tom's
    at(2, 9, 4, TOM, "view", from_search=True)  # opens from "b", the last search before it
    at(2, 9, 5, TOM, "view", from_search=True)  # still "b": counted once
    at(2, 9, 6, TOM, "view")  # not from a result list
    at(3, 9, 0, TOM, "search", query="c")  # no total recorded: nothing found
    at(3, 9, 1, sara, "search", query="d", total=1)
    at(3, 9, 2, TOM, "view", from_search=True)  # from "c"
    at(7, 23, 59, sara, "search", query="e", total=2)  # opened only after the period: not counted
    clock.moment = datetime(2026, 11, 8, 0, 1, tzinfo=timezone.utc)
    trail.record(sara, "view", 1, details={"from_search": True})
    rows = sorted(stats_repo.search_days(db.read(), START, END))
    # day, searches, with no results, after which a result was opened
    assert rows == [("2026-11-02", 2, 1, 1), ("2026-11-03", 2, 1, 1), ("2026-11-07", 1, 0, 0)]


def test_details_that_are_not_json_stay_writable_and_out_of_the_analysis(tmp_path):
    # Never written by the archive; a hand edit (which `archive audit verify` reports) must not make
    # the trail unwritable, the migration fail on an old trail, or the analysis fail as a whole.
    path = tmp_path / "edited.sqlite3"
    db = Database.open(path)
    clock = FixedClock(moment(2, 9))
    trail = AuditTrail(db, clock)
    for action in ("file", "view", "search", "change", "ingest_failed", "duplicate"):
        trail.record(TOM, action, 1, details={"from_search": True, "pages": 1})
    db.close()
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET details = ? WHERE action != 'view'", (b"\x00\x01",))
    raw.execute("UPDATE audit_log SET details = 'not json' WHERE action = 'view'")
    raw.execute("DELETE FROM schema_migrations WHERE number = 7")
    for name in [row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE name LIKE 'audit_analysis_%'")]:
        raw.execute(f"DROP INDEX {name}")
    raw.close()
    db = Database.open(path)  # the analysis indexes are built again over the edited entries
    conn = db.read()
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'audit_analysis_%'").fetchone()[0] == 9
    assert stats_repo.filings(conn, START, END) == [] and stats_repo.changes_since(conn, START) == []
    assert stats_repo.entries(conn, "failures", START, END) == stats_repo.entries(conn, "duplicates", START, END) == []
    assert stats_repo.search_days(conn, START, END) == []
    assert stats_repo.view_days(conn, START, END) == [("2026-11-02", 1, 0, 0)]  # a view is counted without its details
    db.close()
