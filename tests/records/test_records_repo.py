"""The records tables and their guards, at the SQL level (an SQLite file and a PostgreSQL database)."""

from __future__ import annotations

import sqlite3

import pytest

from storage import documents_repo
from storage import records_repo as repo
from storage.engines import open_database


@pytest.fixture
def db(config):
    config.home.mkdir(parents=True)  # the SQLite file's folder; a server database needs none
    database = open_database(config.database_target)
    with database.atomic() as conn:
        for number, client in ((1, "C1"), (2, "C2")):
            documents_repo.insert_received(
                conn,
                {
                    "sha256": f"{number:064d}",
                    "size": 10,
                    "mime_type": "application/pdf",
                    "original_filename": f"{number}.pdf",
                    "source": None,
                    "channel": "cli",
                    "hinted": "{}",
                    "created_by": "system",
                    "created_at": "2026-01-01T00:00:00Z",
                },
            )
            documents_repo.update_document(
                conn, number, state="filed", client_id=client, retention_until="2020-12-31", retention_rule="invoice"
            )
    yield database
    database.close()


def _hold(conn, document_id=None, client_id=None) -> int:
    return repo.insert_hold(
        conn,
        {
            "document_id": document_id,
            "client_id": client_id,
            "reason": "r",
            "case_reference": None,
            "placed_by": "rita",
            "placed_at": "t",
        },
    )


def test_client_hold_covers_only_that_clients_documents(db) -> None:
    with db.atomic() as conn:
        hold = _hold(conn, client_id="C1")
    conn = db.read()
    assert repo.held_document_ids(conn) == {1} and repo.is_held(conn, 1) and not repo.is_held(conn, 2)
    with db.atomic() as conn:
        assert repo.release_hold(conn, hold, "rita", "t2", "klaar")
        assert not repo.release_hold(conn, hold, "rita", "t3", "nogmaals")
    assert repo.held_document_ids(db.read()) == set()


def test_a_hold_must_name_exactly_one_target(db) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        with db.atomic() as conn:
            _hold(conn, document_id=1, client_id="C1")


def test_disposed_is_final_and_needs_a_retention_date(db) -> None:
    with db.atomic() as conn:
        repo.mark_disposed(conn, 1, "t")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be restored"):
        with db.atomic() as conn:
            documents_repo.update_document(conn, 1, state="filed")
    with db.atomic() as conn:
        documents_repo.update_document(conn, 2, retention_until=None)
    with pytest.raises(sqlite3.IntegrityError, match="no retention date"):
        with db.atomic() as conn:
            repo.mark_disposed(conn, 2, "t")


def test_evidence_tables_refuse_changes(db) -> None:
    stone = {
        "document_id": 1,
        "sha256": "x",
        "size": 1,
        "original_filename": "1.pdf",
        "mime_type": None,
        "document_type": "invoice",
        "client_id": "C1",
        "document_date": None,
        "created_at": "t",
        "filed_at": None,
        "retention_until": "2020-12-31",
        "retention_rule": "invoice",
        "citation": None,
        "approved_by": '["rita"]',
        "disposed_at": "t",
    }
    with db.atomic() as conn:
        repo.insert_tombstone(conn, stone)
        repo.set_bytes_destroyed(conn, 1, "t2")
        repo.insert_checkpoint(
            conn, {"at": "t", "entries": 1, "head_seq": 1, "head_hash": "h", "signature": "s", "file": "f"}
        )
    for statement in (
        "DELETE FROM tombstones",
        "UPDATE tombstones SET approved_by = '[]'",
        "DELETE FROM checkpoints",
        "UPDATE checkpoints SET entries = 9",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="kept for good"):
            with db.atomic() as conn:
                conn.execute(statement)
    assert repo.get_tombstone(db.read(), 1)["bytes_destroyed_at"] == "t2"
