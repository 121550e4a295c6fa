"""The audit trail: tampering found at the right place, cut-off tails, secrets kept out."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from archive.access.actors import Actor
from archive.audit.trail import entry_hash, redact, verify_chain
from tests.records.conftest import AUDITOR, RITA, drop_trigger, file_document, outside_connection
from tests.values.cases import BSNS_IN_TEXT

ANNA = Actor("anna", "staff", address="10.0.0.7")


@pytest.fixture
def trail(records_archive):
    """An archive with 20 entries after the ones init wrote."""
    for number in range(20):
        records_archive.audit.record(ANNA, "search", details={"query": f"factuur {number}"})
    return records_archive


@pytest.fixture
def attacker(trail):
    """A raw connection of someone with direct database access who drops the append-only triggers."""
    with outside_connection(trail.config) as conn:
        drop_trigger(conn, "audit_log_no_update", "audit_log")
        drop_trigger(conn, "audit_log_no_delete", "audit_log")
        yield conn


def _report(archive) -> dict:
    return archive.records.verify_audit(AUDITOR)


def test_untouched_trail_verifies(trail) -> None:
    report = _report(trail)
    # Two checkpoints: when the home was opened first, and when it was initialised.
    assert report["ok"] and report["entries"] >= 20 and report["checkpoints"] == 2
    assert report["notes"] == [] and report["sealed"] == report["entries"]


def test_triggers_refuse_edits_and_deletions(trail) -> None:
    with outside_connection(trail.config) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 5")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit_log WHERE seq = 5")


def test_edited_entry_is_found_where_it_is(trail, attacker) -> None:
    conn = attacker
    conn.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = 12")
    [found] = _report(trail)["breaks"]
    assert (found["seq"], found["position"]) == (12, 12) and "changed" in found["reason"]


def test_edited_and_rehashed_entry_breaks_the_next_link(trail, attacker) -> None:
    conn = attacker
    row = dict(conn.execute("SELECT * FROM audit_log WHERE seq = 12").fetchone())
    row["actor"] = "nobody"
    conn.execute(
        "UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 12", ("nobody", entry_hash(row["prev_hash"], row))
    )
    [found] = _report(trail)["breaks"]
    assert found["seq"] == 13 and found["position"] == 13


def test_deleted_entry_is_named(trail, attacker) -> None:
    conn = attacker
    conn.execute("DELETE FROM audit_log WHERE seq = 8")
    report = _report(trail)
    [found] = report["breaks"]
    assert (found["seq"], found["position"]) == (9, 8) and "entry 8 was deleted" in found["reason"]
    assert not report["ok"] and "entry 9 (position 8)" in report["problems"][0]


def test_reordered_entries_are_found_at_the_first_moved_one(trail, attacker) -> None:
    conn = attacker
    a, b = (dict(conn.execute("SELECT * FROM audit_log WHERE seq = ?", (s,)).fetchone()) for s in (10, 11))
    conn.execute("DELETE FROM audit_log WHERE seq IN (10, 11)")
    for seq, row in ((10, b), (11, a)):
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, action, document_id, client_id, address, details,"
            " prev_hash, hash) VALUES (:seq, :at, :actor, :action, :document_id, :client_id,"
            " :address, :details, :prev_hash, :hash)",
            {**row, "seq": seq},
        )
    breaks = _report(trail)["breaks"]
    assert breaks[0]["position"] == 10 and breaks[0]["seq"] == 10


def test_inserted_entry_is_found_right_after_it(trail, attacker) -> None:
    conn = attacker
    rows = [dict(r) for r in conn.execute("SELECT * FROM audit_log WHERE seq >= 6 ORDER BY seq DESC")]
    for row in rows:  # make room at 6, as an attacker would
        conn.execute("UPDATE audit_log SET seq = seq + 1 WHERE seq = ?", (row["seq"],))
    before = conn.execute("SELECT hash FROM audit_log WHERE seq = 5").fetchone()[0]
    forged = {
        "seq": 6,
        "at": rows[-1]["at"],
        "actor": "anna",
        "action": "view",
        "document_id": None,
        "client_id": None,
        "address": None,
        "details": "{}",
        "prev_hash": before,
    }
    forged["hash"] = entry_hash(before, forged)
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, document_id, client_id, address, details,"
        " prev_hash, hash) VALUES (:seq, :at, :actor, :action, :document_id, :client_id,"
        " :address, :details, :prev_hash, :hash)",
        forged,
    )
    first = _report(trail)["breaks"][0]
    assert first["position"] == 7 and "inserted" in first["reason"]


def test_cut_off_tail_is_caught_by_the_checkpoint(trail, attacker) -> None:
    trail.records.checkpoint(AUDITOR)
    head = _report(trail)["head_seq"]
    conn = attacker
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (head - 4,))
    report = _report(trail)
    assert report["breaks"] == [] and not report["ok"]
    assert any("were cut off" in p for p in report["problems"])
    assert not trail.verify_all()["ok"]


def test_a_checkpoint_file_removed_or_forged_is_reported(trail) -> None:
    made = trail.records.checkpoint(AUDITOR)
    files = sorted(trail.records.checkpoint_folder.glob("*.json"))
    files[-1].chmod(0o600)
    data = json.loads(files[-1].read_text())
    files[-1].write_text(json.dumps({**data, "entries": made.entries + 5}))
    assert any("signature" in p for p in _report(trail)["problems"])
    files[-1].unlink()
    assert any("file is gone" in p for p in _report(trail)["problems"])


def test_checkpoint_if_due_is_daily(trail, clock) -> None:
    assert trail.records.checkpoint_if_due(clock.now()) is None  # init just wrote one
    clock.advance(hours=25)
    assert trail.records.checkpoint_if_due(clock.now()) is not None
    assert trail.records.checkpoint_if_due(clock.now()) is None


@pytest.mark.parametrize("text, shown", BSNS_IN_TEXT)
def test_a_bsn_however_written_never_reaches_the_trail(text, shown) -> None:
    assert redact({"query": text, "files": [text]}) == {"query": shown, "files": [shown]}


def test_bsn_and_secrets_never_reach_the_trail(records_archive) -> None:
    records_archive.audit.record(
        ANNA, "search", details={"query": "bsn 111222333 factuur 12345678", "password": "geheim", "token": "zwaardvis"}
    )
    [entry] = records_archive.records.audit_log(AUDITOR, actions=["search"])
    text = json.dumps(entry)
    assert "111222333" not in text and "*****2333" in text and "12345678" in text
    assert "geheim" not in text and "zwaardvis" not in text
    assert redact({"nested": ["123456782"]}) == {"nested": ["*****6782"]}


def test_verify_chain_on_plain_rows() -> None:
    rows, prev = [], "0" * 64
    for seq in range(1, 4):
        row = {
            "seq": seq,
            "at": "t",
            "actor": "a",
            "action": "x",
            "document_id": None,
            "client_id": None,
            "address": None,
            "details": "{}",
            "prev_hash": prev,
        }
        row["hash"] = prev = entry_hash(prev, row)
        rows.append(row)
    assert verify_chain(rows).ok and verify_chain(rows).head_seq == 3
    assert [b.position for b in verify_chain([rows[0], rows[2]]).breaks] == [2]


def test_tampered_original_is_reported_with_its_last_audit_entry(records_archive, tmp_path: Path) -> None:
    document = file_document(records_archive, tmp_path)
    records_archive.document(document, ANNA)
    path = records_archive.store.path_for(records_archive.document(document, RITA, audit=False).sha256)
    path.chmod(0o600)
    path.write_bytes(path.read_bytes() + b"%tampered")
    report = records_archive.verify_all()
    assert not report["ok"] and report["altered"] == [document]
    [detail] = report["fixity_problems"]
    assert detail["last_audit"]["action"] == "view" and detail["last_audit"]["actor"] == "anna"
    assert "view by anna" in report["problems"][0]


def test_fixity_if_due_is_daily(records_archive, clock) -> None:
    assert records_archive.records.fixity_if_due(clock.now()) is not None
    assert records_archive.records.fixity_if_due(clock.now()) is None
    clock.advance(days=1, seconds=1)
    assert records_archive.records.fixity_if_due(clock.now()) is not None


def test_reads_are_logged_fast_but_leave_the_connection_fully_durable(records_archive) -> None:
    if records_archive.config.on_server:
        pytest.skip("SQLite's synchronous setting; PostgreSQL relaxes one transaction with SET LOCAL")
    conn = records_archive.db.read()
    before = conn.execute("PRAGMA synchronous").fetchone()[0]
    seq = records_archive.audit.record(ANNA, "view", 1)
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == before == 2
    assert records_archive.audit.record(ANNA, "hold_add", 1) == seq + 1
    assert records_archive.audit.verify().ok


def test_a_vanished_key_is_reported_not_replaced(trail) -> None:
    trail.records.key_path.unlink()
    from archive.errors import IntegrityFailure

    with pytest.raises(IntegrityFailure):
        trail.records.checkpoint(AUDITOR)
    assert any("key" in p and "missing" in p for p in _report(trail)["problems"])


def test_daily_duties_run_once_a_day_and_in_a_thread(records_archive, clock) -> None:
    import threading

    clock.advance(days=1, minutes=1)
    assert records_archive.records.run_daily(clock.now())["fixity"] is True
    assert records_archive.records.run_daily(clock.now())["fixity"] is False
    clock.advance(days=1, minutes=1)
    stop = threading.Event()
    thread = records_archive.records.start_daily_duties(stop, every_seconds=0.01)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert records_archive.records.audit_log(AUDITOR, actions=["verify"])[-1]["at"].startswith("2026-03-04T09:02:00")


def test_fast_check_agrees_with_the_exact_one_on_awkward_values(records_archive) -> None:
    from archive.audit.trail import verify_bodies

    if not records_archive.db.dialect.has_chain_bodies:
        pytest.skip("only SQLite builds the chain's JSON bodies in SQL; PostgreSQL is checked the exact way")
    from storage import records_repo

    for text in ("é ü 中文 😀", 'quote " and \\ slash', "nl\nx\tt\x01\x1f\x7f", "\u2028", ""):
        records_archive.audit.record(Actor(text or "x", "staff", address=text), "search", details={"query": text})
    conn = records_archive.db.read()
    fast = records_archive.audit.verify()
    exact = verify_chain(records_repo.iter_chain(conn))
    assert fast.ok and exact.ok and (fast.entries, fast.head_hash) == (exact.entries, exact.head_hash)
    # A body written differently (not by SQLite) is judged on the exact encoding: no false alarm.
    respaced = [
        (seq, body.replace(",", ", "), prev, digest) for seq, body, prev, digest in records_repo.iter_chain_bodies(conn)
    ]
    assert verify_bodies(respaced, lambda seq: records_repo.audit_entry(conn, seq)).ok


def test_a_blob_put_in_by_hand_is_a_break_not_a_crash(trail, attacker) -> None:
    attacker.execute("UPDATE audit_log SET details = ? WHERE seq = 4", (b"\x00\x01",))
    [found] = _report(trail)["breaks"]
    assert (found["seq"], found["position"]) == (4, 4) and "changed" in found["reason"]


def test_hashes_and_keys_in_details_are_kept_whole(records_archive) -> None:
    # 64 hex digits holding a nine-digit run that passes the BSN 11-check.
    digest = "e" + "123456782" + "a" * 54
    records_archive.audit.record(ANNA, "search", details={"sha256": digest, "query": "bsn 123456782"})
    [entry] = records_archive.records.audit_log(AUDITOR, actions=["search"])[-1:]
    assert entry["details"]["sha256"] == digest and entry["details"]["query"] == "bsn *****6782"
