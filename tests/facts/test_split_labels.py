"""Label words OCR broke at a wide letter gap are joined again; other words are left as they are."""

import pytest

from ingest.facts.text import split_lines


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("Te beta len: 12,00", "Te betalen: 12,00"),
        ("Pay peri od 03-2024", "Pay period 03-2024"),
        ("Factuur datum 12-03-2024", "Factuurdatum 12-03-2024"),
        ("Fac tuur nummer 2024-001", "Factuurnummer 2024-001"),
        ("de beta van het bedrag", "de beta van het bedrag"),
        ("Een lange zin zonder enig label erin", "Een lange zin zonder enig label erin"),
    ],
)
def test_label_pieces_are_joined_and_nothing_else(printed: str, read: str) -> None:
    assert [line.text for line in split_lines([printed])] == [read]
