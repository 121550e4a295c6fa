"""Server-side SVG charts: bars and lines that read at a glance, no JavaScript.

Pure functions returning an SVG string. Every chart carries a ``<title>`` and a
``<desc>`` for screen readers (``role="img"``), every bar and point its own
``<title>`` with the exact number; values are printed on the bars when they fit.
Lines differ by dash pattern as well as by colour, so they survive grey print.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from html import escape

Formatter = Callable[[float], str]

WIDTH, HEIGHT = 640, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 16, 16, 44
_BAR = "#2f6f9f"
# Okabe-Ito: told apart by people with any common colour-vision deficiency.
_STACK = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#555555")
_LINE_STYLES = (("#1f5f8f", ""), ("#c05a00", "6 4"), ("#4b7f3a", "2 3"))
# Presentation attributes, not style="": the pages' Content-Security-Policy forbids inline styles.
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def plain_number(value: float) -> str:
    """Return an integer without decimals, any other number with at most two."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def duration_unit(longest_seconds: float) -> tuple[float, str]:
    """Return (seconds per unit, unit) that keeps durations up to this one readable: s, min, h or d."""
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if longest_seconds >= 2 * size:
            return size, unit
    return 1, "s"


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Return round axis ticks from 0 to at least ``top`` (steps of 1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and top >= 1:
        step = 1
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _svg(title: str, desc: str, body: list[str], height: int = HEIGHT) -> str:
    ident = f"c{zlib.crc32((title + desc).encode()):08x}"  # stable ids: same data, same SVG
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}t {ident}d" class="chart" {_FONT}>'
        f'<title id="{ident}t">{escape(title)}</title><desc id="{ident}d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _axis(ticks: list[float], scale: Callable[[float], float], fmt: Formatter) -> list[str]:
    parts = []
    for tick in ticks:
        y = scale(tick)
        parts.append(f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{escape(fmt(tick))}</text>')
    return parts


def _x_labels(labels: Sequence[str], centre: Callable[[int], float]) -> list[str]:
    # Long series: label every n-th bucket so labels never overlap.
    every = max(1, math.ceil(len(labels) / 12))
    base = HEIGHT - _BOTTOM + 16
    return [
        f'<text x="{centre(i):.1f}" y="{base}" text-anchor="middle" fill="#333">{escape(_short(label))}</text>'
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def _short(label: str) -> str:
    # "2026-11-02" -> "11-02": the year is in the period heading.
    return label[5:] if len(label) == 10 and label[4] == "-" else label


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], desc: str = "", fmt: Formatter = plain_number
) -> str:
    """Return a vertical bar chart (one bar per label) as SVG."""
    ticks = nice_ticks(max(values, default=0))
    plot_h = HEIGHT - _TOP - _BOTTOM
    scale = lambda v: _TOP + plot_h * (1 - v / ticks[-1])  # noqa: E731
    slot = (WIDTH - _LEFT - _RIGHT) / max(len(values), 1)
    bar_w = max(2.0, slot * 0.7)
    body = _axis(ticks, scale, fmt)
    for i, (label, value) in enumerate(zip(labels, values)):
        x, y = _LEFT + i * slot + (slot - bar_w) / 2, scale(value)
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{scale(0) - y:.1f}" '
            f'fill="{_BAR}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
        )
        if value and bar_w >= 14:
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" fill="#111">'
                f"{escape(fmt(value))}</text>"
            )
    body += _x_labels(labels, lambda i: _LEFT + i * slot + slot / 2)
    return _svg(title, desc or _describe(labels, values, fmt), body)


def stacked_bar_chart(
    title: str,
    labels: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[float]]],
    desc: str = "",
    fmt: Formatter = plain_number,
) -> str:
    """Return vertical bars split into coloured parts (e.g. documents per day by type) with a legend."""
    totals = [sum(values[i] for _, values in stacks) for i in range(len(labels))]
    ticks = nice_ticks(max(totals, default=0))
    plot_h = HEIGHT - _TOP - _BOTTOM
    scale = lambda v: _TOP + plot_h * (1 - v / ticks[-1])  # noqa: E731
    slot = (WIDTH - _LEFT - _RIGHT) / max(len(labels), 1)
    bar_w = max(2.0, slot * 0.7)
    body = _axis(ticks, scale, fmt)
    for i, label in enumerate(labels):
        x, base = _LEFT + i * slot + (slot - bar_w) / 2, 0.0
        for n, (name, values) in enumerate(stacks):
            if values[i]:
                top, bottom = scale(base + values[i]), scale(base)
                body.append(
                    f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w:.1f}" height="{bottom - top:.1f}" '
                    f'fill="{_STACK[n % len(_STACK)]}"><title>{escape(label)}, {escape(name)}: '
                    f"{escape(fmt(values[i]))}</title></rect>"
                )
                base += values[i]
        if totals[i] and bar_w >= 14:
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{scale(totals[i]) - 3:.1f}" text-anchor="middle" '
                f'fill="#111">{escape(fmt(totals[i]))}</text>'
            )
    body += _x_labels(labels, lambda i: _LEFT + i * slot + slot / 2)
    body += [_swatch(n, name) for n, (name, _) in enumerate(stacks)]
    return _svg(title, desc or _describe_lines(labels, stacks, fmt), body)


def _swatch(n: int, name: str) -> str:
    x = _LEFT + 8 + n * 110
    return (
        f'<rect x="{x}" y="{HEIGHT - 15}" width="12" height="12" fill="{_STACK[n % len(_STACK)]}"/>'
        f'<text x="{x + 17}" y="{HEIGHT - 4}" fill="#333">{escape(_clip(name, 14))}</text>'
    )


def hbar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    desc: str = "",
    fmt: Formatter = plain_number,
    top: float | None = None,
) -> str:
    """Return a horizontal bar chart (categories down the side, e.g. clerks or reasons) as SVG."""
    row, label_w = 24, 200
    height = _TOP + row * max(len(values), 1) + 8
    biggest = top if top is not None else max(values, default=0) or 1
    room = WIDTH - label_w - _RIGHT - 60
    body = []
    for i, (label, value) in enumerate(zip(labels, values)):
        y, w = _TOP + i * row, room * (value / biggest if biggest else 0)
        body.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="#333">{escape(_clip(label))}</text>')
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{_BAR}">'
            f"<title>{escape(label)}: {escape(fmt(value))}</title></rect>"
        )
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" fill="#111">{escape(fmt(value))}</text>')
    return _svg(title, desc or _describe(labels, values, fmt), body, height)


def _clip(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    desc: str = "",
    fmt: Formatter = plain_number,
) -> str:
    """Return a line chart, one line per (name, values) with a legend; gaps where a value is None."""
    known = [v for _, values in series for v in values if v is not None]
    ticks = nice_ticks(max(known, default=0))
    plot_h = HEIGHT - _TOP - _BOTTOM
    scale = lambda v: _TOP + plot_h * (1 - v / ticks[-1])  # noqa: E731
    # Points sit in the middle of their slot, as bars do: the edge labels stay inside the chart.
    slot = (WIDTH - _LEFT - _RIGHT) / max(len(labels), 1)
    x_of = lambda i: _LEFT + i * slot + slot / 2  # noqa: E731
    body = _axis(ticks, scale, fmt)
    for n, (name, values) in enumerate(series):
        colour, dash = _LINE_STYLES[n % len(_LINE_STYLES)]
        body += _polyline(values, x_of, scale, colour, dash, name, labels, fmt)
        body.append(_legend(n, name, colour, dash))
    body += _x_labels(labels, x_of)
    return _svg(title, desc or _describe_lines(labels, series, fmt), body)


def _polyline(values, x_of, scale, colour: str, dash: str, name: str, labels, fmt: Formatter) -> list[str]:
    parts: list[str] = []
    run: list[str] = []
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    for i, value in enumerate(list(values) + [None]):
        if value is None:
            if len(run) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dashed} points="{" ".join(run)}"/>'
                )
            run = []
            continue
        x, y = x_of(i), scale(value)
        run.append(f"{x:.1f},{y:.1f}")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
            f"<title>{escape(name)}, {escape(labels[i])}: {escape(fmt(value))}</title></circle>"
        )
    return parts


def _legend(n: int, name: str, colour: str, dash: str) -> str:
    x = _LEFT + 8 + n * 150
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x}" x2="{x + 24}" y1="{HEIGHT - 8}" y2="{HEIGHT - 8}" stroke="{colour}" '
        f'stroke-width="2"{dashed}/><text x="{x + 30}" y="{HEIGHT - 4}" fill="#333">{escape(name)}</text>'
    )


def _describe(labels: Sequence[str], values: Sequence[float], fmt: Formatter) -> str:
    return "; ".join(f"{label}: {fmt(value)}" for label, value in zip(labels, values)) or "-"


def _describe_lines(labels, series, fmt: Formatter) -> str:
    return " | ".join(
        f"{name}: " + "; ".join(f"{label} {fmt(v)}" for label, v in zip(labels, values) if v is not None)
        for name, values in series
    )
