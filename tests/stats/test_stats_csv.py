"""The analysis as CSV: every number on its own line, none lost."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

from archive.analysis.csv_lines import figure_rows, to_csv
from archive.analysis.figures import History, ViewDay, compute
from archive.analysis.period import Period

NOW = datetime(2026, 11, 10, tzinfo=timezone.utc)


def result() -> dict:
    history = History(
        filings=[],
        changes=[],
        reviews=[],
        failures=[],
        duplicates=[],
        searches=[],
        opened_from_search=[],
        view_days=[ViewDay("2026-11-02", 4, 2, 3)],
        queue_size=2,
        queue_oldest="2026-11-09T00:00:00.000000Z",
    )
    return compute(history, Period(date(2026, 11, 1), date(2026, 11, 3), "day"), NOW)


def test_every_figure_is_a_line_and_empty_values_are_empty_cells():
    rows = list(csv.reader(io.StringIO(to_csv(result()))))
    assert rows[:2] == [["figure", "breakdown", "value"], ["period", "2026-11-01..2026-11-03", "day"]]
    assert ["review_queue.size", "", "2"] in rows and ["review_queue.oldest_age_seconds", "", "86400.0"] in rows
    assert ["auto_filed_rate", "", ""] in rows  # nothing filed: no rate, not zero
    assert ["views", "2026-11-02", "4"] in rows and ["retrieval.documents_per_visit_day", "", "1.5"] in rows
    assert ["ocr_confidence.documents", "90-100", "0"] in rows


def test_no_value_is_a_nested_structure():
    assert all(not isinstance(value, (dict, list)) for _, _, value in figure_rows(result()))
