"""Retention dates (pure): the rule's start, events, leap days, when a document is due."""

from __future__ import annotations

from datetime import date

from archive.config import RetentionRule
from archive.records.retention import compute_retention, describe_rule, is_due, latest_events, schedule_fingerprint

SCHEDULE = {
    "invoice": RetentionRule(7, "end_of_year", citation="art. 52 AWR"),
    "medical_record": RetentionRule(20, "document_date"),
    "id_copy": RetentionRule(5, "event", event="employment_ended"),
    "dossier": RetentionRule(20, "last_change", citation="art. 7:454 BW"),
}


def test_fiscal_rule_runs_from_the_end_of_the_book_year() -> None:
    decision = compute_retention("invoice", date(2019, 3, 14), date(2026, 1, 1), SCHEDULE)
    assert decision.until == date(2026, 12, 31) and decision.rule == "invoice"


def test_document_date_rule_and_leap_day() -> None:
    assert compute_retention("medical_record", date(2004, 2, 29), date(2026, 1, 1), SCHEDULE).until == date(2024, 2, 29)
    odd = {"x": RetentionRule(21, "document_date")}
    assert compute_retention("x", date(2004, 2, 29), date(2026, 1, 1), odd).until == date(2025, 2, 28)


def test_without_a_date_the_day_received_counts() -> None:
    assert compute_retention("invoice", None, date(2026, 5, 1), SCHEDULE).until == date(2033, 12, 31)


def test_event_rule_waits_for_the_event_then_runs_from_its_year_end() -> None:
    waiting = compute_retention("id_copy", date(2020, 1, 1), date(2020, 1, 2), SCHEDULE)
    assert waiting.until is None and waiting.pending_event == "employment_ended"
    ended = compute_retention(
        "id_copy", date(2020, 1, 1), date(2020, 1, 2), SCHEDULE, {"employment_ended": date(2025, 5, 31)}
    )
    assert ended.until == date(2030, 12, 31)


def test_unknown_type_is_kept_without_end() -> None:
    assert compute_retention("poem", date(2000, 1, 1), date(2000, 1, 1), SCHEDULE).until is None


def test_due_only_after_the_retention_date() -> None:
    assert not is_due("2026-12-31", date(2026, 12, 31))
    assert is_due("2026-12-31", date(2027, 1, 1))
    assert not is_due(None, date(2999, 1, 1))


def test_latest_event_wins() -> None:
    events = latest_events([("employment_ended", "2020-01-31"), ("employment_ended", "2024-06-30")])
    assert events == {"employment_ended": date(2024, 6, 30)}


def test_fingerprint_changes_with_the_schedule_only() -> None:
    same = dict(SCHEDULE)
    changed = {**SCHEDULE, "invoice": RetentionRule(10, "end_of_year")}
    assert schedule_fingerprint(SCHEDULE) == schedule_fingerprint(same) != schedule_fingerprint(changed)


def test_rule_in_words_names_the_citation() -> None:
    assert describe_rule("invoice", SCHEDULE) == "7 years from the end of the year of the document date (art. 52 AWR)"
    assert "no retention rule" in describe_rule(None, SCHEDULE)


def test_last_change_rule_runs_from_the_dossier_change_not_the_paper_date() -> None:
    decision = compute_retention(
        "dossier", date(1990, 1, 1), date(2026, 3, 2), SCHEDULE, dossier_changed=date(2027, 6, 30)
    )
    assert decision.until == date(2047, 6, 30) and decision.rule == "dossier"
    # Without a recorded change, the day the document arrived (never before it).
    assert compute_retention("dossier", date(1990, 1, 1), date(2026, 3, 2), SCHEDULE).until == date(2046, 3, 2)
    assert compute_retention(
        "dossier", None, date(2026, 3, 2), SCHEDULE, dossier_changed=date(2001, 1, 1)
    ).until == date(2046, 3, 2)
    assert describe_rule("dossier", SCHEDULE) == "20 years from the last change of the client's dossier (art. 7:454 BW)"
