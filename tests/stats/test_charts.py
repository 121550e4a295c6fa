"""SVG charts: well-formed, accessible, and drawn to scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from web.charts import (
    bar_chart,
    duration_unit,
    hbar_chart,
    line_chart,
    nice_ticks,
    plain_number,
    stacked_bar_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_is_accessible_and_to_scale():
    root = parse(bar_chart("Gearchiveerd per dag", ["2026-11-02", "2026-11-03", "2026-11-04"], [4, 2, 0]))
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Gearchiveerd per dag"
    assert root.find("svg:desc", NS).text == "2026-11-02: 4; 2026-11-03: 2; 2026-11-04: 0"
    bars = root.findall("svg:rect", NS)
    assert [bar.find("svg:title", NS).text for bar in bars] == ["2026-11-02: 4", "2026-11-03: 2", "2026-11-04: 0"]
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[0] == pytest.approx(2 * heights[1]) and heights[2] == 0
    # the number is printed on the bar; the x labels drop the year
    texts = [t.text for t in root.findall("svg:text", NS)]
    assert "4" in texts and "11-02" in texts


def test_no_inline_styles_so_the_content_security_policy_allows_them():
    svg = bar_chart("x", ["a"], [1]) + hbar_chart("x", ["a"], [1]) + line_chart("x", ["a"], [("p", [1])])
    assert "style=" not in svg and "<script" not in svg


def test_titles_and_labels_are_escaped():
    svg = bar_chart("<script>", ["a&b"], [1])
    assert "<script>" not in svg and "a&amp;b" in svg
    parse(svg)


def test_stacked_bars_add_up_and_name_each_part():
    root = parse(stacked_bar_chart("Per soort", ["d1", "d2"], [("Factuur", [2, 0]), ("Brief", [1, 3])]))
    parts = root.findall("svg:rect[svg:title]", NS)
    assert [p.find("svg:title", NS).text for p in parts] == ["d1, Factuur: 2", "d1, Brief: 1", "d2, Brief: 3"]
    heights = [float(p.get("height")) for p in parts]
    assert heights[0] + heights[1] == pytest.approx(heights[2], abs=0.2)  # 2 + 1 stacked as high as 3
    assert [t.text for t in root.findall("svg:text", NS) if t.text in ("3", "Factuur", "Brief")].count("3") >= 2
    legend = [t.text for t in root.findall("svg:text", NS)][-2:]
    assert legend == ["Factuur", "Brief"]


def test_hbar_chart_lists_each_category_with_its_value():
    root = parse(hbar_chart("Mislukt per reden", ["The file is empty.", "Not a PDF"], [3, 1]))
    bars = root.findall("svg:rect", NS)
    assert float(bars[0].get("width")) == pytest.approx(3 * float(bars[1].get("width")), abs=0.2)
    assert [t.text for t in root.findall("svg:text", NS)] == ["The file is empty.", "3", "Not a PDF", "1"]


def test_line_chart_breaks_at_missing_values_and_tells_lines_apart_without_colour():
    root = parse(
        line_chart("Tijd tot archiveren", ["d1", "d2", "d3", "d4"], [("p50", [1, 2, None, 4]), ("p90", [2, 3, 5, 6])])
    )
    lines = root.findall("svg:polyline", NS)
    assert len(lines) == 2  # p50: only d1-d2 is a line (d4 stands alone); p90: one line
    assert lines[0].get("stroke-dasharray") is None and lines[1].get("stroke-dasharray")
    points = [c.find("svg:title", NS).text for c in root.findall("svg:circle", NS)]
    assert "p50, d4: 4" in points and len(points) == 7


def test_empty_charts_still_draw():
    for svg in (bar_chart("x", [], []), hbar_chart("x", [], []), line_chart("x", [], [("a", [])])):
        assert parse(svg).find("svg:title", NS).text == "x"


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (0, [0, 1]),
        (4, [0, 1, 2, 3, 4]),
        (7, [0, 2, 4, 6, 8]),
        (95.5, [0, 50, 100]),
        (0.3, [0, 0.1, 0.2, 0.3]),
    ],
)
def test_nice_ticks(top, ticks):
    assert nice_ticks(top) == ticks


def test_plain_numbers_and_duration_units():
    assert (plain_number(3.0), plain_number(0.3333), plain_number(1.5)) == ("3", "0.33", "1.5")
    assert duration_unit(30) == (1, "s") and duration_unit(300) == (60, "min")
    assert duration_unit(4 * 3600) == (3600, "h") and duration_unit(3 * 86400) == (86400, "d")
