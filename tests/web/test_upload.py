"""Uploading several files at once through the filing flow, with each outcome shown."""

from __future__ import annotations

import io

from archive.access.actors import SYSTEM
from tests.documents import text_pdf
from tests.web.filing import when_filed


def test_upload_files_several_and_reports_each(no_csrf, login, tmp_path, archive):
    one = text_pdf(tmp_path / "één.pdf", ["Factuur 1\nTotaal EUR 10,00"]).read_bytes()
    two = text_pdf(tmp_path / "twee.pdf", ["Brief\nhallo"]).read_bytes()
    response = login("clerk").post(
        "/upload",
        data={
            "files": [
                (io.BytesIO(one), "../../etc/één.pdf"),
                (io.BytesIO(two), "twee.pdf"),
                (io.BytesIO(one), "again.pdf"),
                (io.BytesIO(b"<html><body>not a document</body></html>"), "notes.pdf"),
            ]
        },
        headers={"Accept": "application/json"},
    )
    outcomes = [when_filed(archive, o) for o in response.get_json()["outcomes"]]
    assert [o["status"] for o in outcomes] == ["filed", "filed", "duplicate", "failed"]
    assert outcomes[2]["duplicate_of"] == outcomes[0]["id"]
    # The clerk reads why in the page's language; the JSON keeps the English sentence and its code.
    assert outcomes[3]["message"].startswith("niet gearchiveerd: Dit bestand is een webpagina (HTML);")
    assert outcomes[3]["error"].startswith("This file is a web page (HTML);")
    assert outcomes[3]["error_code"] == "format.unsupported"
    view = archive.document(outcomes[0]["id"], SYSTEM, audit=False)
    assert view.original_filename == "één.pdf" and view.channel == "upload"
    assert outcomes[0]["source"] == "één.pdf"  # no temp paths leak to the page
    assert not any((archive.config.home / "tmp" / "uploads").iterdir())


def test_upload_without_script_shows_a_results_page(no_csrf, login, tmp_path):
    data = text_pdf(tmp_path / "a.pdf", ["Factuur\nhallo"]).read_bytes()
    page = login("clerk").post("/upload", data={"files": [(io.BytesIO(data), "a.pdf")]}).get_data(as_text=True)
    assert "gearchiveerd als #" in page or "ontvangen als #" in page


def test_upload_with_no_file_says_so(no_csrf, login):
    response = login("clerk").post("/upload", data={}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and "bestand" in response.get_json()["error"]


def test_upload_with_unknown_client_hint_is_refused(no_csrf, login, tmp_path):
    data = text_pdf(tmp_path / "a.pdf", ["Factuur\nhallo"]).read_bytes()
    response = login("clerk").post(
        "/upload",
        data={"files": [(io.BytesIO(data), "a.pdf")], "client_id": "K-404"},
        headers={"Accept": "application/json"},
    )
    answer = response.get_json()
    assert response.status_code == 400 and "K-404" in answer["fields"]["client_id"]


def test_a_client_name_typed_instead_of_picked_is_named_back(no_csrf, login, tmp_path, archive):
    # The name typed, the list below the field not used: the refusal says which client that is.
    archive.clients.add({"client_id": "K-8", "name": "Garage Smit"}, SYSTEM)
    data = text_pdf(tmp_path / "a.pdf", ["Factuur\nhallo"]).read_bytes()
    response = login("clerk").post(
        "/upload",
        data={"files": [(io.BytesIO(data), "a.pdf")], "client_id": "garage"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["fields"]["client_id"] == (
        "Er is geen cliënt met nummer garage. Bedoelt u K-8 (Garage Smit)? Kies die cliënt, of typ het nummer."
    )


def test_too_large_upload_gets_a_sentence(no_csrf, login):
    no_csrf.config["MAX_CONTENT_LENGTH"] = 1000
    response = login("clerk").post(
        "/upload",
        data={"files": [(io.BytesIO(b"%PDF" + b"0" * 5000), "big.pdf")]},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 413 and "te groot" in response.get_json()["error"]


def test_unexpected_errors_show_a_sentence_not_a_traceback(no_csrf, login, archive, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /home/x")

    monkeypatch.setattr(archive, "search", broken)
    response = login("staff").get("/?q=factuur")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in page and "secret internals" not in page and "logboek" in page


def _two_clients(archive) -> None:
    archive.clients.add(
        {
            "client_id": "K-10002",
            "name": "Bakkerij De Vries",
            "kind": "company",
            "kvk": "12345678",
            "street": "Molenweg",
            "house_number": "4",
            "postcode": "3511 AB",
            "city": "Utrecht",
        },
        SYSTEM,
    )
    archive.clients.add(
        {
            "client_id": "K-10003",
            "name": "D. Mulder",
            "street": "Kerkstraat",
            "house_number": "12",
            "postcode": "1234 AB",
            "city": "Amersfoort",
        },
        SYSTEM,
    )


def test_a_given_client_the_document_contradicts_goes_to_review(no_csrf, login, tmp_path, archive):
    """The bicycle-shop invoice for D. Mulder, uploaded while K-10002 was still typed in."""
    _two_clients(archive)
    invoice = text_pdf(
        tmp_path / "fiets.pdf",
        [
            "Rijwielhandel De Snelle Spaak\nStationsplein 3, 3811 AA Amersfoort\n\nD. Mulder\nKerkstraat 12\n"
            "1234 AB Amersfoort\n\nFactuur 2024-118\nFactuurdatum: 4 maart 2024\nReparatie fiets\n"
            "Totaal te betalen: EUR 86,50"
        ],
    ).read_bytes()
    response = login("clerk").post(
        "/upload",
        data={"files": [(io.BytesIO(invoice), "fiets.pdf")], "client_id": "K-10002"},
        headers={"Accept": "application/json"},
    )
    [outcome] = response.get_json()["outcomes"]
    outcome = when_filed(archive, outcome)  # an upload is answered before it is read
    assert outcome["status"] == "filed" and outcome["needs_review"]
    assert "client_contradicted" in outcome["review_reasons"] and outcome["client_id"] != "K-10002"
    assert outcome["client_id"] == "K-10003" and archive.clients.get("K-10003").name == "D. Mulder"
    # Read after the answer (the filing queue): the facts, not the answer's wording, are checked here.
    assert outcome["url"].endswith(f"/documents/{outcome['id']}") and outcome["document_date"] == "2024-03-04"
    view = archive.document(outcome["id"], SYSTEM, audit=False)
    given = [e for e in view.evidence if e["name"] == "given_client_id"]
    assert given and given[0]["value"] == "K-10002"  # kept beside it, for the clerk to choose


def test_a_given_client_the_document_agrees_with_settles_it(no_csrf, login, tmp_path, archive):
    _two_clients(archive)
    letter = text_pdf(tmp_path / "brief.pdf", ["Brief\nDatum: 3 april 2023\nBetreft: uw bestelling"]).read_bytes()
    response = login("clerk").post(
        "/upload",
        data={"files": [(io.BytesIO(letter), "brief.pdf")], "client_id": "K-10002"},
        headers={"Accept": "application/json"},
    )
    [outcome] = response.get_json()["outcomes"]
    outcome = when_filed(archive, outcome)  # an upload is answered before it is read
    assert outcome["client_id"] == "K-10002" and "client_contradicted" not in outcome["review_reasons"]
