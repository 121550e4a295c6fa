"""Dutch and English notation of dates, times and amounts; the catalogue."""

from __future__ import annotations

from datetime import date

from web.i18n import NL, format_amount, format_date, format_datetime, format_size, translate


def test_dates():
    assert format_date("2024-03-12", "nl") == "12 maart 2024"
    assert format_date(date(2024, 3, 12), "en") == "12 March 2024"
    assert format_date(None, "nl") == ""


def test_times_are_shown_in_dutch_local_time():
    assert format_datetime("2024-07-01T12:05:00.000000Z", "nl") == "1 juli 2024 14:05"
    assert format_datetime("2024-01-01T12:05:00Z", "en") == "1 January 2024 13:05"


def test_amounts():
    assert format_amount("1234.56", "nl") == "€ 1.234,56"
    assert format_amount("1234567.5", "nl") == "€ 1.234.567,50"
    assert format_amount("-99", "nl") == "-€ 99,00"
    assert format_amount("1234.56", "en") == "€1,234.56"
    assert format_amount("10", "nl", "USD") == "USD 10,00"
    assert format_amount(None, "nl") == ""


def test_sizes():
    assert format_size(1536, "nl") == "1,5 kB" and format_size(1536, "en") == "1.5 kB"


def test_translation_with_values_and_fallback():
    assert translate("nl", "filed as #{id}", id=7) == "gearchiveerd als #7"
    assert translate("en", "filed as #{id}", id=7) == "filed as #7"
    assert translate("nl", "No such text in the catalogue") == "No such text in the catalogue"
    assert all("{" not in key or set(_fields(key)) == set(_fields(value)) for key, value in NL.items())


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_every_query_mistake_has_a_dutch_sentence():
    """The search's error templates, read from its source, each have a Dutch entry with the same blanks."""
    import ast
    import re
    from pathlib import Path

    templates = []
    for module in (Path(__file__).resolve().parents[2] / "search").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "QuerySyntaxError" and node.args:
                templates.append(ast.literal_eval(node.args[0]))
    assert len(templates) >= 15
    for template in templates:
        assert template in NL, template
        assert set(re.findall(r"{(\w+)}", NL[template])) == set(re.findall(r"{(\w+)}", template))
