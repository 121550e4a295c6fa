"""A document's tags, notes and title over HTTP, as a clerk and as staff, in Dutch."""

from __future__ import annotations


def test_clerk_tags_and_notes_a_document_and_staff_sees_them(no_csrf, login, filed, archive):
    clerk = login("clerk")
    page = clerk.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "Nog geen labels." in page and "Label toevoegen" in page
    assert clerk.post(f"/documents/{filed[0]}/tags", data={"tag": "urgent, terugbellen"}).status_code == 302
    assert clerk.post(f"/documents/{filed[0]}/notes", data={"text": "Klant belde om 10 uur."}).status_code == 302
    archive.tags.add(filed[1], "archief", archive.actor_named("clerk"))
    page = clerk.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "urgent" in page and "terugbellen" in page and "Klant belde om 10 uur." in page
    assert '<option value="archief">' in page  # suggested from the tags in use
    staff = login("staff")
    page = staff.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "urgent" in page
    assert "Label toevoegen" not in page
    assert "Notitie toevoegen" in page
    assert "Notitie wijzigen" not in page  # not the writer
    assert staff.post(f"/documents/{filed[0]}/tags", data={"tag": "x"}).status_code == 403
    results = staff.get("/?q=tag:urgent").get_data(as_text=True)
    assert f"/documents/{filed[0]}" in results and "terugbellen" in results
    assert f"/documents/{filed[0]}" in staff.get("/?q=note:belde").get_data(as_text=True)


def test_a_bad_tag_is_said_in_dutch_and_nothing_changes(no_csrf, login, filed, archive):
    clerk = login("clerk")
    response = clerk.post(f"/documents/{filed[0]}/tags", data={"tag": "a:b"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Een label kan geen komma of dubbele punt bevatten" in page
    # A refusal is drawn as one and read out at once, not as the quiet blue "done" box.
    assert '<p class="notice error" role="alert">Een label kan geen' in page
    assert archive.tags.for_document(filed[0]) == []


def test_a_clerk_sets_a_title_and_empties_it_again(no_csrf, login, filed, archive):
    clerk = login("clerk")
    clerk.post(f"/documents/{filed[0]}/title", data={"title": "Huurfactuur maart"})
    page = clerk.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "Huurfactuur maart" in page and "Ingesteld door clerk" in page
    clerk.post(f"/documents/{filed[0]}/title", data={"title": ""})
    assert archive.document(filed[0], archive.actor_named("clerk"), audit=False).title_set_by is None
