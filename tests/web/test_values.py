"""Amounts, dates and BSNs over HTTP: the facts form, uploads, searches, downloads and the inbox page
read and mask them by the archive's one rule for each."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest

from archive.access.actors import SYSTEM, Actor
from tests.documents import text_pdf
from tests.values.cases import DATES
from tests.web.filing import when_filed


def _hits(client, query: str) -> list[int]:
    return [hit["id"] for hit in client.get("/api/search", query_string={"q": query}).get_json()["hits"]]


def _api(app, archive, name: str):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {archive.users.new_token(name, SYSTEM)}"
    return client


def test_an_amount_of_1200_on_the_facts_form_is_stored_and_found_as_1200(no_csrf, login, filed, archive, app):
    response = login("clerk").post(f"/documents/{filed[1]}/facts", data={"amount": "1.200"})
    assert response.status_code == 302
    assert archive.document(filed[1], SYSTEM, audit=False).amount == "1200.00"
    staff = _api(app, archive, "staff")
    assert _hits(staff, "amount:1.200") == [filed[1]]
    # filed[0] is € 1.234,56: not above 1,234.56, and above 1.234 (twelve hundred and thirty-four).
    assert _hits(staff, "amount:>1,234.56") == []
    assert _hits(staff, "amount:>1.234") == [filed[0]]
    assert _hits(staff, "bedrag:>=1.234,56") == [filed[0]]


@pytest.mark.parametrize(
    "typed, day", [row for row in DATES if row[0] in ("12-03-2024", "12/03/2024", "12 maart 2024")]
)
def test_the_upload_form_takes_a_date_as_every_form_does(no_csrf, login, tmp_path, archive, typed, day):
    data = text_pdf(tmp_path / "brief.pdf", ["Brief aan de huurder"]).read_bytes()
    response = login("clerk").post(
        "/upload",
        data={"files": [(io.BytesIO(data), "brief.pdf")], "document_date": typed},
        headers={"Accept": "application/json"},
    )
    [outcome] = response.get_json()["outcomes"]
    outcome = when_filed(archive, outcome)  # the typed date reaches the filed document, not only the answer
    assert outcome["status"] == "filed" and outcome["document_date"] == day.isoformat()


def test_the_api_upload_takes_a_dutch_date_and_refuses_a_wrong_one(app, archive, tmp_path):
    client = _api(app, archive, "clerk")
    data = text_pdf(tmp_path / "brief.pdf", ["Brief aan de huurder"]).read_bytes()
    response = client.post(
        "/api/documents", data={"file": (io.BytesIO(data), "brief.pdf"), "document_date": "12-03-2024"}
    )
    assert response.status_code in (201, 202)
    outcome = when_filed(archive, response.get_json())
    assert outcome["status"] == "filed" and outcome["document_date"] == "2024-03-12"
    wrong = client.post("/api/documents", data={"file": (io.BytesIO(data), "b.pdf"), "document_date": "31-02-2024"})
    assert wrong.status_code == 400 and "31-02-2024" in wrong.get_json()["error"]


@pytest.mark.parametrize("written", ["123 456 782", "1234.56.782"])
def test_a_bsn_in_a_file_name_never_reaches_a_download_header(no_csrf, login, tmp_path, archive, written):
    data = text_pdf(tmp_path / "id.pdf", ["Kopie identiteitsbewijs"]).read_bytes()
    response = login("clerk").post(
        "/upload",
        data={"files": [(io.BytesIO(data), f"paspoort {written}.pdf")]},
        headers={"Accept": "application/json"},
    )
    [outcome] = response.get_json()["outcomes"]
    staff = login("staff")
    download = staff.get(f"/documents/{outcome['id']}/original")
    header = download.headers["Content-Disposition"]
    # Stored masked (*****6782); a download name turns the stars into underscores.
    assert download.status_code == 200 and header.startswith('attachment; filename="paspoort _____6782.pdf"')
    for shown in (header, staff.get(f"/documents/{outcome['id']}").get_data(as_text=True)):
        assert written not in shown and quote(written) not in shown and "123456782" not in shown


def test_the_inbox_page_shows_a_failed_file_named_after_a_bsn_masked(no_csrf, login, archive):
    folder = archive.config.inbox_path / "failed"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scan 1112.22.333.pdf").write_bytes(b"%PDF-1.4")
    (folder / "scan 1112.22.333.pdf.error.txt").write_text("What went wrong:\n  The PDF is damaged.\n\n")
    clerk = login("clerk")
    page = clerk.get("/inbox").get_data(as_text=True)
    assert '<td data-label="Bestand">scan *****2333.pdf</td>' in page
    assert "1112.22.333" not in page  # not in the retry and remove forms either: they name it by a key
    [failed] = archive.failed_inbox_files()
    assert clerk.post("/inbox/retry", data={"key": failed["key"]}).status_code == 302
    after = clerk.get("/inbox").get_data(as_text=True)  # the flash names the file, masked
    assert "scan *****2333.pdf" in after and "1112.22.333" not in after
    assert (archive.config.inbox_path / "scan 1112.22.333.pdf").exists()


@pytest.mark.parametrize("written", ["123 456 782", "1112.22.333"])
def test_a_search_for_a_bsn_is_audited_masked(no_csrf, login, filed, archive, written):
    response = login("staff").get("/", query_string={"q": written}, follow_redirects=True)
    assert written not in response.request.url and "ref=" in response.request.url
    [search] = archive.records.audit_log(Actor("aad", "auditor"), actions=["search"])[-1:]
    assert written not in str(search["details"]) and "*****" in search["details"]["query"]


def test_an_amount_in_another_currency_is_never_shown_in_euros(no_csrf, login, filed, archive):
    # An Indian invoice of ₹ 1.234,56 showed as € 1.234,56 in the results and in the review
    # queue's table of what was read (the document page itself had it right).
    archive.clients.add({"client_id": "K-7", "name": "Bakkerij de Vries"}, SYSTEM)
    archive.update_facts(filed[0], {"currency": "INR"}, SYSTEM)
    results = login("staff").get("/?q=huur").get_data(as_text=True)
    assert "₹\u00a01.234,56" in results and "€\u00a01.234,56" not in results
    review = login("clerk").get("/review").get_data(as_text=True)
    assert f"#{filed[0]}" in review and "₹\u00a01.234,56" in review and "€\u00a01.234,56" not in review
    archive.update_facts(filed[0], {"client_id": "K-7"}, SYSTEM)
    dossier = login("staff").get("/clients/K-7").get_data(as_text=True)
    assert "₹\u00a01.234,56" in dossier and "€\u00a01.234,56" not in dossier
