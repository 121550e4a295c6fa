"""A document's history and the trail show a changed IBAN in groups of four, as the facts table does."""

from __future__ import annotations


def test_a_corrected_iban_is_shown_spaced_in_the_history(no_csrf, login, filed):
    clerk = login("clerk")
    saved = clerk.post(f"/documents/{filed[0]}/facts", data={"iban": "NL91 ABNA 0417 1643 00"})
    assert saved.status_code == 302
    page = clerk.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "IBAN: — → NL91 ABNA 0417 1643 00" in page
    assert "NL91ABNA0417164300" not in page
    trail = login("auditor").get("/audit").get_data(as_text=True)
    assert "→ NL91 ABNA 0417 1643 00" in trail
