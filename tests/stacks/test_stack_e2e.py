"""A 40-page stack with 9 separator sheets, scanned at 200 dpi with skew, filed as 10 documents."""

from __future__ import annotations

import csv
import json

import pytest
from pypdf import PdfReader

from archive.access.actors import SYSTEM
from ingest.stacks import Separator
from tests.documents import scan_image
from tests.stacks.scans import printed_sheet, scanned, stack_pdf

PAGES_PER_DOCUMENT = (3, 4, 2, 3, 5, 3, 2, 4, 3, 2)  # 31 pages of documents + 9 sheets = 40
CLIENTS = [("K-1000" + str(n), f"Klant {n} B.V.") for n in range(10)]


def _document_pages(number: int, count: int) -> list[str]:
    first = (
        f"FACTUUR\nFactuurnummer: F2024-{number:04d}\nFactuurdatum: {number + 1} maart 2024\n"
        f"Omschrijving: werkzaamheden {number}\nTotaal te betalen: EUR {number + 1}00,00"
    )
    return [first] + [
        f"Bijlage {page} bij factuur F2024-{number:04d}\nSpecificatie van de uren" for page in range(2, count + 1)
    ]


@pytest.mark.slow  # 31 pages of OCR
def test_forty_page_stack_becomes_ten_documents(archive, tmp_path):
    registry = tmp_path / "klanten.csv"
    with open(registry, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["client_id", "name", "kind"])
        writer.writerows([(client_id, name, "company") for client_id, name in CLIENTS])
    archive.clients.import_csv(registry, SYSTEM)
    pages, expected = [], []
    for number, count in enumerate(PAGES_PER_DOCUMENT):
        if number:
            sheet = Separator(CLIENTS[number][0], "invoice", f"2024-04-{number:02d}" if number % 3 == 0 else None)
            pages.append(scanned(printed_sheet(sheet, 200, tmp_path), seed=500 + number))
        first = len(pages) + 1
        for index, text in enumerate(_document_pages(number, count)):
            pages.append(scanned(scan_image(text, dpi=200, seed=number * 10 + index), seed=number * 10 + index))
        expected.append((first, len(pages)))
    assert len(pages) == 40
    stack = stack_pdf(tmp_path / "stapel.pdf", pages, 200)
    outcomes = archive.ingest_all(stack, SYSTEM)
    assert [o.status for o in outcomes] == ["filed"] * 10
    assert [tuple(o.stack_pages) for o in outcomes] == expected
    assert [o.pages for o in outcomes] == list(PAGES_PER_DOCUMENT)
    assert len({o.stack_sha256 for o in outcomes}) == 1
    for number, outcome in enumerate(outcomes):
        assert outcome.reference == f"F2024-{number:04d}", outcome
        assert outcome.amount == f"{number + 1}00.00"
        if number:
            assert (outcome.client_id, outcome.document_type) == (CLIENTS[number][0], "invoice")
            if number % 3 == 0:
                assert outcome.document_date == f"2024-04-{number:02d}"  # the sheet's date over the printed one
    fifth = archive.document(outcomes[4].id, SYSTEM, audit=False)
    assert fifth.stack_pages == list(expected[4]) and "F2024-0004" in fifth.text
    searchable = archive.library.rendition_path(outcomes[4].id, SYSTEM)
    reader = PdfReader(searchable)
    assert len(reader.pages) == 5 and "F2024-0004" in reader.pages[0].extract_text()
    report = archive.verify_all()
    assert report["ok"] and report["files_checked"] == 11, json.dumps(report)[:500]
