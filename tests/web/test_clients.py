"""Client pages: list and search, add with validation, edit, and the dossier by type and year."""

from __future__ import annotations

from archive.access.actors import SYSTEM


def test_add_edit_and_dossier(no_csrf, login, filed, archive):
    clerk = login("clerk")
    added = clerk.post(
        "/clients/new", data={"client_id": "K-10023", "name": "Jansen B.V.", "kind": "company", "city": "Utrecht"}
    )
    assert added.status_code == 302 and added.headers["Location"] == "/clients/K-10023"
    archive.update_facts(filed[0], {"client_id": "K-10023"}, SYSTEM)
    dossier = clerk.get("/clients/K-10023").get_data(as_text=True)
    assert "Jansen B.V." in dossier and "Factuur" in dossier and "2024" in dossier
    assert f"/documents/{filed[0]}" in dossier
    assert "<small>1 document</small>" in dossier  # one, not "1 documenten"
    listed = clerk.get("/clients?q=jansen").get_data(as_text=True)
    assert "K-10023" in listed
    edited = clerk.post("/clients/K-10023/edit", data={"name": "Jansen & Zn B.V.", "kind": "company"})
    assert edited.status_code == 302
    assert archive.clients.get("K-10023").name == "Jansen & Zn B.V."


def test_invalid_client_is_refused_with_every_reason_in_the_page_language(no_csrf, login):
    clerk = login("clerk")
    data = {"client_id": "K-1", "name": "X", "iban": "NL00BANK0000000001", "kvk": "123"}
    page = clerk.post("/clients/new", data=data)
    assert page.status_code == 400
    assert (
        "De cliënt is niet opgeslagen: Het KvK-nummer &#39;123&#39; is niet geldig. "
        "De IBAN &#39;NL00BANK0000000001&#39; is niet geldig."
    ) in page.get_data(as_text=True)
    clerk.post("/language", data={"lang": "en"})
    english = clerk.post("/clients/new", data=data).get_data(as_text=True)
    assert "The client was not saved: The KvK number &#39;123&#39; is not valid. The IBAN" in english


def test_staff_sees_clients_but_cannot_add(no_csrf, login):
    staff = login("staff")
    assert staff.get("/clients").status_code == 200
    assert "/clients/new" not in staff.get("/clients").get_data(as_text=True)
    assert staff.get("/clients/new").status_code == 403


def test_bsn_of_a_client_is_masked_for_staff_in_the_api(app, archive):
    archive.clients.add({"client_id": "K-2", "name": "Piet", "bsn": "111222333"}, SYSTEM)
    token = archive.users.new_token("staff", SYSTEM)
    listed = app.test_client().get("/api/clients", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert listed[0]["bsn"] == "*****2333"


def test_the_clients_box_finds_a_client_by_the_bsn_on_an_id_card_for_who_may_see_it(no_csrf, login):
    clerk = login("clerk")
    clerk.post("/clients/new", data={"client_id": "K-77", "name": "J. de Boer", "kind": "person", "bsn": "123456782"})
    for written in ("1234.56.782", "123 456 782"):
        found = clerk.post("/clients", data={"q": written}).get_data(as_text=True)
        assert "J. de Boer" in found and "123 456 782" not in found, written  # found, the box masked
    # A receptionist sees BSNs masked: the box tells no one which client a number belongs to.
    assert "J. de Boer" not in login("staff").post("/clients", data={"q": "123456782"}).get_data(as_text=True)


def test_a_dossiers_undated_documents_come_last_under_no_date(no_csrf, login, filed, archive):
    # A letter without a date, between two dated ones: listed after the years, and its line
    # begins with its title, not with a stray "·" where the date would be.
    archive.clients.add({"client_id": "K-7", "name": "Bakkerij de Vries"}, SYSTEM)
    for document in filed:
        archive.update_facts(document, {"client_id": "K-7", "document_type": "letter"}, SYSTEM)
    archive.update_facts(filed[1], {"document_date": ""}, SYSTEM, without_date=True)
    page = login("staff").get("/clients/K-7").get_data(as_text=True)
    assert page.index("<h4>2024</h4>") < page.index("<h4>Zonder datum</h4>")
    undated = page.split("<h4>Zonder datum</h4>")[1]
    assert f'/documents/{filed[1]}">Brief' in undated and "<h4>—</h4>" not in page
