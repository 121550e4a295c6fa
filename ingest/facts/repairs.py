"""Identifiers misread by OCR, repaired only where exactly one reading is confirmed.

OCR confuses look-alike characters (``0/O``, ``1/l/I``, ``5/S``, ``8/B``, ``2/Z``) and
now and then reads one digit as another. A misread number is taken for a registered
client's only when the registry holds exactly one identifier it can be a misreading of:

- look-alike characters: the printed value and the registered one are the same once
  each look-alike is written as its digit (``K-1OO23`` for ``K-10023``);
- one wrong digit: only for identifiers whose check digits show the printed value is
  wrong (IBAN mod 97, BSN 11-check, VAT id); a value that passes its check is another
  client's number, or nobody's, never a misreading.

When two registered numbers explain the same misreading, nothing is repaired.
"""

from __future__ import annotations

import re
from typing import Iterable

from ingest.facts.identifiers import compact, valid_bsn, valid_iban, valid_vat

# Every look-alike written as one character; the letters of an identifier's fixed
# prefix ("NL", "K-") stay letters because they are compared the same way.
_LOOK_ALIKES = str.maketrans("OoDQIl|!iSsBZzGg", "0000111115582266")
_CHECKED = {"iban": valid_iban, "bsn": valid_bsn, "vat": valid_vat}


def look_alike_key(text: str) -> str:
    """The identifier with separators dropped and every look-alike written as its digit (pure)."""
    return re.sub(r"[\s.\-_/]", "", text).translate(_LOOK_ALIKES).upper()


def _one_digit_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


class RepairIndex:
    """Registered identifiers by their look-alike key, for confirming repairs (pure, built once)."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        """`entries`: (kind, registered value, client id)."""
        # Plain dicts: the registry (and this index with it) is pickled to reading workers.
        self._by_key: dict[tuple[str, str], set[str]] = {}
        self._values: dict[str, dict[str, set[str]]] = {}
        for kind, value, client_id in entries:
            self._by_key.setdefault((kind, look_alike_key(value)), set()).add(client_id)
            self._values.setdefault(kind, {}).setdefault(compact(value), set()).add(client_id)

    def repair(self, kind: str, printed: str) -> str | None:
        """The one client whose registered `kind` number the printed value is a misreading of, else None."""
        key = look_alike_key(printed)
        found = self._by_key.get((kind, key), set())
        if found:
            return next(iter(found)) if len(found) == 1 else None
        check = _CHECKED.get(kind)
        if check is None or check(printed) is not None:
            return None  # no check digit, or the printed number is valid as it is: someone else's
        near = {
            cid
            for value, ids in self._values.get(kind, {}).items()
            if _one_digit_off(look_alike_key(value), key)
            for cid in ids
        }
        return next(iter(near)) if len(near) == 1 else None
