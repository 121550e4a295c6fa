"""Page text rebuilt from Tesseract's word boxes (pure)."""

from __future__ import annotations

from ingest.layout import Word, layout_text, mean_confidence, reading_order_text, words_from_tsv


def word(text: str, left: int, top: int, block: int, line: int = 1, width: int | None = None) -> Word:
    return Word(text, left, top, width or 12 * len(text), 20, 90.0, block, 1, line)


# Tesseract read a two-column table as two blocks: first every label, then every value.
TABLE = (
    word("Subtotaal", 100, 500, 1, 1),
    word("Btw", 100, 530, 1, 2),
    word("Totaal", 100, 560, 1, 3),
    word("€", 900, 501, 2, 1),
    word("100,00", 920, 501, 2, 1),
    word("€", 900, 531, 2, 2),
    word("21,00", 920, 531, 2, 2),
    word("€", 900, 559, 2, 3),
    word("121,00", 920, 559, 2, 3),
)


def test_labels_and_values_of_a_table_are_put_back_side_by_side() -> None:
    assert reading_order_text(TABLE).splitlines()[:3] == ["Subtotaal", "Btw", "Totaal"]
    assert layout_text(TABLE).splitlines() == ["Subtotaal   € 100,00", "Btw   € 21,00", "Totaal   € 121,00"]


def test_a_wide_gap_between_words_of_one_line_is_a_column_gap_and_a_narrow_one_a_space() -> None:
    words = (
        word("Factuurnummer:", 100, 100, 1, width=150),
        word("F-2024-12", 600, 100, 1),
        word("Datum", 100, 130, 1, 2),
        word("12-03-2024", 175, 130, 1, 2),
    )
    assert layout_text(words).splitlines() == ["Factuurnummer:   F-2024-12", "Datum 12-03-2024"]


def test_a_wide_vertical_gap_is_a_blank_line() -> None:
    words = (word("Bakkerij", 100, 100, 1), word("Aan:", 100, 300, 2), word("Jansen", 160, 300, 2))
    assert layout_text(words) == "Bakkerij\n\nAan: Jansen"


def test_letterhead_on_the_right_and_address_on_the_left_stay_apart() -> None:
    words = (word("J.", 100, 300, 2), word("Jansen", 130, 300, 2), word("Kantoorhuis", 1200, 302, 1))
    assert layout_text(words) == "J. Jansen   Kantoorhuis"


def test_tsv_rows_become_words_and_malformed_rows_are_skipped() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t91.5\tTotaal\n"
        "5\t1\t1\t1\t1\t2\tx\t20\t30\t12\t91.5\tkapot\n"
        "5\t1\t1\t1\t1\t3\t50\t20\t30\t12\t-1\t \n"
    )
    words = words_from_tsv(tsv)
    assert words == (Word("Totaal", 10, 20, 30, 12, 91.5, 1, 1, 1),)
    assert mean_confidence(words) == 91.5
    assert layout_text(()) == "" and mean_confidence(()) is None
