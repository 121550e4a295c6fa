"""A BSN typed anywhere a person types stays out of URLs, request logs and other roles' pages."""

from __future__ import annotations

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
