"""The certificate of destruction: readable HTML and JSON naming what, rule, how, when."""

from __future__ import annotations

import json

from archive.records.certificate import build_certificate, certificate_html, certificate_json

STONE = {
    "document_id": 7,
    "sha256": "ab" * 32,
    "size": 1200,
    "original_filename": "factuur <1>.pdf",
    "mime_type": "application/pdf",
    "document_type": "invoice",
    "client_id": "C042",
    "document_date": "2015-06-01",
    "filed_at": "2016-01-02T10:00:00Z",
    "retention_until": "2022-12-31",
    "retention_rule": "invoice",
    "citation": "art. 52 AWR",
    "approved_by": '["rita", "rob"]',
    "disposed_at": "2026-03-02T09:00:00Z",
}


def test_json_names_document_rule_method_and_approvers() -> None:
    certificate = build_certificate(3, "2026-03-02T09:00:00Z", "Praktijk", [STONE])
    loaded = json.loads(certificate_json(certificate))
    assert loaded["number"] == 3 and loaded["approved_by"] == ["rita", "rob"]
    assert loaded["documents"][0]["sha256"] == "ab" * 32 and loaded["documents"][0]["citation"] == "art. 52 AWR"
    assert "removed from the archive's file store" in loaded["method"]


def test_html_is_escaped_and_readable() -> None:
    page = certificate_html(build_certificate(3, "2026-03-02T09:00:00Z", "Praktijk", [STONE]))
    assert "Verklaring van vernietiging nr. 3" in page
    assert "factuur &lt;1&gt;.pdf" in page and "<1>" not in page
    assert "2022-12-31" in page and "rita, rob" in page
