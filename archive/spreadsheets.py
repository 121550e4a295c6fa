"""CSV that is safe to open in a spreadsheet: no cell is ever run as a formula.

An audit trail and the analysis carry text people typed (a log-in name, a search, a
file name). A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a
tab or carriage return before one) as a formula — ``=cmd|' /c calc'!a0`` typed at
the log-in form would run on the auditor's machine. Such text is written with a
leading apostrophe, which spreadsheets show as plain text; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """Return a CSV cell's value: text a spreadsheet would run as a formula made inert; others as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Iterable[object], rows: Iterable[Iterable[object]], lineterminator: str = "\r\n") -> str:
    """Return a header and rows as CSV text with every cell made safe (``safe_cell``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
