"""Benchmark of fact extraction, per fact and per format, against the customer's targets.

    .venv/bin/python bench/extraction.py                      # everything (OCR: ~15 min on 2 cores)
    .venv/bin/python bench/extraction.py --quick              # text level only, seconds
    .venv/bin/python bench/extraction.py --cache DIR          # keep readings in DIR between runs

Sets, each printed as a table of facts (rows) by format (columns):

- generated documents at text level, against a 10,000-client registry (speed, breadth);
- generated documents written as real files in every format an office receives
  (born-digital and image-only PDF, 300 and 200 dpi scans, low-quality JPEG, phone
  photos, faxes, multi-page TIFF) and read by the archive's reader with real
  Tesseract, against a 62-client registry; a development slice and a held-out slice
  (other seeds, other fonts) that rules were never tuned on;
- the public corpus read the same way: SROIE receipts (10 + 90, real scans) and the
  invoice2data PDFs.

The baseline in the same run is a naive extractor (first date, largest amount, first
IBAN, first number after a label word, exact client-name search).
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
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.config import load_config  # noqa: E402
from ingest.facts import ClientRegistry, Facts, extract_facts  # noqa: E402
from ingest.facts.identifiers import find_ibans  # noqa: E402
from ingest.ocr import OcrRunner  # noqa: E402
from ingest.settings import OcrSettings  # noqa: E402
from ingest.values import find_amounts, find_dates  # noqa: E402
from tests.documents import CORPUS  # noqa: E402
from tests.facts.evaluation import Reading, Sample, read_file, render_and_read  # noqa: E402
from tests.facts.formats import FORMATS  # noqa: E402
from tests.facts.generator import generate, make_large_registry, make_registry  # noqa: E402
from tests.facts.scoring import Scores, score_facts  # noqa: E402

# The customer's targets (issue: extraction that holds on documents it has never seen).
TARGETS = {
    "document_type": 0.97,
    "client_found": 0.92,
    "document_date": 0.95,
    "amount": 0.95,
    "iban": 0.97,
    "reference": 0.92,
    "language": 0.98,
    "wrong_client_rate": 0.01,
}
ROWS = (
    "document_type",
    "client_found",
    "wrong_client_rate",
    "document_date",
    "amount",
    "invented_amount",
    "iban",
    "invented_iban",
    "reference",
    "invented_reference",
    "language",
)
LOWER_IS_BETTER = {"wrong_client_rate", "invented_amount", "invented_iban", "invented_reference"}


def naive_facts(pages: list[str], registry: ClientRegistry) -> Facts:
    """The baseline: first date, largest amount, first IBAN, first labelled number, exact name."""
    text = "\n".join(pages)
    dates = [d.value for line in text.splitlines() for d in find_dates(line)]
    amounts = [a.value for line in text.splitlines() for a in find_amounts(line)]
    ibans = [f.value for line in text.splitlines() for f in find_ibans(line)]
    ref = re.search(r"(?:nummer|nr\.?|no\.?|kenmerk|#)\s*:?\s*([A-Z0-9][\w/-]*\d[\w/-]*)", text, re.I)
    lowered = text.lower()
    client = next((c.client_id for c in registry.clients.values() if c.name.lower() in lowered), None)
    kind = next(
        (name for name in ("invoice", "factuur", "receipt", "kassabon", "loonstrook", "payslip") if name in lowered),
        None,
    )
    kinds = {"factuur": "invoice", "kassabon": "receipt", "loonstrook": "payslip"}
    return Facts(
        client_id=client,
        document_type=kinds.get(kind, kind),
        document_date=dates[0] if dates else None,
        amount=max(amounts) if amounts else None,
        iban=ibans[0] if ibans else None,
        reference=ref.group(1) if ref else None,
    )


@dataclass
class Outcome:
    """Scores per format (and over all), with the extraction time of every document."""

    by_format: dict[str, Scores]
    times_ms: list[float]

    @classmethod
    def empty(cls) -> "Outcome":
        return cls(defaultdict(Scores), [])


def evaluate(
    samples: list[Sample], registry: ClientRegistry, settings, extractor=None, second_reading: bool = True
) -> Outcome:
    """Extract every sample and score it under its format and under 'all'."""
    outcome = Outcome.empty()
    for sample in samples:
        pages = sample.reading.pages()
        start = time.process_time()
        if extractor is None:
            facts = extract_facts(
                pages,
                registry,
                settings,
                ocr_confidence=sample.reading.confidence,
                second_pages=sample.reading.second if second_reading else (),
            )
        else:
            facts = extractor(pages, registry)
        outcome.times_ms.append((time.process_time() - start) * 1000)
        truth = {**sample.truth, **({"language": sample.language} if sample.language else {})}
        for key in (sample.fmt, "all"):
            score_facts(outcome.by_format[key], sample.name, facts, truth)
    return outcome


def print_table(title: str, ours: Outcome, baseline: Outcome | None = None, misses: bool = False) -> None:
    """Facts as rows, formats as columns, then 'all', the baseline and the target."""
    formats = [f for f in ("text", *FORMATS, "receipt-scan", "invoice-pdf") if f in ours.by_format]
    overall = ours.by_format["all"]
    print(f"\n{title} ({overall.documents} documents)")
    header = f"{'fact':<20}" + "".join(f"{f:>11}" for f in formats) + f"{'all':>9}{'baseline':>10}{'target':>9}"
    print(header)
    print(f"{'(documents)':<20}" + "".join(f"{ours.by_format[f].documents:>11}" for f in formats))
    for row in ROWS:
        if not overall.total[row]:
            continue
        cells = "".join(f"{_cell(ours.by_format[f], row):>11}" for f in formats)
        base = _cell(baseline.by_format["all"], row) if baseline else ""
        target = TARGETS.get(row)
        mark = ""
        if target is not None:
            ok = overall.rate(row) <= target if row in LOWER_IS_BETTER else overall.rate(row) >= target
            mark = " " + ("ok" if ok else "MISS")
        shown = f"{'≤' if row in LOWER_IS_BETTER else '≥'}{target:.0%}" if target is not None else ""
        print(f"{row:<20}{cells}{_cell(overall, row):>9}{base:>10}{shown:>9}{mark}")
    if misses:
        for row in ROWS:
            if overall.misses[row]:
                print(f"  misses {row}: {', '.join(overall.misses[row][:12])}")


def _cell(scores: Scores, row: str) -> str:
    return f"{scores.rate(row):.1%}" if scores.total[row] else "-"


def print_times(label: str, values: list[float]) -> None:
    if len(values) < 2:
        return
    p50, p95 = statistics.median(values), statistics.quantiles(values, n=20)[18]
    print(f"{label:<34}{p50:>9.1f}{p95:>9.1f}{max(values):>9.1f}")


# ---------------------------------------------------------------- the public corpus


def sroie_samples(folder: Path, settings: OcrSettings, runner: OcrRunner, cache: Path | None) -> list[Sample]:
    """SROIE receipt scans, read by the archive's reader; truth: date and total (as printed)."""
    boxes = sorted(folder.glob("*.json"))

    def one(key: Path) -> Sample:
        truth = json.loads(key.read_text())
        found = find_dates(truth["date"])
        reading = read_file(key.with_suffix(".jpg"), settings, runner, cache)
        return Sample(
            f"{folder.name}/{key.stem}",
            "receipt-scan",
            {
                "document_type": "receipt",
                "document_date": found[0].value if found else None,
                "amount": Decimal(re.sub(r"[^\d.]", "", truth["total"])).quantize(Decimal("0.01")),
            },
            "",
            reading,
        )

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(runner.workers) as pool:
        return list(pool.map(one, boxes))


def invoice2data_samples(settings: OcrSettings, runner: OcrRunner) -> list[Sample]:
    """The invoice2data PDFs, read by the archive's reader (text layer); truth from its JSON."""
    samples = []
    for pdf_path in sorted((CORPUS / "invoice2data").glob("*.pdf")):
        truth = json.loads(pdf_path.with_suffix(".json").read_text())[0]
        reading = read_file(pdf_path, settings, runner, None)
        samples.append(
            Sample(
                f"invoice2data/{pdf_path.stem}",
                "invoice-pdf",
                {
                    "document_type": "invoice",
                    "document_date": date.fromisoformat(truth["date"]),
                    "amount": Decimal(str(truth["amount"])).quantize(Decimal("0.01")),
                    "reference": truth["invoice_number"].lstrip("#"),
                    # invoice2data's JSON holds what its template pulled out, not all there is:
                    # an IBAN it does not name may well be printed (QualityHosting's is), so
                    # only a named one is scored, never its absence.
                    **({"iban": truth["iban"]} if "iban" in truth else {}),
                },
                "",
                reading,
            )
        )
    return samples


# ---------------------------------------------------------------- image preparation


def preparation_times(per_format: int = 4) -> dict[str, tuple[list[float], Counter]]:
    """Time prepare_page on page images of every scanned format and on SROIE scans (no OCR)."""
    from ingest.images import page_image
    from ingest.prepare import prepare_page
    from ingest.render import render_page
    from tests.facts.formats import write_document

    rng = random.Random(77)
    office = make_registry(rng, 62, varied=True)
    _, docs = generate(seed=77, count=per_format * 6, registry=office)
    results: dict[str, tuple[list[float], Counter]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sources: list[tuple[str, Path]] = []
        for fmt in FORMATS[1:]:
            for number, doc in enumerate(docs[:per_format]):
                path = write_document(doc.pages, fmt, work / f"{fmt}-{number}", number, receipt="till" in doc.tags)
                sources.append((fmt, path))
        if CORPUS.is_dir():
            sources += [("receipt-scan", path) for path in sorted((CORPUS / "sroie-train").glob("*.jpg"))[:12]]
        for fmt, path in sources:
            image = work / f"{path.stem}-page.png"
            if path.suffix == ".pdf":
                dpi = render_page(path, 0, 300, 120_000_000, image)
            else:
                image, dpi, _ = page_image(path, 0, 120_000_000, image)
            start = time.process_time()
            prepared = prepare_page(image, work / f"{path.stem}-prepared", dpi)
            elapsed = (time.process_time() - start) * 1000
            times, steps = results.setdefault(fmt, ([], Counter()))
            times.append(elapsed)
            steps.update(step.split(" ")[0] for step in prepared.steps)
    return results


def print_preparation(results: dict[str, tuple[list[float], Counter]]) -> None:
    print("\nImage preparation per page, CPU ms (a shared machine inflates wall time; target < 500), and its steps")
    print(f"{'format':<14}{'pages':>6}{'p50':>8}{'p95':>8}{'max':>8}   steps")
    for fmt, (times, steps) in results.items():
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        shown = ", ".join(f"{name} {count}" for name, count in steps.most_common()) or "none"
        print(f"{fmt:<14}{len(times):>6}{statistics.median(times):>8.0f}{p95:>8.0f}{max(times):>8.0f}   {shown}")


# ---------------------------------------------------------------- main


def text_samples(docs) -> list[Sample]:
    """Generated documents at text level, as samples of the format 'text'."""
    return [
        Sample(d.name, "text", d.truth, d.language, Reading(d.pages, False, None, [[] for _ in d.pages]), d.tags)
        for d in docs
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="text level only: 1,000 clients, 60 documents")
    parser.add_argument("--count", type=int, default=96, help="rendered documents per slice (default 96)")
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep readings in between runs")
    parser.add_argument("--no-held-out", action="store_true", help="skip the held-out slice")
    parser.add_argument("--no-corpus", action="store_true", help="skip the public corpus")
    parser.add_argument("--misses", action="store_true", help="list the documents each fact missed")
    parser.add_argument(
        "--first-reading-only",
        action="store_true",
        help="extract without the second readings of receipts and faxes (to compare)",
    )
    args = parser.parse_args()
    settings = load_config().extraction
    ocr_config = load_config().ocr

    size, count = (1_000, 60) if args.quick else (10_000, 240)
    clients = make_large_registry(random.Random(4243), size, varied=True)
    start = time.perf_counter()
    large = ClientRegistry(clients)
    build_ms = (time.perf_counter() - start) * 1000
    _, docs = generate(seed=4242, count=count, registry=clients)
    samples = text_samples(docs)
    ours = evaluate(samples, large, settings)
    base = evaluate(samples, large, settings, naive_facts)
    print_table(f"Generated documents, text level, {size:,}-client registry", ours, base, args.misses)
    times = {"extraction, text level, 10,000 clients": ours.times_ms}

    if not args.quick:
        ocr_settings = OcrSettings(**{**ocr_config.__dict__, "workers": 2})
        with OcrRunner(ocr_settings) as runner:
            for title, seed, held_out in (("development slice", 5151, False), ("held-out slice", 9091, True)):
                if held_out and args.no_held_out:
                    continue
                rng = random.Random(seed)
                office = make_registry(rng, 62, varied=True)
                _, rendered = generate(seed=seed, count=args.count, registry=office)
                started = time.perf_counter()
                read = render_and_read(rendered, ocr_settings, runner, args.cache, held_out=held_out, seed=seed)
                seconds = time.perf_counter() - started
                registry = ClientRegistry(office)
                ours = evaluate(read, registry, settings, second_reading=not args.first_reading_only)
                base = evaluate(read, registry, settings, naive_facts)
                print_table(
                    f"Generated files read end to end, {title} (62 clients; read in {seconds:.0f} s)",
                    ours,
                    base,
                    args.misses and not held_out,
                )
                times[f"extraction, read files ({title})"] = ours.times_ms
            if CORPUS.is_dir() and not args.no_corpus:
                real = sroie_samples(CORPUS / "sroie", ocr_settings, runner, args.cache)
                real += sroie_samples(CORPUS / "sroie-train", ocr_settings, runner, args.cache)
                real += invoice2data_samples(ocr_settings, runner)
                registry = ClientRegistry(make_registry(random.Random(1), 62))
                print_table(
                    "Public corpus read end to end (SROIE receipt scans, invoice2data PDFs)",
                    evaluate(real, registry, settings, second_reading=not args.first_reading_only),
                    evaluate(real, registry, settings, naive_facts),
                    args.misses,
                )
                print("  targets on real receipts: date ≥ 90 %, total ≥ 85 %")
            elif not args.no_corpus:
                # The real documents are the figures that count most: their absence is said.
                print(f"\nPublic corpus skipped: {CORPUS} is not there (it lies beside the repository).")
        print_preparation(preparation_times())

    print(f"\nExtraction time per document beyond reading, CPU ms (registry of {size:,} built in {build_ms:.0f} ms)")
    print(f"{'':<34}{'p50':>9}{'p95':>9}{'max':>9}   target p95 < 50 ms")
    for label, values in times.items():
        print_times(label, values)


if __name__ == "__main__":
    main()
