"""`archive show` for a person: words and values, never a stored code or a Python value."""

from __future__ import annotations

from archive.access.actors import SYSTEM
from archive.cli.show_text import document_lines
from tests.documents import text_pdf


def test_a_document_reads_in_words_with_its_holds(archive, tmp_path):
    path = text_pdf(tmp_path / "brief.pdf", ["Hallo\nDit is een brief zonder cliënt."])
    document_id = archive.ingest(path, SYSTEM).id
    manager = archive.users.add("rik", "records_manager", "Tulpen-in-de-Wind-42", SYSTEM)
    assert manager
    archive.records.place_hold(archive.actor_named("rik"), document_id=document_id, reason="Verzoek inzage")
    text = "\n".join(document_lines(archive.document(document_id, SYSTEM)))
    assert "Read by OCR  no" in text and "False" not in text and "True" not in text
    assert "no client recognised" in text and "no_client" not in text
    assert "(filed)" in text
    assert "Hold         Verzoek inzage (placed by rik at " in text
    assert "{" not in text and "'" not in text  # no dict or list printed raw
