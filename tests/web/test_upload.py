"""Uploading several files at once through the filing flow, with each outcome shown."""

from __future__ import annotations

import io

from archive.access.actors import SYSTEM
from tests.documents import text_pdf


def test_upload_files_several_and_reports_each(no_csrf, login, tmp_path, archive):
    one = text_pdf(tmp_path / "één.pdf", ["Factuur 1\nTotaal EUR 10,00"]).read_bytes()
    two = text_pdf(tmp_path / "twee.pdf", ["Brief\nhallo"]).read_bytes()
    response = login("clerk").post("/upload", data={"files": [
        (io.BytesIO(one), "../../etc/één.pdf"), (io.BytesIO(two), "twee.pdf"),
        (io.BytesIO(one), "again.pdf"), (io.BytesIO(b"<html><body>not a document</body></html>"), "notes.pdf")]},
        headers={"Accept": "application/json"})
    outcomes = response.get_json()["outcomes"]
    assert [o["status"] for o in outcomes] == ["filed", "filed", "duplicate", "failed"]
    assert outcomes[2]["duplicate_of"] == outcomes[0]["id"]
    # The clerk reads why in the page's language; the JSON keeps the English sentence and its code.
    assert outcomes[3]["message"].startswith("mislukt: Dit bestand is een webpagina (HTML); het archief neemt")
    assert outcomes[3]["error"].startswith("This file is a web page (HTML);")
    assert outcomes[3]["error_code"] == "format.unsupported"
    view = archive.document(outcomes[0]["id"], SYSTEM, audit=False)
    assert view.original_filename == "één.pdf" and view.channel == "upload"
    assert outcomes[0]["source"] == "één.pdf"  # no temp paths leak to the page
    assert not any((archive.config.home / "tmp" / "uploads").iterdir())


def test_upload_without_script_shows_a_results_page(no_csrf, login, tmp_path):
    data = text_pdf(tmp_path / "a.pdf", ["Factuur\nhallo"]).read_bytes()
    page = login("clerk").post("/upload", data={"files": [(io.BytesIO(data), "a.pdf")]}).get_data(as_text=True)
    assert "gearchiveerd als #" in page


def test_upload_with_no_file_says_so(no_csrf, login):
    response = login("clerk").post("/upload", data={}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and "bestand" in response.get_json()["error"]


def test_upload_with_unknown_client_hint_is_refused(no_csrf, login, tmp_path):
    data = text_pdf(tmp_path / "a.pdf", ["Factuur\nhallo"]).read_bytes()
    response = login("clerk").post("/upload", data={"files": [(io.BytesIO(data), "a.pdf")], "client_id": "K-404"},
                                   headers={"Accept": "application/json"})
    assert response.status_code == 400 and "K-404" in response.get_json()["error"]


def test_too_large_upload_gets_a_sentence(no_csrf, login):
    no_csrf.config["MAX_CONTENT_LENGTH"] = 1000
    response = login("clerk").post("/upload", data={"files": [(io.BytesIO(b"%PDF" + b"0" * 5000), "big.pdf")]},
                                   headers={"Accept": "application/json"})
    assert response.status_code == 413 and "te groot" in response.get_json()["error"]


def test_unexpected_errors_show_a_sentence_not_a_traceback(no_csrf, login, archive, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /home/x")

    monkeypatch.setattr(archive, "search", broken)
    response = login("staff").get("/?q=factuur")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in page and "secret internals" not in page and "logboek" in page
