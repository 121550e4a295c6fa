"""Label words OCR broke at a wide letter gap are joined again; other words are left as they are."""

import pytest

from ingest.facts.amounts import choose_amount
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


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("Totuul: 2.080,27", "Totaal: 2.080,27"),  # a→u twice, as a fax reads them
        ("Levendutum: 25 mei 2021", "Leverdatum: 25 mei 2021"),
        ("Toraat ve betalen: €5.419,21", "Totaal ve betalen: €5.419,21"),
    ],
)
def test_a_label_word_with_two_letters_a_fax_confuses_is_that_label(printed: str, read: str) -> None:
    assert [line.text for line in split_lines([printed])] == [read]


@pytest.mark.parametrize(
    "printed",
    [
        "Totxyl: 2.080,27",  # two letters off that no print turns into the label's
        "Lindelaan 3, Bakker",
        "Onderhoud cv-ketel",
    ],
)
def test_a_word_two_unrelated_letters_off_a_label_stays_itself(printed: str) -> None:
    assert [line.text for line in split_lines([printed])] == [printed]


def test_a_faxed_total_label_beats_the_amount_before_tax() -> None:
    printed = (
        "Consult 2 EUR 17,11 € 34,22\nBedrag excl. BTW 4.478,00\nBtw hoog 21%: €940,52\nToraat ve betalen: €5.419,21"
    )
    lines = split_lines([printed])
    choice = choose_amount(lines, "invoice")
    assert choice is not None and str(choice.amount.value) == "5419.21"


def test_lines_read_again_come_out_the_same_and_a_new_slip_is_still_fixed() -> None:
    # Words already seen unchanged are not looked at again: a line of them stays as it is,
    # and a misread label word beside them is still read as its label.
    page = "Geachte mevrouw Jansen,\nHierbij ontvangt u de  rekening\u00a0van\tmaart"
    first = split_lines([page])
    assert split_lines([page]) == first
    assert [line.text for line in first] == ["Geachte mevrouw Jansen,", "Hierbij ontvangt u de rekening van", "maart"]
    assert [line.text for line in split_lines(["Geachte mevrouw Jansen, Totuul: 12,00"])] == [
        "Geachte mevrouw Jansen, Totaal: 12,00"
    ]
