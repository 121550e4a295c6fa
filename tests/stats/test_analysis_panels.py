"""The Analysis page's panels: the same numbers as the result, in the reader's notation."""

from __future__ import annotations

from datetime import date, datetime, timezone

from archive.analysis.figures import Filing, History, compute
from archive.analysis.period import Period
from web.analysis_panels import Numbers, headline, panels

NOW = datetime(2026, 11, 10, tzinfo=timezone.utc)


def result() -> dict:
    filings = [
        Filing(
            1,
            1,
            "2026-11-02T09:01:30.000000Z",
            "2026-11-02T09:00:00.000000Z",
            "anna",
            "upload",
            2,
            "invoice",
            91.5,
            False,
        )
    ]
    history = History(
        filings=filings,
        changes=[],
        reviews=[],
        failures=[],
        duplicates=[],
        searches=[],
        opened_from_search=[],
        view_days=[],
        queue_size=0,
        queue_oldest=None,
    )
    return compute(history, Period(date(2026, 11, 1), date(2026, 11, 3), "day"), NOW)


def test_dutch_and_english_notation():
    nl, en = Numbers("nl"), Numbers("en")
    assert (nl.number(1.5), en.number(1.5), nl.share(0.1667), en.share(0.1667)) == ("1,5", "1.5", "16,7 %", "16.7 %")
    assert (nl.duration(90), nl.duration(150), nl.duration(7200), en.duration(None)) == ("90 s", "2,5 min", "2 h", "–")


def test_every_panel_has_a_definition_and_a_table_with_the_result_numbers():
    shown = panels(result(), "nl", {"invoice": "Factuur"})
    assert all(panel["definition"] and panel["head"] for panel in shown)
    filed = next(panel for panel in shown if panel["id"] == "filed")
    assert filed["head"][:4] == ["Periode", "Gearchiveerd", "Pagina's", "Factuur"]
    assert filed["rows"][1][:4] == ["2026-11-02", 1, 2, 1]
    assert "Factuur" in filed["svg"]


def test_headline_in_english():
    figures = dict(headline(result(), "en"))
    assert figures["Filed"] == "1 (2 pages)" and figures["p50 / p90"] == "90 s / 90 s"
    assert figures["Filed automatically"] == "100 %"
