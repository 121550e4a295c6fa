"""The JSON API with bearer tokens: search, document, original, upload, clients."""

from __future__ import annotations

import io
import time

from archive.access.actors import SYSTEM
from tests.documents import text_pdf


def _client(app, archive, name: str):
    token = archive.users.new_token(name, SYSTEM)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_search_and_document_json(app, archive, filed):
    client = _client(app, archive, "staff")
    results = client.get("/api/search?q=factuur").get_json()
    assert results["total"] >= 1 and results["hits"][0]["id"] == filed[0]
    document = client.get(f"/api/documents/{filed[0]}").get_json()
    assert document["id"] == filed[0] and document["amount"] == "1234.56" and document["status"] == "filed"
    assert client.get("/api/documents/424242").status_code == 404


def test_original_bytes_and_upload(app, archive, filed, tmp_path):
    client = _client(app, archive, "clerk")
    original = client.get(f"/api/documents/{filed[0]}/original")
    assert original.data == (tmp_path / "docs" / "factuur-jansen.pdf").read_bytes()
    data = text_pdf(tmp_path / "new.pdf", ["Loonstrook\nNetto EUR 2.000,00"]).read_bytes()
    response = client.post("/api/documents", data={"file": (io.BytesIO(data), "new.pdf")})
    outcome = response.get_json()
    assert (response.status_code, outcome["status"]) in ((201, "filed"), (202, "received"))  # read in the background
    assert outcome["source"] == "new.pdf" and outcome["id"]
    deadline = time.monotonic() + 120
    while outcome["status"] == "received" and time.monotonic() < deadline:
        time.sleep(0.1)
        outcome = client.get(f"/api/documents/{outcome['id']}/status").get_json()
    assert outcome["status"] == "filed" and outcome["pages"] == 1
    assert archive.document(outcome["id"], SYSTEM, audit=False).channel == "api"


def test_clients_list_and_add(app, archive):
    client = _client(app, archive, "clerk")
    added = client.post("/api/clients", json={"client_id": "K-20001", "name": "Jansen B.V.", "kind": "company"})
    assert added.status_code == 201, added.get_json()
    listed = client.get("/api/clients").get_json()
    assert [c["client_id"] for c in listed] == ["K-20001"]
    bad = client.post("/api/clients", json={"client_id": "K-20002", "name": "X", "iban": "NL00BANK0000000000"})
    assert bad.status_code == 400 and bad.get_json()["error"]


def test_bad_query_is_a_400_with_a_sentence(app, archive, filed):
    response = _client(app, archive, "staff").get("/api/search?q=date:[2024 to")
    assert response.status_code == 400 and response.get_json()["error"]
