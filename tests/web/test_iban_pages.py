"""IBANs on the pages: shown in groups of four, typed spaced or not, and read strictly when typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.access.actors import SYSTEM
from tests.documents import text_pdf

SPACED = "NL91 ABNA 0417 1643 00"
COMPACT = "NL91ABNA0417164300"
# Two letter O's for zeros: extraction's OCR repair would read this as the IBAN above,
# a person's typing must not be turned into an account they did not type.
MISTYPED = "NL91 ABNA O417 1643 OO"


@pytest.fixture
def with_iban(archive, tmp_path: Path) -> int:
    """An invoice that prints an IBAN, filed through the real flow."""
    pdf = text_pdf(
        tmp_path / "factuur.pdf",
        [f"Factuur F2024-0031\nFactuurdatum: 12 maart 2024\nTotaal te betalen: EUR 99,00\nIBAN: {SPACED}"],
    )
    outcome = archive.ingest(pdf, SYSTEM)
    assert outcome.status == "filed", outcome.error
    assert archive.document(outcome.id, SYSTEM, audit=False).iban == COMPACT
    return outcome.id


def test_the_document_page_and_its_form_show_the_iban_in_groups(no_csrf, login, with_iban):
    page = login("clerk").get(f"/documents/{with_iban}").get_data(as_text=True)
    assert f"<td>{SPACED}</td>" in page
    assert f'name="iban" value="{SPACED}"' in page
    assert COMPACT not in page


def test_a_spaced_iban_typed_in_the_facts_form_is_stored_compact(no_csrf, login, filed, archive):
    response = login("clerk").post(f"/documents/{filed[0]}/facts", data={"iban": SPACED})
    assert response.status_code == 302
    assert archive.document(filed[0], SYSTEM, audit=False).iban == COMPACT


def test_a_mistyped_iban_is_refused_not_repaired_in_the_facts_form(no_csrf, login, filed, archive):
    response = login("clerk").post(f"/documents/{filed[0]}/facts", data={"iban": MISTYPED})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "is geen geldig IBAN" in page and f'value="{MISTYPED}"' in page
    assert archive.document(filed[0], SYSTEM, audit=False).iban is None


def test_the_client_form_takes_a_spaced_iban_and_shows_it_spaced(no_csrf, login, archive):
    clerk = login("clerk")
    added = clerk.post("/clients/new", data={"client_id": "K-31", "name": "Bakker", "kind": "person", "iban": SPACED})
    assert added.status_code == 302
    assert archive.clients.get("K-31").iban == COMPACT
    form = clerk.get("/clients/K-31/edit").get_data(as_text=True)
    assert f'name="iban" value="{SPACED}"' in form


def test_the_client_form_refuses_a_mistyped_iban_the_same_way(no_csrf, login, archive):
    page = login("clerk").post(
        "/clients/new", data={"client_id": "K-32", "name": "Bakker", "kind": "person", "iban": MISTYPED}
    )
    assert page.status_code == 400
    assert "De IBAN" in page.get_data(as_text=True)
    assert archive.clients.get("K-32") is None


@pytest.mark.parametrize("typed", [f"iban:{SPACED}", f"iban:{COMPACT}", f"rekeningnummer:{SPACED.lower()}"])
def test_search_finds_the_document_by_an_iban_typed_in_groups(no_csrf, login, with_iban, filed, typed):
    page = login("staff").get("/", query_string={"q": typed}).get_data(as_text=True)
    assert f"/documents/{with_iban}" in page
    assert f"/documents/{filed[0]}" not in page
