"""StemmedText indexes from word counts exactly what Whoosh's token stream would give."""

from __future__ import annotations

import pytest
from whoosh import fields

from search.analysis import term_counts
from search.schema import build_schema
from search.stemmed_field import StemmedText

TEXTS = [
    "De rekeningen van het Café; de REKENING en nog een rekening.",
    "The invoices of the café were paid — invoices, invoice, paying.",
    "Huurovereenkomst F2024-0012 bedrag 3.141 scan_0012.pdf Ærø naïve",
    "",
    "de het een",  # stop words only
]


@pytest.mark.parametrize("name", ["title", "content_nl", "content_en", "client_name", "filename"])
@pytest.mark.parametrize("text", TEXTS)
def test_index_gives_the_terms_counts_and_weights_of_the_token_stream(name, text):
    field = build_schema()[name]
    assert isinstance(field, StemmedText)
    ours = sorted(field.index(text))
    theirs = sorted(fields.TEXT.index(field, text))
    assert ours == theirs


def test_term_counts_counts_both_stems_of_short_fields():
    assert term_counts("Invoices invoices rekeningen de", "both") == {
        "invoices": 2,
        "invoic": 2,
        "reken": 1,
        "rekeningen": 1,
    }
    assert term_counts("Invoices invoices rekeningen de", "en") == {"invoic": 2, "rekeningen": 1}
