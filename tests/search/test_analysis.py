"""Dutch/English analysis: folding, stemming, stop words, language of a body."""

from __future__ import annotations

from search.analysis import detect_language, fold, language_analyzer, stems, text_analyzer


def texts(analyzer, value: str) -> list[str]:
    return [token.text for token in analyzer(value)]


def test_fold_removes_accents_and_case():
    assert fold("Café Één Über coöperatie") == "cafe een uber cooperatie"


def test_dutch_plural_and_singular_share_a_stem():
    assert stems("rekeningen")[0] == stems("rekening")[0]
    assert stems("overeenkomsten")[0] == stems("overeenkomst")[0]


def test_english_stem_is_offered_when_it_differs():
    assert stems("invoices") == ("invoices", "invoic")
    assert stems("invoice")[-1] == "invoic"


def test_body_analyzer_stems_in_one_language_and_drops_stop_words():
    assert texts(language_analyzer("nl"), "De rekeningen van het Café") == ["reken", "caf"]
    assert texts(language_analyzer("en"), "The invoices of the café") == ["invoic", "cafe"]


def test_short_fields_get_both_stems_at_the_same_position():
    tokens = [(t.text, t.pos) for t in text_analyzer()("Invoices Jansen", positions=True)]
    assert tokens == [("invoices", 0), ("invoic", 0), ("jans", 1), ("jansen", 1)]


def test_positions_skip_stop_words_consistently():
    positions = [t.pos for t in language_analyzer("nl")("met de vriendelijke groet", positions=True)]
    assert positions == [0, 1]


def test_codes_keep_their_digits():
    assert texts(language_analyzer("nl"), "F2024-0012 bedrag 3.141") == ["f2024", "0012", "bedrag", "3.141"]


def test_detect_language():
    assert detect_language("Geachte heer, hierbij sturen wij u de factuur voor de maand maart.") == "nl"
    assert detect_language("Dear Sir, please find attached the invoice for the month of March.") == "en"
    assert detect_language("") == "nl"
