"""The results page: client names beside numbers, date and amount ranges, sort, grid, bulk and saved searches."""

from __future__ import annotations

from archive.access.actors import SYSTEM


def test_client_names_ranges_and_grid(no_csrf, login, filed, archive):
    archive.clients.add({"client_id": "K-7", "name": "Bakkerij de Vries"}, SYSTEM)
    archive.update_facts(filed[0], {"client_id": "K-7"}, SYSTEM)
    staff = login("staff")
    page = staff.get("/?q=factuur").get_data(as_text=True)
    assert 'Bakkerij de Vries <span class="number">K-7</span>' in page
    assert "Oudste eerst" in page and "Hoogste bedrag" in page and "Datum en bedrag" in page
    assert "Geselecteerde documenten wijzigen" not in page  # staff change nothing
    in_march = staff.get("/?q=factuur&from=2024-03-01&to=2024-03-31").get_data(as_text=True)
    assert f"/documents/{filed[0]}?" in in_march and "Van: 1 maart 2024" in in_march
    assert "1 document" in staff.get("/?q=huur&min=1.000&max=2000").get_data(as_text=True)
    nothing = staff.get("/?q=huur&min=2000").get_data(as_text=True)
    assert "Geen documenten gevonden." in nothing  # said once, not after "0 documenten"
    assert "0 documenten" not in nothing and "view-toggle" not in nothing
    beyond = staff.get("/?q=factuur&page=9").get_data(as_text=True)
    assert "Geen documenten op deze pagina." in beyond and "Geen documenten gevonden." not in beyond
    grid = staff.get("/?q=factuur&view=grid").get_data(as_text=True)
    assert 'class="hits grid"' in grid and 'width="180"' in grid


def test_a_receptionist_finds_a_clients_invoice_by_the_day_as_she_writes_it(no_csrf, login, filed, archive):
    # The client at the desk: "the invoice of 12 March". The invoice prints "12 maart 2024";
    # typed as 12-03-2024 (or 12-3-24) beside the name, the document's date finds it.
    archive.clients.add({"client_id": "K-7", "name": "Bakkerij de Vries"}, SYSTEM)
    archive.update_facts(filed[0], {"client_id": "K-7"}, SYSTEM)
    staff = login("staff")
    for typed in ("12-03-2024", "vries 12-3-24", "Bakkerij 12/03/2024"):
        page = staff.get("/", query_string={"q": typed}).get_data(as_text=True)
        assert f"/documents/{filed[0]}?" in page and "1 document" in page, typed
    assert "Geen documenten gevonden." in staff.get("/?q=vries+13-03-2024").get_data(as_text=True)


def test_a_clerk_changes_selected_documents_and_sees_the_count(no_csrf, login, filed, archive):
    clerk = login("clerk")
    assert "Geselecteerde documenten wijzigen" in clerk.get("/?q=datum").get_data(as_text=True)
    response = clerk.post(
        "/bulk",
        data={"ids": [str(i) for i in filed], "action": "tag", "value": "controle", "back": "/?q=datum"},
        follow_redirects=True,
    )
    assert "2 documenten gewijzigd (2 geselecteerd)." in response.get_data(as_text=True)
    assert all(archive.tags.for_document(i) == ["controle"] for i in filed)
    response = clerk.post(
        "/bulk",
        data={"all": "1", "query": "tag:controle", "action": "type", "value": "letter", "back": "/"},
        follow_redirects=True,
    )
    assert "documenten gewijzigd (2 geselecteerd)." in response.get_data(as_text=True)
    response = clerk.post(
        "/bulk", data={"ids": [str(filed[0])], "action": "client", "value": "K-404"}, follow_redirects=True
    )
    assert "K-404" in response.get_data(as_text=True)
    assert archive.document(filed[0], SYSTEM, audit=False).client_id is None
    refused = login("staff").post(
        "/bulk", data={"ids": [str(filed[0])], "action": "tag", "value": "x"}, follow_redirects=True
    )
    assert archive.tags.for_document(filed[0]) == ["controle"] and refused.status_code in (200, 403)


def test_a_saved_search_is_on_the_start_page_with_its_count(no_csrf, login, filed):
    clerk = login("clerk")
    response = clerk.post(
        "/saved",
        data={"name": "Huur", "query": "huur", "shared_role": "staff", "back": "/?q=huur"},
        follow_redirects=True,
    )
    assert "Opgeslagen als Huur" in response.get_data(as_text=True)
    page = login("staff").get("/").get_data(as_text=True)
    assert '>Huur</a> <span class="count">1</span>' in page and "gedeeld met: baliemedewerker" in page


def test_a_change_to_many_documents_is_asked_first_with_the_count(no_csrf, login, filed, archive, monkeypatch):
    import web.bulk

    monkeypatch.setattr(web.bulk, "CONFIRM_ABOVE", 1)  # the two filed documents count as many
    clerk = login("clerk")
    chosen = {"action": "tag", "value": "controle", "back": "/?q=datum"}
    asked = clerk.post("/bulk", data={**chosen, "all": "1", "query": "datum"}).get_data(as_text=True)
    assert '<h1 id="confirm-h">2 documenten wijzigen?</h1>' in asked and "Terug, niets wijzigen" in asked
    assert all(archive.tags.for_document(i) == [] for i in filed)  # nothing changed yet
    ids = ",".join(str(i) for i in sorted(filed))
    assert f'name="ids" value="{ids}"' in asked
    done = clerk.post("/bulk", data={**chosen, "ids": ids, "confirmed": "1"}, follow_redirects=True)
    assert "2 documenten gewijzigd (2 geselecteerd)." in done.get_data(as_text=True)
    done = clerk.post("/bulk", data={**chosen, "action": "untag", "ids": ids, "confirmed": "1"}, follow_redirects=True)
    assert all(archive.tags.for_document(i) == [] for i in filed)
