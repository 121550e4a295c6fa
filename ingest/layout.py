"""Tesseract's words with their boxes, and the page text rebuilt from where they stand.

Tesseract reads a page block by block: a two-column table comes out as all its labels
and then all its values, and a label far left of its value ("Totaal ........ € 12,50")
may land in another block. Rebuilding the lines from the word boxes puts each label
back beside its value; a wide gap between two words on one printed line is kept as a
run of spaces, which the fact finders read as a column boundary (as in text laid out
like the page by a PDF's own text layer).
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from typing import Iterable, Sequence

# A gap wider than this many word heights between two words on one printed line is a
# column boundary (a label and its value in a table), not a space in a sentence.
COLUMN_GAP_HEIGHTS = 2.2
# Rows whose vertical gap exceeds this many word heights are separate blocks (a blank line).
BLOCK_GAP_HEIGHTS = 1.1
_COLUMN = "   "


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: its text, box (pixels), confidence 0-100 and line key."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    block: int = 0
    paragraph: int = 0
    line: int = 0

    @property
    def right(self) -> int:
        """The x of the word's right edge."""
        return self.left + self.width

    @property
    def bottom(self) -> int:
        """The y of the word's bottom edge."""
        return self.top + self.height

    @property
    def middle(self) -> float:
        """The y of the word's vertical centre."""
        return self.top + self.height / 2


def words_from_tsv(tsv: str) -> tuple[Word, ...]:
    """Return the words of Tesseract's TSV output in its reading order (pure)."""
    words: list[Word] = []
    reader = csv.DictReader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            words.append(
                Word(
                    text,
                    int(row["left"]),
                    int(row["top"]),
                    int(row["width"]),
                    int(row["height"]),
                    float(row.get("conf") or -1),
                    int(row["block_num"]),
                    int(row["par_num"]),
                    int(row["line_num"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue  # a malformed row: the other words still count
    return tuple(words)


def mean_confidence(words: Sequence[Word]) -> float | None:
    """The mean word confidence, None when no word has one."""
    values = [word.confidence for word in words if word.confidence >= 0]
    return sum(values) / len(values) if values else None


def reading_order_text(words: Sequence[Word]) -> str:
    """The text in Tesseract's own order: its lines, a blank line between paragraphs."""
    parts: list[str] = []
    previous: tuple[int, int] | None = None
    current: tuple[int, int, int] | None = None
    for word in words:
        key = (word.block, word.paragraph, word.line)
        if key != current:
            if previous is not None and previous != key[:2]:
                parts.append("")
            parts.append(word.text)
            current, previous = key, key[:2]
        else:
            parts[-1] += " " + word.text
    return "\n".join(parts)


@dataclass
class _Segment:
    """The words of one Tesseract line, in order."""

    words: list[Word]

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return self.words[-1].right

    @property
    def top(self) -> int:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> int:
        return max(word.bottom for word in self.words)

    @property
    def middle(self) -> float:
        return statistics.median(word.middle for word in self.words)


def layout_text(words: Sequence[Word]) -> str:
    """The page text with its printed lines rebuilt from the word boxes (pure).

    Tesseract's lines that stand at the same height become one line, left to right,
    separated by a column gap; a wide vertical gap becomes a blank line.
    """
    if not words:
        return ""
    height = _typical_height(words)
    segments = _segments(words)
    rows = _rows(segments, height, _slope(segments, height))
    out: list[str] = []
    previous_bottom: int | None = None
    for row in rows:
        top = min(segment.top for segment in row)
        if previous_bottom is not None and top - previous_bottom > BLOCK_GAP_HEIGHTS * height:
            out.append("")
        out.append(_row_text(row, height))
        previous_bottom = max(segment.bottom for segment in row)
    return "\n".join(out)


def _typical_height(words: Iterable[Word]) -> float:
    """The median height of words with letters or digits (punctuation boxes are tiny)."""
    heights = [word.height for word in words if any(ch.isalnum() for ch in word.text) and word.height > 0]
    return float(statistics.median(heights)) if heights else 10.0


def _segments(words: Sequence[Word]) -> list[_Segment]:
    segments: dict[tuple[int, int, int], _Segment] = {}
    for word in words:
        key = (word.block, word.paragraph, word.line)
        if key in segments:
            segments[key].words.append(word)
        else:
            segments[key] = _Segment([word])
    for segment in segments.values():
        segment.words.sort(key=lambda word: word.left)
    return list(segments.values())


def _slope(segments: list[_Segment], height: float) -> float:
    """How much the printed lines rise or fall per pixel across (a skewed scan), from Tesseract's own lines."""
    slopes = []
    for segment in segments:
        first, last = segment.words[0], segment.words[-1]
        span = last.left - first.left
        if len(segment.words) >= 2 and span > 4 * height:
            slopes.append((last.middle - first.middle) / span)
    return float(statistics.median(slopes)) if len(slopes) >= 3 else 0.0


def _rows(segments: list[_Segment], height: float, slope: float = 0.0) -> list[list[_Segment]]:
    """Group segments standing at the same height (and not overlapping) into rows, top to bottom.

    Heights are compared along the page's skew: on a scan turned one degree the far end of
    a line stands half a line lower than its start.
    """
    rows: list[list[_Segment]] = []
    middles: list[float] = []
    level = {id(s): s.middle - slope * s.left for s in segments}
    for segment in sorted(segments, key=lambda s: level[id(s)]):
        placed = False
        for index in range(len(rows) - 1, max(len(rows) - 4, -1), -1):
            if abs(middles[index] - level[id(segment)]) <= 0.5 * height and not any(
                _overlap(segment, other) for other in rows[index]
            ):
                rows[index].append(segment)
                placed = True
                break
        if not placed:
            rows.append([segment])
            middles.append(level[id(segment)])
    for row in rows:
        row.sort(key=lambda s: s.left)
    return rows


def _overlap(a: _Segment, b: _Segment) -> bool:
    return a.left < b.right and b.left < a.right


def _row_text(row: list[_Segment], height: float) -> str:
    parts: list[str] = []
    last_right: int | None = None
    for segment in row:
        for word in segment.words:
            if last_right is not None:
                parts.append(_COLUMN if word.left - last_right > COLUMN_GAP_HEIGHTS * height else " ")
            parts.append(word.text)
            last_right = word.right
    return "".join(parts)
