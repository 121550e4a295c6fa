"""The separator sheet's QR text."""

from __future__ import annotations

import pytest

from ingest.stacks import Separator, decode_separator, encode_separator


@pytest.mark.parametrize(
    "separator",
    [
        Separator(),
        Separator("K-10023"),
        Separator("K-10023", "invoice", "2024-03-12"),
        Separator(None, "letter"),
        Separator("Müller & Zn/12", None, None),
    ],
)
def test_roundtrip(separator):
    text = encode_separator(separator)
    assert text.startswith("FOA-SEP:1")
    assert decode_separator(text) == separator


def test_other_codes_are_not_separators():
    assert decode_separator("https://example.org/?client=K-1") is None
    assert decode_separator("FOA-SEP:2?client=K-1") is None  # a newer sheet this version cannot read
    assert decode_separator("PATCHT") == Separator()
    assert decode_separator("FOA-SEP:1?client=K-1&colour=red") == Separator("K-1")


def test_unprintable_values_are_refused():
    with pytest.raises(ValueError):
        encode_separator(Separator("K" * 65))
    with pytest.raises(ValueError):
        encode_separator(Separator("K-1\n"))
