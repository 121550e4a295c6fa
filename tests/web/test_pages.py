"""The other pages: search facets and paging, inbox retry, records holds, audit CSV, admin users."""

from __future__ import annotations

import csv
import io
import re

from archive.access.actors import SYSTEM, Actor


def test_search_facets_filter_and_page(no_csrf, login, filed, archive):
    client = login("staff")
    page = client.get("/?q=").get_data(as_text=True)
    assert "autofocus" in page and "Zo zoekt u" in page
    results = client.get("/?type=invoice").get_data(as_text=True)
    assert "1 document" in results and "type: Factuur" in results
    assert client.get("/?q=date:[2024").status_code == 200  # a bad query is explained beside the box


def test_inbox_lists_failures_and_retries(no_csrf, login, archive):
    folder = archive.config.inbox_path / "failed"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4")
    (folder / "kapot.pdf.error.txt").write_text("What went wrong:\n  The PDF is damaged.\n\n")
    clerk = login("clerk")
    page = clerk.get("/inbox").get_data(as_text=True)
    assert "kapot.pdf" in page and "The PDF is damaged." in page
    [failed] = archive.failed_inbox_files()
    assert f'name="key" value="{failed["key"]}"' in page and 'value="kapot.pdf"' not in page
    assert clerk.post("/inbox/retry", data={"key": failed["key"]}).status_code == 302
    assert (archive.config.inbox_path / "kapot.pdf").exists()
    assert clerk.post("/inbox/retry", data={"key": "../archive.sqlite3"}).status_code == 404
    assert clerk.post("/inbox/retry", data={"name": "kapot.pdf"}).status_code == 404  # never by its name


def test_records_manager_places_and_releases_a_hold(no_csrf, login, filed, archive):
    manager = login("records_manager")
    assert (
        manager.post(
            "/records/holds", data={"document_id": filed[0], "reason": "Rechtszaak", "case_reference": "ZAAK-1"}
        ).status_code
        == 302
    )
    page = manager.get("/records").get_data(as_text=True)
    assert "Rechtszaak" in page and "ZAAK-1" in page
    assert archive.document(filed[0], SYSTEM, audit=False).legal_hold
    hold_id = archive.records.holds(SYSTEM)[0].id
    manager.post(f"/records/holds/{hold_id}/release", data={"reason": "Zaak gesloten"})
    assert not archive.document(filed[0], SYSTEM, audit=False).legal_hold


def test_a_refused_hold_is_explained_on_the_form_with_what_was_typed_kept(no_csrf, login, filed, archive):
    manager = login("records_manager")
    for typed in (
        {"document_id": "999999", "reason": "Rechtszaak Jansen", "case_reference": "ZAAK-7"},
        {"document_id": "12a", "reason": "Rechtszaak Jansen", "case_reference": "ZAAK-7"},
        {"client_id": "K-999", "reason": "Rechtszaak Jansen", "case_reference": "ZAAK-7"},
    ):
        response = manager.post("/records/holds", data=typed)
        assert response.status_code == 400, typed
        page = response.get_data(as_text=True)
        form = page.split('class="hold-form"')[1].split("</form>")[0]
        assert 'role="alert"' in form and "Traceback" not in page, typed
        for name, value in typed.items():
            assert f'name="{name}"' in form and f'value="{value}"' in form, (name, typed)
    assert not archive.records.holds(SYSTEM)


def test_audit_page_and_csv_export(no_csrf, login, filed, archive):
    auditor = login("auditor")
    page = auditor.get(f"/audit?document={filed[0]}", follow_redirects=True).get_data(as_text=True)
    assert "gearchiveerd" in page  # the action in the page's language, not its code
    export = auditor.get(f"/audit.csv?document={filed[0]}", follow_redirects=True)
    assert export.mimetype == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert {row["action"] for row in rows} >= {"receive", "file"}
    assert any(
        e["action"] == "audit_read" for e in archive.records.audit_log(Actor("aad", "auditor"), actions=["audit_read"])
    )


def test_audit_page_shows_the_newest_page_only(no_csrf, login, archive):
    for number in range(505):
        archive.audit.record(SYSTEM, "search", details={"query": f"vraag-{number}"})
    page = login("auditor").get("/audit?action=search", follow_redirects=True).get_data(as_text=True)
    assert "vraag-504" in page and "vraag-5" in page and not re.search(r"vraag-0(?!\d)", page)
    assert "De nieuwste 500 regels" in page


def test_admin_adds_a_user_and_issues_a_token_once(no_csrf, login, archive):
    admin = login("admin")
    page = admin.post(
        "/admin/users", data={"name": "rita", "role": "records_manager", "password": "Tulpen-in-de-Wind-42"}
    ).get_data(as_text=True)
    assert '<svg role="img"' in page and archive.users.get("rita").role == "records_manager"
    assert re.search(r'<code class="key">[A-Z2-7]{4}( [A-Z2-7]{1,4})+</code>', page)  # the key beside the QR code
    # The secret is a "sleutel"; "toets" is a key of the keyboard (the shortcuts page's word).
    assert "<dt>Sleutel</dt>" in page and "<dt>Toets</dt>" not in page
    weak = admin.post("/admin/users", data={"name": "bob", "role": "staff", "password": "welkom123"})
    assert weak.status_code == 400 and archive.users.get("bob") is None
    token_page = admin.post("/admin/users/rita", data={"action": "token"}).get_data(as_text=True)
    token = token_page.split('<code class="key">foa_')[1].split("</code>")[0]
    assert archive.users.user_for_token("foa_" + token).name == "rita"
    assert "foa_" not in admin.get("/admin/users").get_data(as_text=True)
    confirm = admin.post("/admin/users/rita", data={"action": "disable"}).get_data(as_text=True)
    assert archive.users.get("rita").active and 'name="confirm" value="1"' in confirm  # asked first
    admin.post("/admin/users/rita", data={"action": "disable", "confirm": "1"})
    assert not archive.users.get("rita").active
    # The confirmation stood at /admin/users/rita: opened again it is the users page, not "not found".
    again = admin.get("/admin/users/rita")
    assert again.status_code == 302 and again.headers["Location"] == "/admin/users"


def test_analysis_page_is_registered_for_its_roles(no_csrf, login):
    import pytest

    if "analysis" not in no_csrf.blueprints:
        pytest.skip("the analysis page is not part of this checkout")
    assert login("auditor").get("/analysis").status_code == 200
    assert login("staff").get("/analysis").status_code == 403


def test_a_prefix_cut_short_is_said_on_the_search_page(login, filed, monkeypatch):
    from search import docsets

    monkeypatch.setattr(docsets, "MAX_PREFIX_TERMS", 1)
    page = login("staff").get("/?q=fa*").get_data(as_text=True)  # factuur, factuurdatum
    assert "fa* past bij te veel woorden" in page


def test_a_query_mistake_and_the_help_are_in_the_page_language(login, filed):
    client = login("staff")
    page = client.get("/?q=f*").get_data(as_text=True)
    assert "Typ minstens twee letters voor de *, zoals fa*, niet &#39;f*&#39;." in page
    assert "beide woorden" in page and "klant:K-10023" in page
    bad_date = client.get("/?q=datum:morgen").get_data(as_text=True)
    assert "&#39;morgen&#39; is geen datum; schrijf datum:2024" in bad_date
    english = login("staff")
    with english.session_transaction() as session:
        session["lang"] = "en"
    page = english.get("/?q=f*").get_data(as_text=True)
    assert "Type at least two letters before the *, as in fa*, not &#39;f*&#39;." in page and "both words" in page


def test_a_phone_card_shows_no_label_for_a_cell_that_holds_nothing(no_csrf, login, archive, tmp_path):
    from archive.documents.filing import FilingHints
    from tests.documents import text_pdf

    invoice = text_pdf(tmp_path / "oud.pdf", ["Factuur V-2010-001\nFactuurdatum: 14 maart 2010\nTotaal: EUR 41,50"])
    for client, name in (("K-2", "Bakkerij Oud"), ("K-3", "Garage Smit")):  # no postcode, no city
        archive.clients.add({"client_id": client, "name": name}, SYSTEM)
    document = archive.ingest(invoice, SYSTEM, FilingHints(client_id="K-2")).id
    archive.records.place_hold(Actor("rik", "records_manager"), "Onderzoek", client_id="K-3")  # no case number
    for role in ("records_manager", "auditor"):  # the auditor may look, not tick: an empty "Destroy" cell
        page = login(role).get("/records").get_data(as_text=True)
        assert f">{document}</a>" in page and "K-3 · Garage Smit" in page, role  # a hold names its client
        assert re.findall(r'<td data-label="([^"]*)">\s*</td>', page) == [], role
        assert page.count('class="empty"') >= (2 if role == "auditor" else 1), role
    clients = login("clerk").get("/clients").get_data(as_text=True)
    assert not re.findall(r'<td data-label="[^"]*"></td>', clients) and 'class="empty"' in clients


def test_the_audit_filter_finds_a_client_by_bsn_or_name_and_a_person_however_written(no_csrf, login, filed, archive):
    for client, name, bsn in (("K-1", "Jan Jansen", "123456782"), ("K-2", "Piet Jansen", None), ("K-3", "Smit", None)):
        archive.clients.add(
            {"client_id": client, "name": name, "kind": "person", **({"bsn": bsn} if bsn else {})}, SYSTEM
        )
    archive.update_facts(filed[0], {"client_id": "K-1"}, SYSTEM)
    archive.document(filed[0], Actor("clerk", "clerk"))  # a view by the clerk, of K-1's invoice
    auditor = login("auditor")

    def shown(**typed) -> str:
        return auditor.post("/audit", data=typed, follow_redirects=True).get_data(as_text=True)

    for typed in ("1234.56.782", "k-1", "Jan Jansen"):  # a BSN, the number in lower case, the name
        page = shown(client=typed, action="bekeken")
        assert "Regels van cliënt K-1 (Jan Jansen)." in page and "1 regel" in page, typed
    assert "1 regel" in shown(user="CLERK", action="bekeken")
    several = shown(client="jansen")
    assert "Meerdere cliënten passen bij “jansen”: K-1 (Jan Jansen), K-2 (Piet Jansen)" in several
    assert 'aria-describedby="a-client-error"' in several and "0 regels" not in several


def test_the_evidence_export_takes_a_client_by_bsn_and_asks_when_several_fit(no_csrf, login, filed, archive):
    import time

    for client, name, bsn in (("K-1", "Jan Jansen", "123456782"), ("K-2", "Piet Jansen", None)):
        archive.clients.add(
            {"client_id": client, "name": name, "kind": "person", **({"bsn": bsn} if bsn else {})}, SYSTEM
        )
    archive.update_facts(filed[0], {"client_id": "K-1"}, SYSTEM)
    auditor = login("auditor")
    several = auditor.post("/audit/export", data={"client": "jansen"})
    assert several.status_code == 400 and "Meerdere cliënten passen bij" in several.get_json()["error"]
    job = auditor.post("/audit/export", data={"client": "1234.56.782"}).get_json()
    for _ in range(600):  # the bag is written in a thread of its own
        job = auditor.get(job["url"]).get_json()
        if job["finished"]:
            break
        time.sleep(0.1)
    assert job.get("error") is None and " 1 " in job["summary"], job  # K-1's one document, found by its BSN
    # A check nobody knows (ended long ago, made up): the page is told so in words, not left waiting.
    unknown = auditor.get(job["url"].rsplit("/", 1)[0] + "/not-a-job")
    assert unknown.status_code == 404 and unknown.get_json()["finished"] is True
    assert unknown.get_json()["error"].startswith("Deze controle is niet bekend")
    # And a page that lost the server for a while sends the auditor to a reload, which
    # shows the check again (from whichever node answers).
    page = auditor.get("/audit").get_data(as_text=True)
    assert "Laad de pagina opnieuw: die toont hoe ver de controle is" in page and "data-job-url" in page


def test_an_audit_document_number_that_cannot_be_read_is_said_not_dropped(no_csrf, login, filed):
    auditor = login("auditor")
    page = auditor.post("/audit", data={"document": "abc"}, follow_redirects=True).get_data(as_text=True)
    assert "“abc” is geen documentnummer" in page and 'aria-describedby="a-doc-error"' in page
    assert "gearchiveerd" not in page.split("<tbody>")[1]  # not the whole trail, as if it were that document's
    written = auditor.post("/audit", data={"document": f"#{filed[0]}"}, follow_redirects=True).get_data(as_text=True)
    assert "gearchiveerd" in written.split("<tbody>")[1] and "geen documentnummer" not in written
