"""The document page: escaping, downloads byte for byte, 404s, fact edits and BSN reveal audited."""

from __future__ import annotations

import json
import re

from archive.access.actors import SYSTEM


def test_ocr_text_with_script_is_shown_as_text(no_csrf, login, filed):
    page = login("staff").get(f"/documents/{filed[1]}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_search_snippet_escapes_script_but_keeps_marks(no_csrf, login, filed):
    page = login("staff").get("/?q=hallo").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<mark>" in page


def test_downloads_return_the_exact_stored_bytes(no_csrf, login, filed, tmp_path, archive):
    client = login("staff")
    original = (tmp_path / "docs" / "factuur-jansen.pdf").read_bytes()
    response = client.get(f"/documents/{filed[0]}/original")
    assert response.status_code == 200 and response.data == original
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"factuur-jansen.pdf\"; filename*=UTF-8''factuur-jansen.pdf"
    )
    pdf = client.get(f"/documents/{filed[0]}/pdf?inline=1")
    assert pdf.data == original and pdf.headers["Content-Disposition"].startswith("inline;")
    assert "frame-ancestors 'self'" in pdf.headers["Content-Security-Policy"]
    actions = [e["action"] for e in archive.audit.for_document(filed[0])]
    # The in-page preview is a look at the document, not a copy taken away.
    assert actions.count("download") == 1 and actions[-1] == "view"


def test_a_preview_after_its_page_writes_no_second_entry(no_csrf, login, filed, archive):
    client = login("staff")
    client.get(f"/documents/{filed[0]}")
    assert client.get(f"/documents/{filed[0]}/preview").status_code == 200
    actions = [e["action"] for e in archive.audit.for_document(filed[0])]
    assert actions.count("view") == 1 and "download" not in actions


def test_pages_are_shown_as_pictures_and_a_page_it_lacks_is_not_found(no_csrf, login, filed, archive):
    from io import BytesIO

    from PIL import Image

    client = login("staff")
    page = client.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert f'src="/documents/{filed[0]}/pages/1"' in page and "<iframe" not in page
    assert f'href="/documents/{filed[0]}/preview"' in page and "Openen als pdf" in page
    picture = client.get(f"/documents/{filed[0]}/pages/1")
    assert picture.status_code == 200 and picture.mimetype == "image/jpeg"
    assert Image.open(BytesIO(picture.data)).size[0] == 1000  # sharp in a half-screen column
    actions = [e["action"] for e in archive.audit.for_document(filed[0])]
    assert actions.count("view") == 1  # the page recorded the look; its pictures are part of it
    assert client.get(f"/documents/{filed[0]}/pages/2").status_code == 404  # a one-page letter


def test_unknown_documents_are_404(no_csrf, login, filed):
    client = login("auditor")
    for path in (
        "/documents/999999",
        "/documents/999999/original",
        "/documents/999999/pdf",
        "/documents/999999/thumbnail",
        "/documents/999999/pages/1",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Traceback" not in response.get_data(as_text=True)


def test_view_from_search_is_recorded(no_csrf, login, filed, archive):
    login("staff").get(f"/documents/{filed[0]}?from=search")
    views = [e for e in archive.audit.for_document(filed[0]) if e["action"] == "view"]
    assert views[-1]["details"] == {"from_search": True}


def test_clerk_edits_facts_and_each_change_is_audited(no_csrf, login, filed, archive):
    client = login("clerk")
    response = client.post(
        f"/documents/{filed[0]}/facts",
        data={
            "document_type": "letter",
            "document_date": "01-02-2024",
            "amount": "€ 2.345,60",
            "confirm": "1",
            "without_client": "1",
        },
    )
    assert response.status_code == 302
    # Changed and confirmed at once: the notice says both, not "saved" alone.
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De gegevens zijn opgeslagen en bevestigd: niet meer te beoordelen." in notice
    view = archive.document(filed[0], SYSTEM, audit=False)
    assert (view.document_type, view.document_date, view.amount) == ("letter", "2024-02-01", "2345.60")
    assert not view.needs_review
    changes = [e["details"] for e in view.history if e["action"] == "change"]
    assert {"fact": "document_type", "before": "invoice", "after": "letter"} in changes
    assert {c["fact"] for c in changes} == {"document_type", "document_date", "amount"}


def test_bad_fact_values_are_refused_with_a_sentence(no_csrf, login, filed):
    response = login("clerk").post(f"/documents/{filed[0]}/facts", data={"document_date": "31-02-2024"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # Beside the field, in the page's language, with what was typed kept.
    assert 'aria-invalid="true"' in page and "is geen datum" in page and 'value="31-02-2024"' in page


def test_a_refused_forms_address_opened_again_leads_back_not_to_not_found(no_csrf, login, filed):
    # The refused form stands at its POST address; a clerk who presses Enter in the address bar
    # to start over read "Niet gevonden" and thought the document gone.
    clerk = login("clerk")
    again = clerk.get(f"/documents/{filed[0]}/facts")
    assert again.status_code == 302 and again.headers["Location"] == f"/documents/{filed[0]}"
    again = clerk.get(f"/review/{filed[0]}")
    assert again.status_code == 302 and again.headers["Location"] == f"/review?document={filed[0]}"
    assert login("staff").get(f"/documents/{filed[0]}/facts").status_code == 403


def test_emptying_the_date_on_the_facts_form_asks_first(no_csrf, login, filed, archive):
    # A clerk clears the date field by mistake (or to retype it) and presses save: the
    # retention of a 2024 invoice would silently count from today. The form says so first.
    client = login("clerk")
    response = client.post(f"/documents/{filed[0]}/facts", data={"document_date": "", "reference": "R-9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="d-document_date-error">Dit document had de datum 12 maart 2024. Zonder datum telt' in page
    assert 'name="without_date" value="1">' in page and 'value="R-9"' in page  # offered, not ticked
    assert archive.document(filed[0], SYSTEM, audit=False).document_date == "2024-03-12"
    response = client.post(f"/documents/{filed[0]}/facts", data={"document_date": "", "without_date": "1"})
    assert response.status_code == 302
    assert archive.document(filed[0], SYSTEM, audit=False).document_date is None
    # A document without a date is not asked about again on every save.
    page = client.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert 'name="without_date"' not in page
    assert client.post(f"/documents/{filed[0]}/facts", data={"document_date": ""}).status_code == 302


def _shown_fields(page: str) -> dict[str, str]:
    """The form as the browser would send it untouched: every field's value and the hidden shown_ ones."""
    fields = dict(re.findall(r'<input type="hidden" name="(shown_[a-z_]+)" value="([^"]*)">', page))
    fields.update({name[len("shown_") :]: value for name, value in fields.items()})
    return fields


def test_a_facts_form_kept_open_does_not_put_back_what_a_colleague_corrected(no_csrf, login, filed, archive):
    # Anna opens the document; meanwhile Bram sets its client to K-7. Anna corrects only the
    # amount and saves: the client she never touched stays K-7 instead of going back to none.
    archive.clients.add({"client_id": "K-7", "name": "Bakkerij de Vries"}, SYSTEM)
    anna, bram = login("clerk"), login("clerk")
    form = _shown_fields(anna.get(f"/documents/{filed[0]}").get_data(as_text=True))
    assert form["client_id"] == "" and form["amount"] == "1.234,56"
    assert bram.post(f"/documents/{filed[0]}/facts", data={"client_id": "K-7"}).status_code == 302
    saved = anna.post(f"/documents/{filed[0]}/facts", data={**form, "amount": "1.243,56"})
    assert saved.status_code == 302
    view = archive.document(filed[0], SYSTEM, audit=False)
    assert (view.client_id, view.amount) == ("K-7", "1243.56")
    # Both changed the same fact: the second is told, and saving again is what replaces it.
    form = _shown_fields(anna.get(f"/documents/{filed[0]}").get_data(as_text=True))
    assert bram.post(f"/documents/{filed[0]}/facts", data={"amount": "99"}).status_code == 302
    clash = anna.post(f"/documents/{filed[0]}/facts", data={**form, "amount": "100"})
    page = clash.get_data(as_text=True)
    assert clash.status_code == 400 and "Iemand anders heeft dit intussen gewijzigd, in 99,00." in page
    assert archive.document(filed[0], SYSTEM, audit=False).amount == "99.00"
    again = anna.post(f"/documents/{filed[0]}/facts", data={**_shown_fields(page), "amount": "100"})
    assert again.status_code == 302 and archive.document(filed[0], SYSTEM, audit=False).amount == "100.00"


def test_a_date_after_today_on_the_facts_form_asks_first(no_csrf, login, filed, archive):
    # A clerk in a hurry types the year of birth's two digits, "3-12-62": that is 2062, and
    # the invoice's retention would start decades ahead. The form asks before it saves.
    client = login("clerk")
    response = client.post(f"/documents/{filed[0]}/facts", data={"document_date": "3-12-62", "reference": "R-9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="d-document_date-error">3 december 2062 ligt na vandaag (' in page
    assert 'name="date_after_today" value="1">' in page and 'value="R-9"' in page  # offered, not ticked
    assert "Deze datum klopt, ook al ligt die na vandaag" in page
    assert archive.document(filed[0], SYSTEM, audit=False).document_date == "2024-03-12"
    data = {"document_date": "3-12-62", "date_after_today": "1"}
    assert client.post(f"/documents/{filed[0]}/facts", data=data).status_code == 302
    assert archive.document(filed[0], SYSTEM, audit=False).document_date == "2062-12-03"


def test_bsn_is_masked_and_revealing_is_audited(no_csrf, login, filed, archive):
    with archive.db.atomic() as conn:
        conn.execute("UPDATE documents SET bsn = '111222333' WHERE id = ?", (filed[0],))
    staff_page = login("staff").get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "111222333" not in staff_page and "*****2333" in staff_page
    clerk = login("clerk")
    assert "111222333" not in clerk.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "111222333" in clerk.post(f"/documents/{filed[0]}/reveal-bsn").get_data(as_text=True)
    entries = [e for e in archive.audit.for_document(filed[0]) if e["action"] == "reveal_bsn"]
    assert len(entries) == 1 and "111222333" not in json.dumps(entries)


def test_review_queue_oldest_first_and_fixing_moves_on(no_csrf, login, filed, archive):
    client = login("clerk")
    total, items = archive.review_queue(SYSTEM)
    assert [i["id"] for i in items] == sorted(i["id"] for i in items)
    page = client.get("/review").get_data(as_text=True)
    assert f"#{items[0]['id']}" in page
    response = client.post(f"/review/{items[0]['id']}", data={"document_type": "invoice", "without_client": "1"})
    assert response.status_code == 302 and response.headers["Location"] == "/review"
    assert archive.review_queue(SYSTEM)[0] == total - 1


def test_confirm_and_next_with_the_client_left_empty_asks_for_one(no_csrf, login, filed, archive):
    # A clerk in a hurry presses "Bevestigen en volgende" on a document nobody was found for:
    # it stays in the queue, the client field says why, and what was typed is kept.
    client = login("clerk")
    total, items = archive.review_queue(SYSTEM)
    first = items[0]["id"]
    response = client.post(f"/review/{first}", data={"client_id": "", "reference": "R-77"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="r-client_id-error">Kies de cliënt van dit document, of vink aan dat het bij geen cliënt hoort.' in page
    assert 'aria-invalid="true" aria-describedby="r-client_id-error"' in page and 'value="R-77"' in page
    assert 'name="without_client" value="1">' in page  # offered, not ticked for them
    assert archive.review_queue(SYSTEM)[0] == total
    assert archive.document(first, SYSTEM, audit=False).reference != "R-77"
    # A client and the tick together: refused at the client field, both kept as sent.
    archive.clients.add({"client_id": "K-5", "name": "Smit"}, SYSTEM)
    response = client.post(f"/review/{first}", data={"client_id": "K-5", "without_client": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="r-client_id-error">Er is een cliënt ingevuld én aangevinkt' in page
    assert 'value="K-5"' in page and 'name="without_client" value="1" checked>' in page
    assert archive.document(first, SYSTEM, audit=False).client_id is None
    # Ticked, it is confirmed, and the trail says it was left without a client on purpose.
    response = client.post(f"/review/{first}", data={"client_id": "", "without_client": "1"})
    assert response.status_code == 302 and archive.review_queue(SYSTEM)[0] == total - 1
    trail = login("staff").get(f"/documents/{first}").get_data(as_text=True)
    assert "bevestigd zonder cliënt" in trail


def test_a_review_form_left_open_after_the_document_was_confirmed_changes_nothing(no_csrf, login, filed, archive):
    # Two tabs (or two clerks) on the same document: one confirms it under K-7; the other,
    # still showing the old form, picks K-8 and confirms. That must not overwrite K-7 silently.
    for number, name in (("K-7", "Bakkerij de Vries"), ("K-8", "Garage Smit")):
        archive.clients.add({"client_id": number, "name": name}, SYSTEM)
    first = archive.review_queue(SYSTEM)[1][0]["id"]
    tab, other_tab = login("clerk"), login("clerk")
    assert tab.post(f"/review/{first}", data={"client_id": "K-7"}).status_code == 302
    stale = other_tab.post(f"/review/{first}", data={"client_id": "K-8"})
    assert stale.status_code == 302 and stale.headers["Location"] == "/review"
    notice = other_tab.get("/review").get_data(as_text=True)
    assert f"Document #{first} is intussen bevestigd; wat u typte is niet opgeslagen." in notice
    view = archive.document(first, SYSTEM, audit=False)
    assert view.client_id == "K-7"
    assert [e["details"]["after"] for e in view.history if e["action"] == "change"] == ["K-7"]
    # The same form sent twice (a double press, a resend) is no clash: it says confirmed again.
    assert tab.post(f"/review/{first}", data={"client_id": "K-7"}).status_code == 302
    assert f"Bevestigd #{first}: niet meer te beoordelen." in tab.get("/review").get_data(as_text=True)


def test_dutch_dates_and_amounts_on_the_page(no_csrf, login, filed):
    page = login("staff").get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "12 maart 2024" in page and "€\u00a01.234,56" in page


def test_the_language_of_a_document_is_on_its_page(no_csrf, login, filed):
    page = login("staff").get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert '<th scope="row">Taal</th><td>Nederlands</td>' in page


def test_thumbnails_are_jpeg_and_an_older_png_one_still_shows(no_csrf, login, filed, archive):
    client = login("staff")
    response = client.get(f"/documents/{filed[0]}/thumbnail")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data[:3] == b"\xff\xd8\xff"
    # An archive filed by an earlier version holds PNG thumbnails.
    sha256 = archive.document(filed[1], SYSTEM, audit=False).sha256
    jpeg = archive.store.derivative_path(sha256, "thumb.jpg")
    png = jpeg.with_name(jpeg.name.replace(".thumb.jpg", ".thumb.png"))
    png.parent.mkdir(parents=True, exist_ok=True)  # a born-digital PDF's JPEG is drawn only when first shown
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    jpeg.unlink(missing_ok=True)
    older = client.get(f"/documents/{filed[1]}/thumbnail")
    assert older.mimetype == "image/png" and older.data.startswith(b"\x89PNG")


def test_a_fact_the_document_lacks_shows_a_dash_not_an_empty_row(no_csrf, login, filed):
    """The letter has no IBAN, amount, reference or client: each row says "—" like the keep-until date."""
    import re

    page = login("staff").get(f"/documents/{filed[1]}").get_data(as_text=True)
    table = page.split('class="facts-table"')[1].split("</table>")[0]
    for label in ("IBAN", "Bedrag", "Kenmerk", "Cliënt"):
        cell = re.search(rf'<th scope="row">{label}</th><td>(.*?)</td>', table)
        assert cell and cell.group(1).strip() == "—", (label, cell and cell.group(1))


def test_what_was_seen_of_a_client_is_worded_not_its_code(app):
    """The reader keeps a client's evidence as ``client_number: …``; the review page says "cliëntnummer: …"."""
    from web.labels import fact_source

    with app.test_request_context("/review"):
        seen = {"name": "client_id", "source_text": "client_number: Aan: Jan Jansen, klantnummer K-1"}
        assert fact_source(seen) == "cliëntnummer: Aan: Jan Jansen, klantnummer K-1"
        # Another fact's text is the document's own words, however it begins.
        assert fact_source({"name": "reference", "source_text": "name: V-7"}) == "name: V-7"
        assert fact_source({"name": "client_id", "source_text": None}) == ""


def test_format_examples_in_empty_fields_cannot_be_read_as_values(no_csrf, login, filed):
    # An empty amount field showing a grey "1.234,56" looks, at a glance, like an amount read.
    for url in ("/review", f"/documents/{filed[0]}", "/upload"):
        page = login("clerk").get(url).get_data(as_text=True)
        placeholders = re.findall(r'placeholder="([^"]*\d[^"]*)"', page)
        assert placeholders and all(p.startswith("bijv. ") for p in placeholders), (url, placeholders)


def test_the_searchs_amount_range_shows_examples_not_amounts(no_csrf, login, filed):
    # "Bedrag vanaf [0,00]" reads as a bound already set; the staff desk searches with it.
    page = login("staff").get("/", query_string={"q": "huur"}).get_data(as_text=True)
    placeholders = re.findall(r'<input name="(?:min|max)"[^>]*placeholder="([^"]*)"', page)
    assert placeholders == ["bijv. 100,00", "bijv. 1.000,00"]
