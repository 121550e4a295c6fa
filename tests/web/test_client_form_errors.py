"""A refused client form marks each wrong field, says why beside it, and puts the cursor in the first."""

from __future__ import annotations

import re


def _input(page: str, name: str) -> str:
    found = re.search(rf'<input id="c-{name}"[^>]*>', page)
    assert found, name
    return found.group(0)


def test_a_mistyped_iban_is_marked_beside_the_iban_with_the_cursor_in_it(no_csrf, login):
    page = login("clerk").post(
        "/clients/new", data={"client_id": "K-9", "name": "Bloemist Bakker", "iban": "NL91 ABNA 0417 1643 01"}
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    iban = _input(html, "iban")
    assert 'aria-invalid="true"' in iban and 'aria-describedby="c-iban-error"' in iban and "autofocus" in iban
    assert re.search(r'id="c-iban-error">De IBAN &#39;NL91 ABNA 0417 1643 01&#39; is niet geldig.<', html)
    # The cursor is no longer sent back to the client number, which was right.
    number = _input(html, "client_id")
    assert "autofocus" not in number and "aria-invalid" not in number


def test_an_empty_name_and_a_wrong_postcode_are_both_marked_the_cursor_in_the_name(no_csrf, login):
    html = (
        login("clerk")
        .post("/clients/new", data={"client_id": "K-9", "name": "", "postcode": "99999"})
        .get_data(as_text=True)
    )
    name, postcode = _input(html, "name"), _input(html, "postcode")
    assert 'aria-invalid="true"' in name and "autofocus" in name and 'id="c-name-error">De naam ontbreekt.<' in html
    assert 'aria-invalid="true"' in postcode and "autofocus" not in postcode and 'id="c-postcode-error"' in html


def test_an_edit_refused_keeps_the_bsn_hint_beside_its_error(no_csrf, login, archive):
    from archive.access.actors import SYSTEM

    archive.clients.add({"client_id": "K-1", "name": "Jan Jansen", "bsn": "123456782"}, SYSTEM)
    html = (
        login("clerk").post("/clients/K-1/edit", data={"name": "Jan Jansen", "bsn": "123456789"}).get_data(as_text=True)
    )
    bsn = _input(html, "bsn")
    assert 'aria-describedby="c-bsn-error' in bsn and 'aria-invalid="true"' in bsn and "autofocus" in bsn
    assert "123456789" not in html.split('id="c-bsn-error">')[1].split("<")[0]


def test_an_untouched_form_puts_the_cursor_in_its_first_field(login):
    clerk = login("clerk")
    assert "autofocus" in _input(clerk.get("/clients/new").get_data(as_text=True), "client_id")
