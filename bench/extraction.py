"""Benchmark of fact extraction: per-field accuracy, wrong-client rate and time per document.

    .venv/bin/python bench/extraction.py            # full run (10,000-client registry)
    .venv/bin/python bench/extraction.py --quick    # small and fast
    .venv/bin/python bench/extraction.py --ocr      # also OCR the SROIE scans and rendered documents

The baseline in the same run is a naive extractor (first date, largest amount, first
IBAN, first number after a label word, exact client-name search): the figures show what
the scoring of labels, zones and evidence adds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.config import load_config  # noqa: E402
from ingest.facts import ClientRegistry, Facts, extract_facts  # noqa: E402
from ingest.facts.dates import find_dates  # noqa: E402
from ingest.facts.identifiers import find_ibans  # noqa: E402
from ingest.facts.numbers import find_amounts  # noqa: E402
from tests.documents import CORPUS  # noqa: E402
from tests.facts.generator import generate, make_large_registry  # noqa: E402
from tests.facts.scoring import Scores, score_facts  # noqa: E402

ROWS = ("document_type", "document_date", "amount", "iban", "reference", "client_found")


def naive_facts(pages: list[str], registry: ClientRegistry) -> Facts:
    """The baseline: first date, largest amount, first IBAN, first labelled number, exact name."""
    text = "\n".join(pages)
    dates = [d.value for line in text.splitlines() for d in find_dates(line)]
    amounts = [a.value for line in text.splitlines() for a in find_amounts(line)]
    ibans = [f.value for line in text.splitlines() for f in find_ibans(line)]
    ref = re.search(r"(?:nummer|nr\.?|no\.?|kenmerk|#)\s*:?\s*([A-Z0-9][\w/-]*\d[\w/-]*)", text, re.I)
    lowered = text.lower()
    client = next((c.client_id for c in registry.clients.values() if c.name.lower() in lowered), None)
    kind = next((name for name in ("invoice", "factuur", "receipt", "kassabon", "loonstrook", "payslip")
                 if name in lowered), None)
    kinds = {"factuur": "invoice", "kassabon": "receipt", "loonstrook": "payslip"}
    return Facts(client_id=client, document_type=kinds.get(kind, kind), document_date=dates[0] if dates else None,
                 amount=max(amounts) if amounts else None, iban=ibans[0] if ibans else None,
                 reference=ref.group(1) if ref else None)


def run_set(docs, registry, settings, extractor, cpu: list[float] | None = None) -> tuple[Scores, list[float]]:
    """Extract and score every document; return the scores and wall-clock ms per document (CPU ms into ``cpu``)."""
    scores, times = Scores(), []
    for doc in docs:
        start, start_cpu = time.perf_counter(), time.process_time()
        facts = extractor(doc.pages, registry, settings)
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
        score_facts(scores, doc.name, facts, doc.truth)
    return scores, times


def corpus_docs(ocr: bool) -> list:
    """The public corpus as labelled documents: SROIE receipts (transcripts or OCR) and invoice2data PDFs."""
    from dataclasses import dataclass
    from datetime import date
    from decimal import Decimal

    import pypdfium2

    @dataclass
    class CorpusDoc:
        name: str
        pages: list
        truth: dict

    docs = []
    for box in sorted((CORPUS / "sroie").glob("*.box.csv")):
        truth = json.loads(box.with_name(box.name.replace(".box.csv", ".json")).read_text())
        rows = box.read_text(encoding="utf-8", errors="replace").splitlines()
        text = "\n".join(r.split(",", 8)[8] for r in rows if r.count(",") >= 8)
        if ocr:
            import pytesseract

            text = pytesseract.image_to_string(str(box.with_name(box.name.replace(".box.csv", ".jpg"))), lang="eng")
        docs.append(CorpusDoc(f"sroie/{box.name[:3]}", [text], {
            "document_date": find_dates(truth["date"])[0].value,
            "amount": Decimal(truth["total"].lstrip("RM$"))}))
    for pdf_path in sorted((CORPUS / "invoice2data").glob("*.pdf")):
        truth = json.loads(pdf_path.with_suffix(".json").read_text())[0]
        pdf = pypdfium2.PdfDocument(pdf_path)
        pages = [page.get_textpage().get_text_bounded() for page in pdf]
        pdf.close()
        docs.append(CorpusDoc(f"invoice2data/{pdf_path.stem}", pages, {
            "document_type": "invoice", "document_date": date.fromisoformat(truth["date"]),
            "amount": Decimal(str(truth["amount"])).quantize(Decimal("0.01")), "iban": truth.get("iban"),
            "reference": truth["invoice_number"].lstrip("#")}))
    return docs


def ocr_docs(docs, count: int) -> list:
    """Render ``count`` generated documents as noisy scans and OCR them (the reader's path)."""
    from ingest.ocr import OcrRunner
    from ingest.reader import read_document
    from ingest.settings import OcrSettings
    from tests.facts.rendering import write_image_pdf, write_scan

    settings = OcrSettings(workers=2, dpi=200, timeout_seconds=120)
    runner = OcrRunner(settings)
    out = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            single = [doc for doc in docs if len(doc.pages) == 1]  # a scan here is one page
            for number, doc in enumerate(single[:count]):
                path = Path(folder) / f"{number}.{'jpg' if number % 2 else 'pdf'}"
                (write_scan if number % 2 else write_image_pdf)(path, doc.pages[0], seed=number)
                result = read_document(path, Path(folder) / "work", settings, runner)
                out.append(type(doc)(doc.name + "/ocr", [p.text for p in result.pages], doc.language, doc.truth, doc.tags))
    finally:
        runner.close()
    return out


def table(title: str, ours: Scores, baseline: Scores | None) -> None:
    print(f"\n{title} ({ours.documents} documents)")
    print(f"{'field':<16}{'extract_facts':>15}{'baseline':>12}")
    for row in ROWS:
        if ours.total[row]:
            base = f"{baseline.rate(row):>11.1%}" if baseline else f"{'':>11}"
            print(f"{row:<16}{ours.rate(row):>14.1%} {base}   ({ours.right[row]}/{ours.total[row]})")
    wrong = ours.rate("wrong_client_rate")
    base = f"{baseline.rate('wrong_client_rate'):>11.1%}" if baseline else ""
    print(f"{'wrong client':<16}{wrong:>14.1%} {base}   ({len(ours.wrong_clients)}/{ours.total['wrong_client_rate']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 clients and 60 documents")
    parser.add_argument("--ocr", action="store_true", help="also OCR the SROIE scans and 12 rendered documents")
    parser.add_argument("--seed", type=int, default=4242, help="seed of the generated set (held out from the tests)")
    args = parser.parse_args()
    settings = load_config().extraction
    size, count = (1_000, 60) if args.quick else (10_000, 240)
    clients = make_large_registry(random.Random(args.seed + 1), size)  # not the stream the documents use
    start = time.perf_counter()
    registry = ClientRegistry(clients)
    build_ms = (time.perf_counter() - start) * 1000
    _, docs = generate(seed=args.seed, count=count, registry=clients)
    cpu: list[float] = []
    base_cpu: list[float] = []
    ours, times = run_set(docs, registry, settings, extract_facts, cpu)
    base, base_times = run_set(docs, registry, settings, lambda p, r, s: naive_facts(p, r), base_cpu)
    table(f"Generated documents, {size:,}-client registry", ours, base)
    if CORPUS.is_dir():
        real = corpus_docs(args.ocr)
        table("Public corpus (SROIE receipts " + ("OCR'd" if args.ocr else "transcripts") + ", invoice2data PDFs)",
              run_set(real, registry, settings, extract_facts)[0],
              run_set(real, registry, settings, lambda p, r, s: naive_facts(p, r))[0])
    if args.ocr:
        scanned = ocr_docs(docs, 12)
        table("Generated documents rendered and OCR'd", run_set(scanned, registry, settings, extract_facts)[0], None)
    print(f"\nTime per document with {size:,} clients (registry built once in {build_ms:.0f} ms);"
          " CPU time is what a busy shared machine does not inflate")
    print(f"{'':<22}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, values in (("extract_facts (wall)", times), ("extract_facts (CPU)", cpu),
                          ("baseline (wall)", base_times), ("baseline (CPU)", base_cpu)):
        p50, p95 = statistics.median(values), statistics.quantiles(values, n=20)[18]
        target = "   target p95 < 50 ms" if label.startswith("extract") else ""
        print(f"{label:<22}{p50:>10.1f}{p95:>10.1f}{max(values):>10.1f}{target}")


if __name__ == "__main__":
    main()
