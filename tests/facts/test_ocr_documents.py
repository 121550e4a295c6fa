"""A small set of generated documents through real rendering and Tesseract: robust to OCR noise.

Kept small on purpose (eight pages): the text-level tests cover the breadth.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.facts import extract_facts
from ingest.ocr import OcrRunner
from ingest.reader import read_document
from ingest.settings import OcrSettings
from tests.facts.rendering import write_image_pdf, write_scan, write_text_pdf
from tests.facts.scoring import Scores, score_facts

WRITERS = (("scan.jpg", write_scan), ("image.pdf", write_image_pdf), ("digital.pdf", None))


@pytest.fixture(scope="module")
def ocr():
    settings = OcrSettings(workers=2, dpi=200, timeout_seconds=120)
    runner = OcrRunner(settings)
    yield settings, runner
    runner.close()


def test_rendered_and_ocrd_documents(generated, settings, ocr, tmp_path: Path):
    registry, docs = generated
    ocr_settings, runner = ocr
    single = [doc for doc in docs if len(doc.pages) == 1]  # a scan here is one page
    chosen = [single[i] for i in (0, 7, 14, 21, 28, 35, 42, 49)]  # every type, both languages
    scores = Scores()
    for number, doc in enumerate(chosen):
        suffix, writer = WRITERS[number % len(WRITERS)]
        path = tmp_path / f"{doc.name}-{suffix}"
        if writer is None:
            write_text_pdf(path, doc.pages[0])
        else:
            writer(path, doc.pages[0], seed=number)
        result = read_document(path, tmp_path / "work", ocr_settings, runner)
        confidence = min((p.confidence for p in result.pages if p.confidence is not None), default=None)
        facts = extract_facts([p.text for p in result.pages], registry, settings, ocr_confidence=confidence)
        score_facts(scores, doc.name, facts, doc.truth)
    assert scores.wrong_clients == []
    for name in ("document_type", "document_date", "amount", "iban", "reference"):
        assert scores.rate(name) >= 0.75, (name, scores.misses[name])
    assert scores.rate("client_found") >= 0.6, scores.misses["client_found"]
