"""Benchmark of bulk changes on the results page against raw baselines measured in the same run.

    .venv/bin/python bench/bulk.py            # 500 documents (the target: < 10 s)
    .venv/bin/python bench/bulk.py --quick    # 100 documents

Documents are filed through the real flow (born-digital PDFs), then:
- ours: `Archive.bulk.apply` setting a client, and adding a tag, on all of them — one
  transaction with an audit entry per document, retention re-derived, one index commit;
- the page: what the clerk waits for in the web app — "all results" ticked, the question
  "500 documenten wijzigen?" asked (the search for every id included), then the change
  confirmed and the results page it returns to;
- baseline "one by one": the same change through `update_facts` per document (its own
  transaction and index commit each), on a sample, scaled to the same count;
- baseline "bare SQL": one UPDATE of the column for all rows in one transaction (no
  audit, no index: the floor).
Each document's history is checked to hold its change.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import dataclasses  # noqa: E402
import re  # noqa: E402

from archive.access.actors import SYSTEM, Actor  # noqa: E402
from archive.config import load_config  # noqa: E402
from archive.service import Archive  # noqa: E402
from tests.documents import text_pdf  # noqa: E402

CLERK = Actor("anna", "clerk")
PASSWORD = "Tulpen-in-de-Wind-42"


def _through_the_page(archive: Archive, config, count: int) -> list[tuple[str, int, float]]:
    """Tick "all results", answer the question, and time both answers of the web app."""
    from web import create_app

    archive.users.add("anna", "clerk", PASSWORD, SYSTEM)
    app = create_app(config, archive=archive)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"name": "anna", "password": PASSWORD})
    chosen = {"action": "tag", "value": "nagekeken", "back": "/?q=levering"}
    started = time.perf_counter()
    asked = client.post("/bulk", data={**chosen, "all": "1", "query": "levering"}).get_data(as_text=True)
    asking = time.perf_counter() - started
    if f"{count} documenten wijzigen?" not in asked:
        sys.exit(f"the page did not ask before changing {count} documents")
    ids = re.search(r'name="ids" value="([0-9,]+)"', asked).group(1)
    started = time.perf_counter()
    done = client.post("/bulk", data={**chosen, "ids": ids, "confirmed": "1"}, follow_redirects=True)
    changing = time.perf_counter() - started
    if f"{count} documenten gewijzigd" not in done.get_data(as_text=True):
        sys.exit("the page did not say how many documents were changed")
    return [("page: asked 'N documenten wijzigen?'", count, asking), ("page: confirmed, tag added", count, changing)]


def _filed(archive: Archive, folder: Path, count: int) -> list[int]:
    ids = []
    for n in range(count):
        path = text_pdf(
            folder / f"f{n}.pdf",
            [
                f"Factuur R-{n:05d}\nFactuurdatum: {1 + n % 28} maart 2025\n"
                f"Totaal: EUR {10 + n},00\nBetreft levering {n}"
            ],
        )
        ids.append(archive.ingest(path, SYSTEM).id)
    return ids


def _changes_in_history(history: list[dict]) -> bool:
    """Whether a document's history holds the client set in bulk and both tags added in bulk."""
    client = any(e["action"] == "change" and e["details"].get("after") == "K-2" for e in history)
    tags = {e["details"].get("tag") for e in history if e["action"] == "tag_add"}
    return client and {"gecontroleerd", "nagekeken"} <= tags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 documents instead of 500")
    args = parser.parse_args()
    count = 100 if args.quick else 500
    sample = 10 if args.quick else 25
    with tempfile.TemporaryDirectory() as temp:
        home = Path(temp) / "home"
        config = load_config(None, home)
        # Cheap password hashing: the log-in is not what is measured.
        config = dataclasses.replace(
            config, web=dataclasses.replace(config.web, password_hash_time_cost=1, password_hash_memory_kib=1024)
        )
        with Archive.open(config, create=True) as archive:
            for client in ("K-1", "K-2", "K-3"):
                archive.clients.add({"client_id": client, "name": f"Cliënt {client}"}, SYSTEM)
            started = time.perf_counter()
            ids = _filed(archive, Path(temp), count)
            print(f"filed {count} documents in {time.perf_counter() - started:.1f} s (set-up, not measured)")
            rows = []
            started = time.perf_counter()
            done = archive.bulk.apply(ids, "client", "K-2", CLERK)
            rows.append(("bulk: set client", done.changed, time.perf_counter() - started))
            started = time.perf_counter()
            done = archive.bulk.apply(ids, "tag", "gecontroleerd", CLERK)
            rows.append(("bulk: add tag", done.changed, time.perf_counter() - started))
            rows += _through_the_page(archive, config, count)
            started = time.perf_counter()
            for document_id in ids[:sample]:
                archive.update_facts(document_id, {"client_id": "K-3"}, CLERK)
            one_by_one = (time.perf_counter() - started) / sample * count
            rows.append((f"one by one (sample of {sample}, scaled)", count, one_by_one))
            started = time.perf_counter()
            with archive.db.atomic() as conn:
                conn.execute("UPDATE documents SET client_id = 'K-1'")
            rows.append(("bare SQL UPDATE (no audit, no index)", count, time.perf_counter() - started))
            missing = [i for i in ids if not _changes_in_history(archive.audit.for_document(i))]
    print(f"\n{'what':44} {'documents':>9} {'seconds':>8} {'ms/doc':>7}")
    for what, changed, seconds in rows:
        print(f"{what:44} {changed:>9} {seconds:>8.2f} {seconds / max(count, 1) * 1000:>7.1f}")
    slowest = max(seconds for what, _, seconds in rows if what.startswith(("bulk", "page")))
    target = slowest < 10
    print(
        f"\ntarget: {count} documents in < 10 s: {'met' if target else 'NOT met'} "
        f"(slowest bulk change {slowest:.2f} s); documents without their changes in the history: {len(missing)}"
    )
    sys.exit(0 if target and not missing else 1)


if __name__ == "__main__":
    main()
