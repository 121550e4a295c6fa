"""The one home of the value rules: amounts, dates and citizen service numbers (BSN).

Every place a person types or a document prints one of these goes through here: fact
extraction reads printed ones, and the archive reads the typed ones of its forms,
command-line options, audit and analysis filters, and masks BSNs in its audit trail,
log lines and file names. The search room may not import ``ingest`` (the leaves are
independent), so the archive hands these same functions to the search index when it
opens it (``search.ValueReaders``), and ``date:``/``amount:`` queries and snippets read
and mask values by exactly this rule too.

It lives in ``ingest`` because that is the lowest room every caller may reach without
a new top-level package: ``archive`` imports it directly, extraction sits beside it.
Pure functions only; a value that is not understood raises a ``ValueNotUnderstood``
(a ``ValueError``) for the caller to word in its own language.
"""

from ingest.values.amounts import Amount, find_amounts, format_amount, parse_amount, read_number, stored_amount
from ingest.values.bsn import FoundBsn, find_bsns, mask_bsn, mask_bsns, parse_bsn, valid_bsn
from ingest.values.dates import FoundDate, find_dates, parse_date, parse_period, write_date
from ingest.values.errors import NotABsn, NotADate, NotAnAmount, ValueNotUnderstood

__all__ = [
    "Amount",
    "FoundBsn",
    "FoundDate",
    "NotABsn",
    "NotADate",
    "NotAnAmount",
    "ValueNotUnderstood",
    "find_amounts",
    "find_bsns",
    "find_dates",
    "format_amount",
    "mask_bsn",
    "mask_bsns",
    "parse_amount",
    "parse_bsn",
    "parse_date",
    "parse_period",
    "read_number",
    "stored_amount",
    "valid_bsn",
    "write_date",
]
