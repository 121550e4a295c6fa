"""A BSN typed anywhere a person types stays out of URLs, request logs and other roles' pages."""

from __future__ import annotations

import re

from archive.access.actors import Actor

WRITTEN = ("123456782", "1234.56.782", "123 456 782", "12-34-56-782")


def test_every_search_box_posts_and_lands_on_a_reference(no_csrf, login, filed):
    staff = login("staff")
    start = staff.get("/").get_data(as_text=True)
    document = staff.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert 'method="get" action="/"' not in start and 'method="get" action="/"' not in document
    assert 'method="post" action="/search"' in start and 'method="post" action="/search"' in document
    for written in WRITTEN:
        response = staff.post("/search", data={"q": written})
        assert response.status_code == 303 and "ref=" in response.headers["Location"]
        assert not any(w in response.headers["Location"] for w in WRITTEN)


def test_suggestions_are_asked_by_post(no_csrf, login, filed):
    response = login("staff").post("/suggest", data={"q": "123 456 782"})
    assert response.status_code == 200 and response.is_json


def test_a_bsn_in_a_note_is_masked_for_every_role(no_csrf, login, filed, archive):
    archive.notes.add(filed[0], "Klant belde, BSN 1234.56.782 bevestigd.", Actor("clerk", "clerk"))
    for role in ("staff", "clerk", "auditor"):
        page = login(role).get(f"/documents/{filed[0]}").get_data(as_text=True)
        assert "*****6782" in page and not any(w in page for w in WRITTEN), role


def test_the_results_and_clients_boxes_post_and_a_kept_search_is_sent_again_by_its_reference(no_csrf, login, filed):
    staff = login("staff")
    kept = staff.post("/search", data={"q": "1234.56.782"}).headers["Location"]
    results = staff.get(kept).get_data(as_text=True)
    assert 'class="searchbox" method="post" action="/search"' in results and "*****6782" in results
    ref = kept.split("ref=")[1].split("&")[0]
    assert f'name="ref" value="{ref}"' in results
    # Sent again as shown (masked) with another order: the same kept search, still by reference.
    again = staff.post("/search", data={"q": "*****6782", "ref": ref, "sort": "date", "view": "grid"})
    location = again.headers["Location"]
    assert "ref=" in location and "sort=date" in location and "view=grid" in location
    assert not any(w in location for w in WRITTEN) and "q=" not in location
    clients = staff.get("/clients").get_data(as_text=True)
    assert 'method="post" action="/clients"' in clients
    found = staff.post("/clients", data={"q": "123 456 782"})
    assert found.status_code == 200 and "123 456 782" not in found.headers.get("Location", "")


def test_the_results_forms_send_a_bsn_search_by_reference_and_a_saved_one_opens_by_number(no_csrf, login, filed):
    staff = login("staff")
    page = staff.get(staff.post("/search", data={"q": "123 456 782"}).headers["Location"]).get_data(as_text=True)
    ref = re.search(r'name="query_ref" value="([^"]+)"', page).group(1)  # the save form's query, kept
    assert not any(w in page for w in WRITTEN)
    saved = staff.post("/saved", data={"name": "Op BSN", "query_ref": ref, "back": "/"})
    assert saved.status_code == 302
    start = staff.get("/").get_data(as_text=True)
    link = re.search(r'<a href="(/saved/\d+)">Op BSN</a>', start).group(1)
    assert not any(w in start for w in WRITTEN)
    opened = staff.get(link)
    assert opened.status_code == 303 and "ref=" in opened.headers["Location"]
    assert "*****6782" in staff.get(opened.headers["Location"]).get_data(as_text=True)
    assert login("clerk").get(link).status_code == 404  # another's, not shared


def test_the_audit_filter_posts_and_keeps_what_was_typed_out_of_every_address(login, filed, archive):
    auditor = login("auditor")
    page = auditor.get("/audit").get_data(as_text=True)
    assert 'method="post" action="/audit"' in page and 'method="get" action="/audit"' not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    typed = {"client": "123 456 782", "user": "Jansen", "document": str(filed[0]), "csrf_token": token}
    assert auditor.post("/audit", data={k: v for k, v in typed.items() if k != "csrf_token"}).status_code == 400
    sent = auditor.post("/audit", data=typed)
    location = sent.headers["Location"]
    assert sent.status_code == 303 and re.fullmatch(r"/audit\?ref=[\w-]+", location)
    shown = auditor.get(location).get_data(as_text=True)
    assert 'value="Jansen"' in shown and f'value="{filed[0]}"' in shown  # the form shows what was asked
    # The CSV button sends the same form: what the boxes hold, kept the same way.
    assert 'name="as" value="csv"' in shown and "/audit.csv?" not in shown
    exported = auditor.post("/audit", data={**typed, "as": "csv"}).headers["Location"]
    assert re.fullmatch(r"/audit\.csv\?ref=[\w-]+", exported) and auditor.get(exported).mimetype == "text/csv"


def test_an_audit_filter_in_an_old_link_leaves_the_address_and_a_reference_is_for_its_own_page(
    no_csrf, login, filed, archive
):
    auditor = login("auditor")
    for path in ("/audit", "/audit.csv"):
        moved = auditor.get(f"{path}?client=123456782&document={filed[0]}")
        assert moved.status_code == 303 and moved.headers["Location"].startswith(f"{path}?ref=")
        assert "123456782" not in moved.headers["Location"]
    csv = auditor.get(f"/audit.csv?document={filed[0]}", follow_redirects=True).get_data(as_text=True)
    assert {row["document_id"] for row in csv_rows(csv)} == {str(filed[0])}
    # A search's reference opens no audit filter, nor does another auditor's.
    search_ref = auditor.post("/search", data={"q": "123456782"}).headers["Location"].split("ref=")[1]
    assert auditor.get(f"/audit?ref={search_ref}").headers["Location"] == "/audit"
    from web.query_refs import query_refs

    with no_csrf.app_context():
        anothers = query_refs().keep("olga", f"document={filed[0]}", kind="audit")
    assert auditor.get(f"/audit?ref={anothers}").headers["Location"] == "/audit"


def test_tag_and_suggestion_links_carry_a_bsn_by_reference(no_csrf, login, filed, archive):
    clerk = login("clerk")
    from storage import desk_repo

    with archive.db.atomic() as conn:  # a tag from before tags refused a BSN
        desk_repo.add_tag(conn, filed[0], "bsn 123456782", "clerk", "2024-01-01T00:00:00Z")
    page = clerk.get(f"/documents/{filed[0]}").get_data(as_text=True)
    links = re.findall(r'<a href="(/\?[^"]+)">', page)
    assert links and not any(w in link for link in links for w in WRITTEN)
    suggested = clerk.post("/suggest", data={"q": "bsn 1"}).get_json()
    urls = [s["url"] for s in suggested if s["kind"] == "tag"]
    assert urls and all("ref=" in url and not any(w in url for w in WRITTEN) for url in urls)


def test_a_bsn_typed_as_a_tag_is_refused_with_a_sentence_that_does_not_repeat_it(no_csrf, login, filed, archive):
    clerk = login("clerk")
    for written in WRITTEN:
        page = clerk.post(f"/documents/{filed[0]}/tags", data={"tag": f"bsn: {written}"}, follow_redirects=True)
        said = page.get_data(as_text=True)
        assert "Een label kan geen BSN bevatten" in said and written not in said, written
    assert archive.document(filed[0], Actor("clerk", "clerk"), audit=False).tags == []


def csv_rows(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def test_did_you_mean_shows_a_bsn_in_the_query_masked_and_links_it_by_reference(no_csrf, login, filed):
    staff = login("staff")
    page = staff.post("/search", data={"q": "factuurdaatum 123456782"}, follow_redirects=True).get_data(as_text=True)
    offered = re.search(r'Bedoelde u <a href="([^"]+)">([^<]+)</a>', page)
    assert offered and offered.group(2) == "factuurdatum *****6782" and "ref=" in offered.group(1)
    assert not any(w in page for w in WRITTEN)
