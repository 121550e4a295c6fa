"""Custom fields on the document page: edited by clerks like facts, shown to staff, in Dutch."""

from __future__ import annotations

import dataclasses

import pytest

from archive.config import CustomField, DeskSettings


@pytest.fixture
def config(config):
    fields = {"status": CustomField(label_nl="Betaalstatus", kind="choice", choices=["open", "betaald"])}
    return dataclasses.replace(config, desk=DeskSettings(fields=fields))


def test_a_clerk_sets_a_custom_field_and_staff_finds_it(no_csrf, login, filed, archive):
    clerk = login("clerk")
    page = clerk.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert "Meer velden" in page and "Betaalstatus" in page and '<select name="custom.status">' in page
    clerk.post(f"/documents/{filed[0]}/custom", data={"custom.status": "betaald"})
    staff = login("staff")
    page = staff.get(f"/documents/{filed[0]}").get_data(as_text=True)
    assert '<span class="value">betaald</span>' in page and "Velden opslaan" not in page
    assert f"/documents/{filed[0]}?" in staff.get("/?q=status:betaald").get_data(as_text=True)
    bad = clerk.post(f"/documents/{filed[0]}/custom", data={"custom.status": "nee"}, follow_redirects=True)
    assert "is niet een van de keuzes" in bad.get_data(as_text=True)
