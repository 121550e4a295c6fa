"""Bulk changes: all or nothing, one audit entry per document, the index once; sorting by amount and date."""

from __future__ import annotations

import pytest

from archive.access.actors import SYSTEM, Actor
from archive.errors import InvalidInput, NotFound, PermissionDenied
from search import SearchRequest
from tests.documents import text_pdf

CLERK = Actor("anna", "clerk")
STAFF = Actor("sara", "staff")
RECORDS = Actor("rik", "records_manager")


@pytest.fixture
def documents(archive, tmp_path) -> list[int]:
    archive.clients.add({"client_id": "K-7", "name": "Bakkerij de Vries"}, SYSTEM)
    ids = []
    for n, (day, amount) in enumerate((("3 maart 2025", "10,00"), ("9 mei 2025", "250,00"), ("1 juni 2024", None))):
        total = f"\nTotaal: EUR {amount}" if amount else ""
        path = text_pdf(tmp_path / f"d{n}.pdf", [f"Factuur B-{n}\nFactuurdatum: {day}{total}"])
        ids.append(archive.ingest(path, SYSTEM).id)
    return ids


def _ids(archive, query: str, sort: str = "relevance") -> list[int]:
    return [hit.id for hit in archive.search(SearchRequest(query=query, sort=sort), SYSTEM).hits]


def test_a_client_set_in_bulk_is_one_change_per_document(archive, documents):
    done = archive.bulk.apply(documents, "client", "K-7", CLERK)
    assert (done.selected, done.changed) == (3, 3)
    assert sorted(_ids(archive, "client:K-7")) == documents
    for document_id in documents:
        view = archive.document(document_id, SYSTEM, audit=False)
        changes = [e for e in view.history if e["action"] == "change"]
        assert [(c["actor"], c["details"]["fact"], c["details"]["after"]) for c in changes] == [
            ("anna", "client_id", "K-7")
        ]
        assert view.title.endswith("Bakkerij de Vries")  # the title follows
    again = archive.bulk.apply(documents, "client", "K-7", CLERK)
    assert again.changed == 0


def test_tags_types_and_dates_in_bulk(archive, documents):
    assert archive.bulk.apply(documents[:2], "tag", "Urgent", CLERK).changed == 2
    assert sorted(_ids(archive, "tag:urgent")) == documents[:2]
    assert archive.bulk.apply(documents, "untag", "urgent", CLERK).changed == 2  # the third had none
    assert _ids(archive, "tag:urgent") == []
    removed = [e for e in archive.document(documents[0], SYSTEM, audit=False).history if e["action"] == "tag_remove"]
    assert [(e["actor"], e["details"]["tag"]) for e in removed] == [("anna", "urgent")]
    archive.bulk.apply(documents, "type", "letter", CLERK)
    assert sorted(_ids(archive, "type:letter")) == documents
    archive.bulk.apply(documents[2:], "date", "15-03-2025", CLERK)
    assert _ids(archive, "date:2025-03-15") == documents[2:]


def test_bulk_is_all_or_nothing_and_checks_the_role(archive, documents):
    with pytest.raises(InvalidInput):
        archive.bulk.apply(documents, "client", "K-404", CLERK)
    with pytest.raises(InvalidInput):
        archive.bulk.apply([], "tag", "x", CLERK)
    with pytest.raises(PermissionDenied):
        archive.bulk.apply(documents, "tag", "x", STAFF)
    with pytest.raises(PermissionDenied):
        archive.bulk.apply(documents, "hold", "Rechtszaak", CLERK)
    with pytest.raises(NotFound):  # a document that is not there stops the whole change
        archive.bulk.apply([*documents, 99999], "type", "letter", CLERK)
    assert _ids(archive, "type:letter") == []


def test_records_managers_place_holds_in_bulk(archive, documents):
    archive.bulk.apply(documents[:2], "hold", "Rechtszaak 2025/17", RECORDS)
    assert [archive.document(i, SYSTEM, audit=False).legal_hold for i in documents] == [True, True, False]


def test_results_sort_by_amount_and_by_date_both_ways(archive, documents):
    assert _ids(archive, "factuur", "amount") == [documents[1], documents[0], documents[2]]
    assert _ids(archive, "factuur", "amount_low") == [documents[0], documents[1], documents[2]]
    assert _ids(archive, "factuur", "date") == [documents[1], documents[0], documents[2]]
    assert _ids(archive, "factuur", "oldest") == [documents[2], documents[0], documents[1]]
    assert _ids(archive, "factuur date:>=2025-01-01 date:<=2025-04-30") == [documents[0]]
    assert _ids(archive, "factuur amount:>=100") == [documents[1]]
