"""Turn an analysis result into the Analysis page's panels: chart, definition, table.

Pure: a result dict and a language in, plain dicts with SVG strings out. Every
panel's table holds the same numbers as its chart.
"""

from __future__ import annotations

from collections.abc import Mapping

from archive.errors import Message
from web.analysis_text import text_for
from web.charts import bar_chart, duration_unit, hbar_chart, line_chart, plain_number, stacked_bar_chart
from web.i18n import sentence


class Numbers:
    """Number, share and duration notation of one language (Dutch: decimal comma)."""

    def __init__(self, language: str) -> None:
        self.comma = language == "nl"

    def number(self, value: float | None) -> str:
        if value is None:
            return "–"
        text = plain_number(value)
        return text.replace(".", ",") if self.comma else text

    def share(self, value: float | None) -> str:
        return "–" if value is None else self.number(round(value * 100, 1)) + " %"

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return "–"
        size, unit = duration_unit(seconds)
        return f"{self.number(round(seconds / size, 1))} {unit}"


def headline(result: dict, language: str) -> list[tuple[str, str]]:
    """Return the key figures shown above the charts as (label, value)."""
    t, n = text_for(language), Numbers(language)
    queue, searches = result["review_queue"], result["searches"]
    times = result["arrival_to_filed_seconds"]
    return [
        (t["filed"], f"{result['filed']} ({result['pages']} {t['pages'].lower()})"),
        ("p50 / p90", f"{n.duration(times['p50'])} / {n.duration(times['p90'])}"),
        (t["auto_filed"], n.share(result["auto_filed_rate"])),
        (t["review_queue"], f"{queue['size']} ({t['oldest']} {n.duration(queue['oldest_age_seconds'])})"),
        (t["failed"], str(result["failed"])),
        (t["duplicates"], str(result["duplicates"])),
        (t["searches"], f"{searches['total']} ({n.share(searches['opened_rate'])} {t['opened']})"),
        (t["per_visit"], n.number(result["retrieval"]["documents_per_visit_day"])),
    ]


def panels(result: dict, language: str, type_labels: Mapping[str, str] | None = None) -> list[dict]:
    """Return every panel of the page in reading order; document types shown by their labels."""
    t, n = text_for(language), Numbers(language)
    types = {"unknown": t["unknown"], **(type_labels or {})}
    return [
        _filed(result, t, n, types),
        _times(result, t, n),
        _by_type(result, t, n, types),
        _by(result, t, n, "by_clerk", "clerk"),
        _by(result, t, n, "by_channel", "channel"),
        _corrections(result, t, n),
        _failed(result, t, n),
        _ocr(result, t, n),
        _searches(result, t, n),
        _queue(result, t, n),
        _retrieval(result, t, n),
    ]


def _panel(key: str, title: str, svg: str | None, definition: str, head: list[str], rows: list[list]) -> dict:
    return {"id": key, "title": title, "svg": svg, "definition": definition, "head": head, "rows": rows}


def _filed(result: dict, t: dict, n: Numbers, types: Mapping[str, str]) -> dict:
    series, by = result["series"], t[result["period"]["by"]]
    labels = [row["period"] for row in series]
    kinds = sorted(result["by_type"], key=lambda kind: -result["by_type"][kind])  # biggest part at the bottom
    title = t["filed_chart"].format(by=by)
    stacks = [(types.get(kind, kind), [row["by_type"].get(kind, 0) for row in series]) for kind in kinds]
    svg = (
        stacked_bar_chart(title, labels, stacks, fmt=n.number) if kinds else bar_chart(title, labels, [0] * len(labels))
    )
    rows = [
        [
            row["period"],
            row["filed"],
            row["pages"],
            *(row["by_type"].get(kind, 0) for kind in kinds),
            row["reviewed"],
            row["corrections"],
            row["duplicates"],
        ]
        for row in series
    ]
    head = [
        t["period"],
        t["filed"],
        t["pages"],
        *(types.get(kind, kind) for kind in kinds),
        t["reviewed"],
        t["corrected"],
        t["duplicates"],
    ]
    return _panel("filed", title, svg, t["def_filed"] + " " + t["def_type"], head, rows)


def _times(result: dict, t: dict, n: Numbers) -> dict:
    series = result["series"]
    longest = max([row["arrival_to_filed_p90"] or 0 for row in series], default=0)
    size, unit = duration_unit(longest)
    scaled = lambda key: [None if row[key] is None else row[key] / size for row in series]  # noqa: E731
    title = t["time_chart"].format(unit=unit)
    svg = line_chart(
        title,
        [row["period"] for row in series],
        [("p50", scaled("arrival_to_filed_p50")), ("p90", scaled("arrival_to_filed_p90"))],
        fmt=lambda v: n.number(round(v, 1)),
    )
    reviewed = result["arrival_to_reviewed_seconds"]
    rows = [
        [row["period"], row["filed"], n.duration(row["arrival_to_filed_p50"]), n.duration(row["arrival_to_filed_p90"])]
        for row in series
    ]
    rows.append([t["review_time"], reviewed["count"], n.duration(reviewed["p50"]), n.duration(reviewed["p90"])])
    definition = t["def_time"] + " " + t["review_time"] + ": " + t["def_review"]
    return _panel("times", title, svg, definition, [t["period"], t["count"], "p50", "p90"], rows)


def _by_type(result: dict, t: dict, n: Numbers, types: Mapping[str, str]) -> dict:
    groups = result["by_type"]
    labels, values = [types.get(code, code) for code in groups], list(groups.values())
    title = t["type_chart"]
    return _panel(
        "by_type",
        title,
        hbar_chart(title, labels, values, fmt=n.number),
        t["def_type"],
        [t["type"], t["filed"]],
        [[label, value] for label, value in zip(labels, values)],
    )


def _by(result: dict, t: dict, n: Numbers, key: str, kind: str) -> dict:
    groups = result[key]
    title = t[f"{kind}_chart"]
    labels, values = list(groups), [g["filed"] for g in groups.values()]
    rows = [
        [
            name,
            g["filed"],
            g["pages"],
            n.duration(g["arrival_to_filed_seconds"]["p50"]),
            n.duration(g["arrival_to_filed_seconds"]["p90"]),
            n.share(g["auto_filed_rate"]),
        ]
        + ([g["reviewed"]] if kind == "clerk" else [])
        for name, g in groups.items()
    ]
    head = [t[kind], t["filed"], t["pages"], "p50", "p90", t["auto_filed"]] + (
        [t["reviewed"]] if kind == "clerk" else []
    )
    return _panel(key, title, hbar_chart(title, labels, values, fmt=n.number), t[f"def_{kind}"], head, rows)


def _corrections(result: dict, t: dict, n: Numbers) -> dict:
    rates = result["correction_rate"]
    labels = [t.get(fact, fact) for fact in rates]
    title = t["correction_chart"]
    svg = hbar_chart(title, labels, [v or 0 for v in rates.values()], fmt=n.share, top=1)
    rows = [[label, result["corrected"][fact], n.share(rates[fact])] for label, fact in zip(labels, rates)]
    rows.insert(0, [t["auto_filed"], result["auto_filed"], n.share(result["auto_filed_rate"])])
    return _panel(
        "corrections", title, svg, t["def_auto"] + " " + t["def_corrections"], [t["fact"], t["count"], t["rate"]], rows
    )


def _failed(result: dict, t: dict, n: Numbers) -> dict:
    # Each reason in the page's language; one from an older release without its message, as stored.
    groups = result["failed_reasons"]
    labels, counts = [_worded(group) for group in groups], [group["count"] for group in groups]
    title = t["failed_chart"]
    svg = hbar_chart(title, labels, counts, fmt=n.number) if groups else None
    rows = [[label, count] for label, count in zip(labels, counts)]
    rows += [[t["duplicates"] + f" ({channel})", count] for channel, count in result["duplicates_by_channel"].items()]
    return _panel("failed", title, svg, t["def_failed"] + " " + t["def_duplicates"], [t["reason"], t["count"]], rows)


def _ocr(result: dict, t: dict, n: Numbers) -> dict:
    ocr = result["ocr_confidence"]
    labels = [f"{b['from']}–{b['to']}" for b in ocr["bins"]]
    title = t["ocr_chart"]
    svg = bar_chart(title, labels, [b["count"] for b in ocr["bins"]], fmt=n.number)
    rows = [[label, b["count"]] for label, b in zip(labels, ocr["bins"])]
    rows += [[t["no_ocr"], ocr["no_ocr"]], ["p50", n.number(ocr["p50"])]]
    return _panel("ocr", title, svg, t["def_ocr"], [t["bin"], t["count"]], rows)


def _searches(result: dict, t: dict, n: Numbers) -> dict:
    series, searches = result["series"], result["searches"]
    title = t["search_chart"].format(by=t[result["period"]["by"]])
    svg = line_chart(
        title,
        [row["period"] for row in series],
        [
            (t["searches"], [row["searches"] for row in series]),
            (t["opened"], [row["searches_opened"] for row in series]),
        ],
        fmt=n.number,
    )
    rows = [[row["period"], row["searches"], row["searches_opened"], row["views"]] for row in series]
    rows.append(
        [
            t["per_day"],
            n.number(searches["per_day"]),
            n.share(searches["opened_rate"]),
            f"{t['zero_results']}: {searches['zero_results']}",
        ]
    )
    return _panel(
        "searches", title, svg, t["def_searches"], [t["period"], t["searches"], t["opened"], t["views"]], rows
    )


def _queue(result: dict, t: dict, n: Numbers) -> dict:
    queue = result["review_queue"]
    rows = [[t["review_queue"], queue["size"]], [t["oldest"], n.duration(queue["oldest_age_seconds"])]]
    return _panel("queue", t["review_queue"], None, t["def_queue"], [t["review_queue"], t["count"]], rows)


def _retrieval(result: dict, t: dict, n: Numbers) -> dict:
    r = result["retrieval"]
    rows = [
        [t["views"], r["views"]],
        [t["visit_days"], r["visit_days"]],
        [t["documents_viewed"], r["documents_viewed"]],
        [t["per_visit"], n.number(r["documents_per_visit_day"])],
    ]
    return _panel("retrieval", t["retrieval"], None, t["def_retrieval"], [t["retrieval"], t["count"]], rows)


def _worded(group: dict) -> str:
    message = Message.from_json(group["message"])
    return sentence(message) if message else group["reason"]
