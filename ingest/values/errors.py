"""Why a value a person typed was not understood.

    ValueNotUnderstood (a ValueError)
     ├── NotAnAmount
     ├── NotADate
     └── NotABsn

Each carries the text as typed; the room that asked for the value words the sentence
(the archive in the office's language, the search room in its query help), so these
errors hold no sentence of their own beyond a plain one for logs and tests.
"""

from __future__ import annotations


class ValueNotUnderstood(ValueError):
    """``text`` is not a value of the kind asked for."""

    kind = "value"

    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is not a {self.kind}")
        self.text = text


class NotAnAmount(ValueNotUnderstood):
    kind = "amount"


class NotADate(ValueNotUnderstood):
    kind = "date"


class NotABsn(ValueNotUnderstood):
    kind = "citizen service number"
