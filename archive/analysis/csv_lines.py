"""The analysis as CSV: one line per number, ``figure,breakdown,value``.

A long table opens in any spreadsheet and keeps every figure, including the series
(breakdown = the day, week or month) and the per-clerk and per-channel ones
(breakdown = ``clerk=anna`` …).
"""

from __future__ import annotations

from collections.abc import Iterator

from archive.spreadsheets import csv_text

_SUMMARY_GROUPS = ("by_clerk", "by_channel")
_NESTED = ("arrival_to_filed_seconds", "arrival_to_reviewed_seconds", "review_queue", "searches", "retrieval")


def figure_rows(result: dict) -> Iterator[tuple[str, str, object]]:
    """Yield (figure, breakdown, value) for every number of an analysis result."""
    for key in ("filed", "pages", "auto_filed", "auto_filed_rate", "needed_review", "failed", "duplicates"):
        yield key, "", result[key]
    for key in _NESTED:
        for name, value in result[key].items():
            yield f"{key}.{name}", "", value
    for key in ("by_type", "corrected", "correction_rate", "failed_by_reason", "duplicates_by_channel"):
        for name, value in result[key].items():
            yield key, name, value
    ocr = result["ocr_confidence"]
    yield from (
        ("ocr_confidence.count", "", ocr["count"]),
        ("ocr_confidence.no_ocr", "", ocr["no_ocr"]),
        ("ocr_confidence.p50", "", ocr["p50"]),
    )
    for b in ocr["bins"]:
        yield "ocr_confidence.documents", f"{b['from']}-{b['to']}", b["count"]
    yield from _group_rows(result)
    for row in result["series"]:
        for name, value in row.items():
            if isinstance(value, dict):
                yield from ((f"{name}.{key}", row["period"], count) for key, count in value.items())
            elif name != "period":
                yield name, row["period"], value


def _group_rows(result: dict) -> Iterator[tuple[str, str, object]]:
    for group in _SUMMARY_GROUPS:
        kind = group.removeprefix("by_")
        for who, summary in result[group].items():
            for name, value in summary.items():
                if isinstance(value, dict):
                    for sub, subvalue in value.items():
                        yield f"{name}.{sub}" if name != "by_type" else f"by_type.{sub}", f"{kind}={who}", subvalue
                else:
                    yield name, f"{kind}={who}", value


def to_csv(result: dict) -> str:
    """Return the whole analysis as CSV text with a header line; empty cells where there is no value."""
    period = result["period"]
    rows = [("period", f"{period['since']}..{period['until']}", period["by"]), *figure_rows(result)]
    # Breakdowns carry user names and failure reasons: text a spreadsheet must not run.
    return csv_text(["figure", "breakdown", "value"], rows)
