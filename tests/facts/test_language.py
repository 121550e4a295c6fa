"""The language of a document from its common words."""

from __future__ import annotations

from ingest.facts.language import detect_language


def test_a_dutch_letter_is_dutch() -> None:
    guess = detect_language(["Geachte heer Jansen,\nWij hebben uw aanvraag ontvangen en sturen u de factuur."])
    assert guess is not None and guess.language == "nl" and guess.confidence > 0.8


def test_an_english_invoice_is_english() -> None:
    guess = detect_language(
        ["INVOICE\nInvoice number: 2024-12\nTotal amount due: € 1,234.56\nPlease pay within 14 days."]
    )
    assert guess is not None and guess.language == "en"


def test_a_dutch_receipt_with_english_card_words_stays_dutch() -> None:
    guess = detect_language(["ALBERT HEIJN\nTotaal 12,50\nBetaald met PIN\nContactless VISA\nBedankt voor uw aankoop"])
    assert guess is not None and guess.language == "nl"


def test_numbers_alone_have_no_language() -> None:
    assert detect_language(["12-03-2024\n€ 12,50\nNL91 ABNA 0417 1643 00"]) is None


def test_a_tie_gives_the_office_language() -> None:
    guess = detect_language(["de the van of een and"], default="nl")
    assert guess is not None and guess.language == "nl" and guess.confidence == 0.5
