"""A refused bulk change comes back as typed and ticked, with the reason beside its field."""

from __future__ import annotations

import re

from archive.access.actors import SYSTEM


def _checked(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'class="hit-check" name="ids" value="(\d+)"[^>]* checked', page)}


def test_an_unknown_client_keeps_what_was_typed_and_ticked(no_csrf, login, filed, archive):
    clerk = login("clerk")
    response = clerk.post(
        "/bulk", data={"ids": [str(filed[0])], "action": "client", "value": "K-404", "back": "/?q=datum"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _checked(page) == {filed[0]}
    assert '<option value="client" selected>' in page
    assert 'value="K-404" aria-invalid="true" aria-describedby="bulk-value-error"' in page
    assert re.search(r'id="bulk-value-error" role="alert">[^<]*K-404', page)
    # The bar still sends the results page back, not the address it was posted to.
    assert 'name="back" value="/?q=datum"' in page
    assert archive.document(filed[0], SYSTEM, audit=False).client_id is None


def test_a_hold_without_a_reason_says_so_beside_the_reason(no_csrf, login, filed, archive):
    response = login("records_manager").post(
        "/bulk", data={"ids": [str(i) for i in filed], "action": "hold", "reason": "", "back": "/?q=datum"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _checked(page) == set(filed)
    assert 'id="bulk-reason" value="" aria-invalid="true"' in page and 'id="bulk-reason-error"' in page


def test_nothing_ticked_is_said_beside_the_boxes(no_csrf, login, filed):
    response = login("clerk").post("/bulk", data={"action": "tag", "value": "controle", "back": "/?q=datum"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="bulk-ids-error"' in page and 'value="controle"' in page
    assert '<option value="tag" selected>' in page


def test_a_change_the_role_may_not_make_is_refused_with_403_beside_the_action(no_csrf, login, filed, archive):
    response = login("clerk").post(
        "/bulk", data={"ids": [str(filed[0])], "action": "hold", "reason": "rechtszaak", "back": "/?q=datum"}
    )
    assert response.status_code == 403
    assert archive.document(filed[0], SYSTEM, audit=False).legal_hold is False
