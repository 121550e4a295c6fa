"""The records page as a hurried records manager uses it: stale tabs, holds placed meanwhile."""

from __future__ import annotations

from datetime import date

from archive.access.actors import SYSTEM
from archive.documents.filing import FilingHints
from tests.documents import text_pdf


def _old_letters(archive, tmp_path, count: int) -> list[int]:
    """Letters long past their two years, filed with confirmed facts: due for destruction."""
    ids = []
    for n in range(count):
        path = text_pdf(tmp_path / f"brief-{n}.pdf", [f"Brief\nDatum: {n + 3} april 2010\nBetreft: verhuizing {n}"])
        hints = FilingHints(document_type="letter", document_date=date(2010, 4, n + 3))
        outcome = archive.ingest(path, SYSTEM, hints)
        assert outcome.status == "filed", outcome.error
        ids.append(outcome.id)
    return ids


def test_releasing_a_hold_released_meanwhile_says_so_on_the_records_page(no_csrf, login, filed, archive):
    manager = login("records_manager")
    manager.post("/records/holds", data={"document_id": filed[0], "reason": "Rechtszaak"})
    hold_id = archive.records.holds(SYSTEM)[0].id
    manager.post(f"/records/holds/{hold_id}/release", data={"reason": "Zaak gesloten"})
    assert "De bewaring is opgeheven." in manager.get("/records").get_data(as_text=True)
    for reason in ("Zaak gesloten", ""):  # the second tab, still showing the hold; a reason left out
        response = manager.post(f"/records/holds/{hold_id}/release", data={"reason": reason})
        assert response.status_code == 302 and response.headers["Location"].endswith("/records")
        page = manager.get("/records").get_data(as_text=True)
        assert 'class="notice error" role="alert"' in page and "Bewaarbeheer" in page
        assert "De bewaring is opgeheven." not in page


def test_a_confirmed_destruction_names_what_was_kept_and_why(no_csrf, login, archive, tmp_path):
    held, gone, due = _old_letters(archive, tmp_path, 3)
    manager = login("records_manager")
    # The confirmation page is open while a colleague places a hold on one and destroys another.
    colleague = archive.actor_named("records-manager")
    archive.records.place_hold(colleague, "Rechtszaak", document_id=held)
    archive.records.dispose(colleague, approve=True, ids=[gone])
    response = manager.post("/records/dispose", data={"confirm": "1", "ids": [held, gone, due]})
    assert response.status_code == 302
    page = manager.get("/records").get_data(as_text=True)
    assert "Vernietigd: 1;" in page
    assert f"Niet vernietigd: #{held} (bevroren), #{gone} (al vernietigd)." in page


def test_a_refused_hold_or_destruction_address_opened_again_is_the_records_page(no_csrf, login, archive, tmp_path):
    # A refused hold form stands at /records/holds, the confirmation at /records/dispose: Enter
    # in the address bar gave "Niet gevonden", and must never approve anything either.
    due = _old_letters(archive, tmp_path, 1)
    manager = login("records_manager")
    refused = manager.post("/records/holds", data={"document_id": "abc", "reason": "Geschil"})
    assert refused.status_code == 400
    confirm = manager.post("/records/dispose", data={"ids": due})
    assert confirm.status_code == 200 and 'name="confirm" value="1"' in confirm.get_data(as_text=True)
    for address in ("/records/holds", "/records/dispose"):
        again = manager.get(address)
        assert again.status_code == 302 and again.headers["Location"] == "/records", address
    assert archive.document(due[0], SYSTEM, audit=False).state == "filed"
