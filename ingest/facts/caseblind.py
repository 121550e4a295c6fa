"""Case-blind word patterns, searched quickly in the ASCII lines that most documents consist of.

Python's ``re.IGNORECASE`` tries every alternative of a pattern at every position of
a line; a pattern of lower-case words searched without it in the lower-cased line skips
ahead to where one can start, several times faster. On ASCII text with an ASCII-only
(or ASCII-blind) pattern both find exactly the same places: an ASCII letter has one
other case, and lowering changes nothing else. Any other line is searched as written.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\.")


class CaseBlind:
    """A pattern of lower-case text that matches whatever the case (only whether, not where)."""

    def __init__(self, pattern: str) -> None:
        """Raise ValueError for a pattern the quick way would read otherwise than IGNORECASE does."""
        check_lower_case(pattern)
        self._as_written = re.compile(pattern, re.IGNORECASE)
        self._lowered = re.compile(pattern)

    @property
    def pattern(self) -> str:
        return self._as_written.pattern

    def found(self, text: str) -> bool:
        """True when the pattern occurs in `text`, in any case (pure)."""
        if text.isascii():
            return self._lowered.search(text.lower()) is not None
        return self._as_written.search(text) is not None


def check_lower_case(pattern: str) -> None:
    """Refuse upper-case letters (outside escapes such as \\S) and characters that match ASCII case-blind.

    Either would make the lowered search differ from IGNORECASE: "K" never matches a
    lowered line, and the Kelvin sign or a long s matches an ASCII letter case-blind.
    """
    bare = _ESCAPE.sub("", pattern)
    if any("A" <= ch <= "Z" for ch in bare):
        raise ValueError(f"write case-blind patterns in lower case: {pattern!r}")
    for ch in {ch for ch in bare if not ch.isascii()}:
        if any(re.fullmatch(re.escape(ch), chr(code), re.IGNORECASE) for code in range(128)):
            raise ValueError(f"{ch!r} matches an ASCII letter case-blind: {pattern!r}")
