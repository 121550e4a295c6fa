"""Document type from the weighted cue words in config.toml."""

import pytest

from ingest.facts.doctype import _cue_pattern, score_types
from ingest.facts.text import split_lines


@pytest.mark.parametrize(
    "text, expected",
    [
        ("FACTUUR\nFactuurnummer: F-12\nVervaldatum 1-2-2025\nTotaal te betalen € 12,00", "invoice"),
        ("INVOICE\nInvoice number 7781\nAmount due $ 12.00", "invoice"),
        ("ALBERT HEIJN\nBROOD 2,19\nTOTAAL 2,19\nBetaald met PIN\nBedankt voor uw aankoop", "receipt"),
        ("KWITANTIE\nOntvangen van: P. Bakker\nVoor voldaan € 50,00", "receipt"),
        ("Salarisstrook maart 2025\nBruto loon 3.000,00\nLoonheffing 700,00\nNetto loon 2.300,00", "payslip"),
        ("Payslip\nGross pay 3,000.00\nNet pay 2,300.00", "payslip"),
        ("Betreft: uw aanvraag\nGeachte heer Jansen,\nMet vriendelijke groet,", "letter"),
        ("Dear Ms Smith,\nThank you for your letter.\nYours sincerely,", "letter"),
        ("HUUROVEREENKOMST\nDe ondergetekenden:\nArtikel 1\nAldus overeengekomen", "contract"),
        ("SERVICE AGREEMENT\nThe parties hereby agree as follows:\nArticle 1", "contract"),
        ("AANMELDFORMULIER\nVul dit formulier in met blokletters\nGeboortedatum: ....", "form"),
        ("Registration form\nPlease complete in block capitals\nDate of birth", "form"),
    ],
)
def test_types(settings, text, expected):
    guess = score_types(split_lines([text]), settings.types, settings.heading_weight)
    assert guess.document_type == expected
    assert guess.confidence >= settings.min_type_confidence


def test_letter_about_an_invoice_is_a_letter(settings):
    text = (
        "Gemeente Utrecht\nBetreft: uw factuur van 3 maart\nGeachte heer Jansen,\n"
        "Wij hebben uw factuur ontvangen en betalen deze binnen dertig dagen.\nMet vriendelijke groet,"
    )
    assert score_types(split_lines([text]), settings.types, settings.heading_weight).document_type == "letter"


def test_no_cues_means_no_type(settings):
    guess = score_types(split_lines(["Lorem ipsum dolor sit amet"]), settings.types, settings.heading_weight)
    assert guess.document_type is None and guess.confidence == 0.0


@pytest.mark.parametrize(
    ("cue", "text", "hits"),
    [
        ("nota", "nota\nuw nota 12, de nota's", 3),  # at the start of the text, after a space, before a mark
        ("nota", "denota notaris 1nota", 0),  # inside a word, or after a digit: no word of its own
        ("te betalen", "te  betalen\nnog te\nbetalen, rate betalen", 2),  # the words apart by any space
        ("bon", "kassabon bon", 1),
        ("eindafrekening", "jaareindafrekening", 1),  # a long cue ends a compound too
    ],
)
def test_a_cue_starts_a_word_unless_it_is_long(cue, text, hits):
    assert len(_cue_pattern(cue).findall(text)) == hits
