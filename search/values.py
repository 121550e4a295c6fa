"""How the search room reads the values people type and hides the numbers nobody may see.

Amounts (``amount:1.200``), dates (``date:12-03-2024``, ``date:maart 2024``), IBANs
typed in groups (``iban:NL91 ABNA …``) and citizen service numbers in snippets follow
rules the whole archive shares; their one home is outside this room, which imports no
other project package (the leaves are independent). So whoever opens the index hands
these readers in, as plain callables, and the query parser and the snippets use them —
never a rule of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ValueReaders:
    """The shared value rules the index is given when it is opened.

    ``amount`` and ``period`` raise ``ValueError`` for text they do not understand.
    """

    amount: Callable[[str], Decimal]  # "€ 1.234,56" -> Decimal("1234.56")
    period: Callable[[str], tuple[date, date]]  # "2024-03" -> (1 March, 31 March)
    mask: Callable[[str], str]  # text with every citizen service number masked
    iban: Callable[[str], str | None]  # "NL91 ABNA 0417 1643 00" -> "NL91ABNA0417164300"; None: not one
