""" "Show BSNs in full" is offered only on a document that has a BSN to show."""

from __future__ import annotations

from archive.access.actors import SYSTEM

BUTTON = "BSN’s voluit tonen"


def _button_shown(client, document_id: int) -> bool:
    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    return BUTTON in page


def test_a_document_without_a_bsn_offers_nothing_to_reveal(no_csrf, login, filed):
    assert not _button_shown(login("clerk"), filed[1])


def test_a_bsn_fact_or_a_bsn_in_the_text_offers_the_button(no_csrf, login, filed, archive):
    with archive.db.atomic() as conn:
        conn.execute("UPDATE documents SET bsn = '111222333' WHERE id = ?", (filed[0],))
        conn.execute("UPDATE pages SET text = text || ' BSN 111222333' WHERE document_id = ?", (filed[1],))
    clerk = login("clerk")
    assert _button_shown(clerk, filed[0])
    assert _button_shown(clerk, filed[1])
    # Staff may not see BSNs: never offered to them.
    assert not _button_shown(login("staff"), filed[0])
    assert archive.document(filed[1], SYSTEM, audit=False).has_bsn


def test_the_client_form_says_a_bsn_is_masked_only_when_there_is_one(no_csrf, login, archive):
    archive.clients.add({"client_id": "K-40", "name": "Zonder"}, SYSTEM)
    archive.clients.add({"client_id": "K-41", "name": "Met", "bsn": "111222333"}, SYSTEM)
    clerk = login("clerk")
    assert "Gemaskeerd getoond" not in clerk.get("/clients/K-40/edit").get_data(as_text=True)
    assert "Gemaskeerd getoond" in clerk.get("/clients/K-41/edit").get_data(as_text=True)
