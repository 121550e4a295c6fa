"""Benchmark of the search index against SQLite FTS5 on the same generated archive.

    .venv/bin/python bench/search.py            # 100,000 documents (~10 minutes)
    .venv/bin/python bench/search.py --quick    # 5,000 documents

Deterministic data: ~300 words of Dutch-like text per document (a Zipf-distributed
vocabulary of compounds, plus letter phrases), with client, type, date, amount and
reference. Each phase runs in its own process so its memory is its own: building the
index (with the rebuild's bulk writer, then again with Whoosh's own writer), searching
it (our search function: a page of 20 with highlights and facets), and the FTS5
baseline. Prints one table. Besides the kinds the issue names, it
measures two shapes that used to be slow: a stock letter phrase alone (in ~40% of
the documents) and a prefix of one syllable (ver*, fitting thousands of words).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.documents.indexing import VALUE_READERS  # noqa: E402
from search import IndexedDocument, SearchIndex, SearchRequest, rebuild_index  # noqa: E402
from search.settings import SearchSettings  # noqa: E402

SEED = 20241127
SYLLABLES = (
    "ver ge be ont aan over huur reken tand arts nota dos sier fac tuur bon kwi tan tie loon "
    "strook brief over een komst bij lage post kan toor ge meen te zorg ver ze ke ring be las "
    "ting af spraak her in ne ring be ta ling ter mijn op dracht ad vies ver slag"
).split()
PHRASES = (
    "met vriendelijke groet",
    "hierbij ontvangt u",
    "zie de bijlage",
    "graag binnen dertig dagen",
    "onder vermelding van het factuurnummer",
    "wij verzoeken u vriendelijk",
)
TYPES = ("invoice", "receipt", "letter", "contract", "payslip", "form")
VOCABULARY_SIZE = 40_000
WORDS_PER_DOC = 300
QUERIES_PER_KIND = 60


class Corpus:
    """The generated archive: the same documents for every phase."""

    def __init__(self, size: int) -> None:
        self.size = size
        rng = random.Random(SEED)
        words: set[str] = set()
        while len(words) < VOCABULARY_SIZE:
            words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
        self.vocabulary = sorted(words, key=lambda w: (rng.random(), w))
        weights = [1.0 / (rank + 1) for rank in range(VOCABULARY_SIZE)]
        self.cumulative = list(_accumulate(weights))
        self.clients = [f"K-{10000 + i}" for i in range(2000)]

    def document(self, number: int) -> IndexedDocument:
        """Return document ``number`` (1-based); the same every time."""
        rng = random.Random(SEED * 31 + number)
        body = rng.choices(self.vocabulary, cum_weights=self.cumulative, k=WORDS_PER_DOC)
        for _ in range(3):
            body.insert(rng.randrange(len(body)), rng.choice(PHRASES))
        client = self.clients[rng.randrange(len(self.clients))]
        kind = TYPES[rng.randrange(len(TYPES))]
        day = date(2018, 1, 1) + timedelta(days=rng.randrange(8 * 365))
        reference = f"F{day.year}-{number:06d}"
        text = f"{kind} {reference} " + " ".join(body)
        return IndexedDocument(
            id=number,
            title=f"{kind.title()} {reference} – {client}",
            content=text,
            original_filename=f"scan_{number:06d}.pdf",
            mime_type="application/pdf",
            state="filed",
            created_at=datetime(2025, 1, 1),
            pages=1,
            client_id=client,
            client_name=f"Client {client}",
            document_type=kind,
            document_date=day,
            amount=Decimal(rng.randrange(100, 500000)) / 100,
            currency="EUR",
            reference=reference,
        )

    def documents(self):
        return (self.document(n) for n in range(1, self.size + 1))

    def queries(self) -> dict[str, list[tuple[str, str]]]:
        """Return per kind a list of (query text, sort) — the same for both engines."""
        rng = random.Random(SEED + 1)
        voc = self.vocabulary

        def word(low: int, high: int) -> str:
            return voc[rng.randrange(low, high)]

        def span() -> tuple[date, date]:
            start = date(2018, 1, 1) + timedelta(days=rng.randrange(7 * 365))
            return start, start + timedelta(days=90)

        kinds: dict[str, list[tuple[str, str]]] = {
            k: []
            for k in (
                "common word",
                "rare word",
                "two words",
                "phrase",
                "client + word",
                "date range + word",
                "date-sorted top 20",
                "faceted (type + word)",
                "stock phrase (~40% of documents)",
                "broad prefix (syllable*)",
            )
        }
        for _ in range(QUERIES_PER_KIND):
            kinds["common word"].append((word(3, 25), "relevance"))
            kinds["rare word"].append((word(5000, 30000), "relevance"))
            kinds["two words"].append((f"{word(30, 300)} {word(3, 60)}", "relevance"))
            kinds["phrase"].append((f'"{self._phrase(rng)}"', "relevance"))
            kinds["client + word"].append((f"client:{rng.choice(self.clients)} {word(3, 100)}", "relevance"))
            start, end = span()
            kinds["date range + word"].append((f"date:[{start} to {end}] {word(10, 200)}", "relevance"))
            kinds["date-sorted top 20"].append((word(10, 200), "date"))
            kinds["faceted (type + word)"].append((f"type:{rng.choice(TYPES)} {word(3, 60)}", "relevance"))
            kinds["stock phrase (~40% of documents)"].append((f'"{rng.choice(PHRASES)}"', "relevance"))
            kinds["broad prefix (syllable*)"].append((f"{rng.choice(SYLLABLES)}*", "relevance"))
        return kinds

    def _phrase(self, rng: random.Random) -> str:
        """Two consecutive words of one document, the first outside the 300 most common
        (the kind of phrase a person remembers from a letter, not a stock phrase)."""
        common = set(self.vocabulary[:300]) | {w for p in PHRASES for w in p.split()}
        text = self.document(rng.randrange(1, self.size + 1)).content.split()
        starts = [i for i in range(2, len(text) - 1) if text[i] not in common and text[i + 1] not in common]
        start = rng.choice(starts) if starts else 2
        return " ".join(text[start : start + 2])


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return statistics.median(ordered), cut[94], cut[98]


# ---- phases (each in its own process) ------------------------------------------------


def phase_build(work: Path, size: int, folder: str = "index") -> dict:
    corpus = Corpus(size)
    shutil.rmtree(work / folder, ignore_errors=True)
    started, cpu = time.perf_counter(), time.process_time()
    rebuild_index(work / folder, SearchSettings(), corpus.documents(), size)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        "docs_per_s": size / seconds,
        "cpu_docs_per_s": size / cpu,
        "peak_mb": _peak_mb(),
        "size_mb": _folder_mb(work / folder),
    }


def phase_build_whoosh(work: Path, size: int) -> dict:
    """The same rebuild with Whoosh's own SegmentWriter: the baseline the bulk writer must beat."""
    from search import rebuild, writing

    def stock_writer(ix, settings, bulk=False):
        return writing.open_writer(ix, settings, "busy", bulk=False)

    rebuild._writer = stock_writer  # the rebuild's one way of opening a writer
    result = phase_build(work, size, folder="index-whoosh")
    shutil.rmtree(work / "index-whoosh", ignore_errors=True)
    return result


def phase_search(work: Path, size: int) -> dict:
    corpus = Corpus(size)
    started = time.perf_counter()
    index = SearchIndex.open(work / "index", SearchSettings(), values=VALUE_READERS)
    opened = time.perf_counter() - started
    results: dict[str, list[float]] = {}
    for kind, queries in corpus.queries().items():
        timings = []
        for text, sort in queries:
            t0 = time.perf_counter()
            index.search(SearchRequest(text, sort=sort))
            timings.append((time.perf_counter() - t0) * 1000)
        results[kind] = _percentiles(timings)
    fresh = []
    for n in range(5):
        doc = corpus.document(1 + n)
        new = IndexedDocument(**{**doc.__dict__, "id": size + 1 + n, "content": doc.content + f" versvlinder{n}"})
        t0 = time.perf_counter()
        index.upsert([new])
        found = index.search(SearchRequest(f"versvlinder{n}")).total
        fresh.append((time.perf_counter() - t0) * 1000)
        assert found == 1, "a new document was not found"
    rss = _rss_mb()
    index.close()
    return {"latency": results, "open_s": opened, "rss_mb": rss, "peak_mb": _peak_mb(), "fresh_ms": max(fresh)}


def phase_fts(work: Path, size: int) -> dict:
    corpus = Corpus(size)
    db_path = work / "fts.sqlite3"
    db_path.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.executescript("""
        CREATE TABLE docs(id INTEGER PRIMARY KEY, title TEXT, client TEXT, type TEXT, day TEXT, amount REAL);
        CREATE VIRTUAL TABLE fts USING fts5(title, content, tokenize='unicode61 remove_diacritics 2');
        CREATE INDEX docs_client ON docs(client); CREATE INDEX docs_day ON docs(day);
    """)
    with db:
        for doc in corpus.documents():
            db.execute(
                "INSERT INTO docs VALUES (?,?,?,?,?,?)",
                (doc.id, doc.title, doc.client_id, doc.document_type, doc.document_date.isoformat(), float(doc.amount)),
            )
            db.execute("INSERT INTO fts(rowid, title, content) VALUES (?,?,?)", (doc.id, doc.title, doc.content))
    build = time.perf_counter() - started
    results = {}
    for kind, queries in corpus.queries().items():
        timings = []
        for text, sort in queries:
            t0 = time.perf_counter()
            _fts_query(db, text, sort)
            timings.append((time.perf_counter() - t0) * 1000)
        results[kind] = _percentiles(timings)
    db.close()
    return {
        "latency": results,
        "docs_per_s": size / build,
        "size_mb": db_path.stat().st_size / 2**20,
        "peak_mb": _peak_mb(),
    }


def _fts_query(db: sqlite3.Connection, text: str, sort: str) -> None:
    """The nearest FTS5 equivalent: a page of 20 with snippets, the total, and type counts."""
    words, where, args = [], ["fts MATCH ?"], []
    for part in _split(text):
        if part.startswith("client:"):
            where.append("docs.client = ?")
            args.append(part[7:])
        elif part.startswith("type:"):
            where.append("docs.type = ?")
            args.append(part[5:])
        elif part.startswith("date:["):
            low, high = part[6:-1].split(" to ")
            where.append("docs.day BETWEEN ? AND ?")
            args += [low, high]
        else:
            words.append(part)
    match = " ".join(words)
    condition = " AND ".join(where)
    order = "docs.day DESC" if sort == "date" else "rank"
    base = f"FROM fts JOIN docs ON docs.id = fts.rowid WHERE {condition}"
    db.execute(
        f"SELECT docs.id, docs.title, snippet(fts, 1, '<mark>', '</mark>', '…', 30) {base} ORDER BY {order} LIMIT 20",
        [match, *args],
    ).fetchall()
    db.execute(f"SELECT count(*) {base}", [match, *args]).fetchone()
    db.execute(f"SELECT docs.type, count(*) {base} GROUP BY docs.type", [match, *args]).fetchall()


def _split(text: str) -> list[str]:
    parts, rest = [], text
    while rest:
        rest = rest.strip()
        if rest.startswith("date:["):
            end = rest.index("]") + 1
        elif rest.startswith('"'):
            end = rest.index('"', 1) + 1
        else:
            end = rest.find(" ") if " " in rest else len(rest)
        parts.append(rest[:end])
        rest = rest[end:]
    return [p for p in parts if p]


# ---- the orchestrating run ------------------------------------------------------------


def _run_phase(name: str, work: Path, size: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--work", str(work), "--docs", str(size)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="5,000 documents")
    parser.add_argument("--phase", choices=("build", "build-whoosh", "search", "fts"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help="keep the built index in this folder and reuse it next time")
    args = parser.parse_args()
    size = 5000 if args.quick else args.docs
    if args.phase:
        phases = {"build": phase_build, "build-whoosh": phase_build_whoosh, "search": phase_search, "fts": phase_fts}
        print(json.dumps(phases[args.phase](args.work, size)))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        build = _cached_phase("build", work, size)
        print(f"built in {build['seconds']:.0f} s; again with Whoosh's own writer…", file=sys.stderr, flush=True)
        stock = _cached_phase("build-whoosh", work, size)
        print(f"built in {stock['seconds']:.0f} s; searching…", file=sys.stderr, flush=True)
        found = _run_phase("search", work, size)
        fts = _cached_phase("fts", work, size)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    _report(size, build, stock, found, fts)


def _cached_phase(name: str, work: Path, size: int) -> dict:
    """Run a build phase, or reuse its result from a kept --work folder of the same size."""
    saved = work / f"{name}-{size}.json"
    if saved.exists():
        return json.loads(saved.read_text())
    print(f"{name} phase, {size} documents, {os.cpu_count()} cores…", file=sys.stderr, flush=True)
    result = _run_phase(name, work, size)
    saved.write_text(json.dumps(result))
    return result


def _report(size: int, build: dict, stock: dict, found: dict, fts: dict) -> None:
    print(f"\nSearch benchmark — {size:,} documents (~{WORDS_PER_DOC} words each), {os.cpu_count()} cores\n")
    print("| query kind | ours p50 / p95 / p99 ms | FTS5 p50 / p95 / p99 ms | target p95 |")
    print("|---|---|---|---|")
    for kind, (p50, p95, p99) in found["latency"].items():
        f50, f95, f99 = fts["latency"][kind]
        mark = "ok" if p95 <= 150 else "MISSED"
        print(f"| {kind} | {p50:.1f} / {p95:.1f} / {p99:.1f} | {f50:.1f} / {f95:.1f} / {f99:.1f} | ≤ 150 ({mark}) |")
    print()
    print("| measure | ours | FTS5 | target |")
    print("|---|---|---|---|")
    print(f"| build speed (wall) | {build['docs_per_s']:.0f} docs/s | {fts['docs_per_s']:.0f} docs/s | ≥ 150 docs/s |")
    print(f"| build speed (CPU time of the build process) | {build['cpu_docs_per_s']:.0f} docs/s | | |")
    print(f"| peak memory of build | {build['peak_mb']:.0f} MB | {fts['peak_mb']:.0f} MB (build+search) | < 1024 MB |")
    print(
        f"| build with Whoosh's own writer (wall / CPU) | {stock['docs_per_s']:.0f} / {stock['cpu_docs_per_s']:.0f}"
        f" docs/s, peak {stock['peak_mb']:.0f} MB | | bulk writer kept only if clearly faster |"
    )
    print(f"| index size | {build['size_mb']:.0f} MB | {fts['size_mb']:.0f} MB | |")
    print(f"| searching process memory (RSS) | {found['rss_mb']:.0f} MB (peak {found['peak_mb']:.0f}) | | < 500 MB |")
    print(f"| open index | {found['open_s']:.2f} s | | |")
    print(f"| filing one more document → found | {found['fresh_ms']:.0f} ms (worst of 5) | | ≤ 1000 ms |")
    print("\nQueries: 60 per kind; ours = SearchIndex.search, a page of 20 with highlights and facets;")
    print("FTS5 = a page of 20 with snippet(), count(*) and a GROUP BY type, joined to a facts table.")


if __name__ == "__main__":
    main()
