"""A document's history and the trail show a changed IBAN in groups of four, as the facts table does."""

from __future__ import annotations


def test_a_corrected_iban_is_shown_spaced_in_the_history(no_csrf, login, filed):
    clerk = login("clerk")
    saved = clerk.post(f"/documents/{filed[0]}/facts", data={"iban": "NL91 ABNA 0417 1643 00"})
    assert saved.status_code == 302
    page = clerk.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "IBAN: — → NL91 ABNA 0417 1643 00" in page
    assert "NL91ABNA0417164300" not in page
    trail = login("auditor").get("/audit").get_data(as_text=True)
    assert "→ NL91 ABNA 0417 1643 00" in trail


def test_a_recorded_event_says_its_date_as_a_date(no_csrf, login, archive, filed):
    from datetime import date

    from archive.access.actors import Actor

    archive.records.record_event(
        Actor("records-manager", "records_manager"), "employment_ended", date(2025, 5, 31), document_id=filed[0]
    )
    page = login("auditor").get("/audit").get_data(as_text=True)
    assert "gebeurd op: 31 mei 2025" in page and "2025-05-31" not in page


def test_a_changed_client_names_its_fields_in_the_page_language(no_csrf, login, archive):
    from archive.access.actors import SYSTEM

    archive.clients.add({"client_id": "K-1", "name": "Jan Jansen"}, SYSTEM)
    login("clerk").post("/clients/K-1/edit", data={"name": "J. Jansen", "house_number": "12", "city": "Utrecht"})
    page = login("auditor").get("/audit").get_data(as_text=True)
    assert "velden: Naam, Huisnummer, Plaats" in page
    assert "house_number" not in page


def test_a_read_of_the_analysis_page_says_its_period_in_dates(no_csrf, login, archive):
    from datetime import date

    from archive.access.actors import Actor

    archive.analysis(Actor("auditor", "auditor"), since=date(2026, 11, 5), until=date(2026, 12, 4), by="week")
    page = login("auditor").get("/audit").get_data(as_text=True)
    assert "periode: 5 november 2026 tot en met 4 december 2026" in page and "per week" in page
    assert "since:" not in page and "2026-11-05" not in page and "door: week" not in page
