"""Titles follow the facts unless a person set one; tags and notes: audited, searched, kept to their writers."""

from __future__ import annotations

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.errors import Conflict, InvalidInput, PermissionDenied
from search import SearchRequest
from tests.documents import text_pdf

CLERK = Actor("anna", "clerk")
OTHER_CLERK = Actor("bram", "clerk")
STAFF = Actor("sara", "staff")


@pytest.fixture
def document(archive, tmp_path) -> int:
    path = text_pdf(tmp_path / "f.pdf", ["Factuur F2024-0012\nFactuurdatum: 12 maart 2024\nTotaal: EUR 10,00"])
    archive.clients.add({"client_id": "K-7", "name": "Bakkerij de Vries"}, SYSTEM)
    return archive.ingest(path, SYSTEM).id


def _ids(archive, query: str) -> list[int]:
    return [hit.id for hit in archive.search(SearchRequest(query=query), SYSTEM).hits]


def test_the_title_follows_corrected_facts(archive, document):
    before = archive.document(document, SYSTEM, audit=False)
    assert "F2024-0012" in before.title and "Vries" not in before.title
    view = archive.update_facts(document, {"client_id": "K-7", "reference": "F2024-0099"}, CLERK)
    assert view.title == "Factuur F2024-0099 — Bakkerij de Vries"
    assert view.title_set_by is None
    change = [e["details"] for e in view.history if e["action"] == "title_change"]
    assert change == [{"before": before.title, "after": view.title, "set_by_person": False}]
    assert _ids(archive, "vries") == [document]


def test_a_title_a_person_set_stays_until_emptied(archive, document):
    view = archive.update_facts(document, {"title": "  Huur   kantoor maart "}, CLERK)
    assert view.title == "Huur kantoor maart" and view.title_set_by == "anna"
    view = archive.update_facts(document, {"client_id": "K-7"}, CLERK)
    assert view.title == "Huur kantoor maart"
    assert _ids(archive, "kantoor") == [document]
    view = archive.update_facts(document, {"title": ""}, CLERK)
    assert view.title == "Factuur F2024-0012 — Bakkerij de Vries" and view.title_set_by is None
    with pytest.raises(InvalidInput):
        archive.update_facts(document, {"title": "x" * 201}, CLERK)
    with pytest.raises(PermissionDenied):
        archive.update_facts(document, {"title": "Mijn titel"}, STAFF)


def test_a_hinted_client_names_the_title_at_filing(archive, tmp_path):
    from archive.service import FilingHints

    archive.clients.add({"client_id": "K-8", "name": "Garage Smit"}, SYSTEM)
    path = text_pdf(tmp_path / "g.pdf", ["Factuur G-77\nFactuurdatum: 2 mei 2024\nTotaal: EUR 99,00"])
    outcome = archive.ingest(path, SYSTEM, hints=FilingHints(client_id="K-8"))
    assert archive.document(outcome.id, SYSTEM, audit=False).title == "Factuur G-77 — Garage Smit"


def test_tags_are_audited_searched_and_suggested(archive, document, tmp_path):
    assert archive.tags.add(document, "  Urgent ", CLERK) == "urgent"
    assert archive.tags.add(document, "wacht op handtekening", CLERK) == "wacht op handtekening"
    archive.tags.add(document, "URGENT", CLERK)  # already there: no second entry
    view = archive.document(document, SYSTEM, audit=False)
    assert view.tags == ["urgent", "wacht op handtekening"]
    entries = [(e["action"], e["details"]["tag"], e["actor"]) for e in view.history if e["action"].startswith("tag")]
    assert entries == [("tag_add", "urgent", "anna"), ("tag_add", "wacht op handtekening", "anna")]
    assert _ids(archive, "tag:urgent") == [document]
    assert _ids(archive, 'tag:"wacht op handtekening"') == [document]
    hit = archive.search(SearchRequest(query="tag:urgent"), SYSTEM).hits[0]
    assert hit.tags == ("urgent", "wacht op handtekening")
    assert archive.tags.suggestions("ur") == [("urgent", 1)]
    archive.tags.remove(document, "urgent", CLERK)
    assert _ids(archive, "tag:urgent") == []
    assert [e["action"] for e in archive.document(document, SYSTEM, audit=False).history][-1] == "tag_remove"
    for bad in ("", "a,b", "x" * 41, "klant:1"):
        with pytest.raises(InvalidInput):
            archive.tags.add(document, bad, CLERK)
    with pytest.raises(PermissionDenied):
        archive.tags.add(document, "urgent", STAFF)


def test_notes_are_written_searched_and_changed_only_by_their_writer(archive, document):
    note = archive.notes.add(document, "Klant belde: stuurt de getekende kopie volgende week.", STAFF)
    assert (note.author, note.created_at == note.updated_at) == ("sara", True)
    assert _ids(archive, "note:getekende") == [document]
    assert _ids(archive, "getekende kopie") == [document]
    assert _ids(archive, "notitie:betalingsregeling") == []
    with pytest.raises(PermissionDenied):
        archive.notes.edit(note.id, "Anders", CLERK)
    archive.notes.edit(note.id, "Klant belde over een betalingsregeling.", STAFF)
    assert _ids(archive, "notitie:betalingsregeling") == [document]
    assert _ids(archive, "note:getekende") == []
    view = archive.document(document, SYSTEM, audit=False)
    assert [n["text"] for n in view.notes] == ["Klant belde over een betalingsregeling."]
    actions = [(e["action"], e["actor"]) for e in view.history if e["action"].startswith("note")]
    assert actions == [("note_add", "sara"), ("note_edit", "sara")]
    with pytest.raises(InvalidInput):
        archive.notes.add(document, "   ", STAFF)


def test_a_disposed_document_takes_its_notes_and_tags_with_it(archive, document):
    from storage import desk_repo, records_repo

    archive.tags.add(document, "urgent", CLERK)
    archive.notes.add(document, "Persoonlijke opmerking", STAFF)
    with archive.db.atomic() as conn:
        records_repo.mark_disposed(conn, document, "2030-01-01T00:00:00Z")
    conn = archive.db.read()
    assert desk_repo.tags_of(conn, document) == [] and desk_repo.notes_of(conn, document) == []
    with pytest.raises(Conflict):
        archive.notes.add(document, "Nog iets", STAFF)


def test_saved_searches_are_per_user_or_shared_with_a_role(archive, document):
    mine = archive.saved_searches.save("Facturen Vries", "type:invoice", CLERK)
    shared = archive.saved_searches.save("Alle facturen", "type:invoice", CLERK, shared_role="staff")
    assert [s.name for s in archive.saved_searches.for_actor(CLERK)] == ["Alle facturen", "Facturen Vries"]
    assert [s.name for s in archive.saved_searches.for_actor(STAFF)] == ["Alle facturen"]
    assert archive.saved_searches.for_actor(OTHER_CLERK) == []
    page = archive.start_page(STAFF)
    assert [(s.name, count) for s, count in page["saved"]] == [("Alle facturen", 1)]
    assert page["review_waiting"] is None and page["inbox"] is None
    with pytest.raises(PermissionDenied):
        archive.saved_searches.delete(shared.id, STAFF)
    archive.saved_searches.delete(mine.id, CLERK)
    for name, query, role in (("", "x", None), ("Naam", "", None), ("Naam", "x", "chef")):
        with pytest.raises(InvalidInput):
            archive.saved_searches.save(name, query, CLERK, shared_role=role)
    assert [s.name for s in archive.saved_searches.for_actor(CLERK)] == ["Alle facturen"]


def test_the_start_page_lists_what_a_person_opened_last(archive, document):
    archive.document(document, STAFF)
    page = archive.start_page(STAFF)
    assert [d.id for d in page["last_opened"]] == [document]
    assert [d.id for d in archive.start_page(CLERK)["recent"]] == [document]
    assert archive.start_page(CLERK)["review_waiting"] == 1
