"""BuildWriter writes exactly the segment files Whoosh's own SegmentWriter writes."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search import location
from search._whoosh import BuildWriter, segments
from search.schema import INDEX_NAME, document_fields
from tests.search.conftest import make_document

TEXTS = [
    "Huurovereenkomst voor de woning aan de Kerkstraat, met vriendelijke groet " * 3,
    "The invoices of the café were paid; see the attached receipts and invoices.",
    "Tandartsnota rekeningen rekening F2024-0012 bedrag 3.141 " + "nota " * 200,
    "",
]


def _documents():
    return [
        make_document(
            n,
            TEXTS[n % len(TEXTS)] + f" woord{n % 7}",
            client_id=f"K-{n % 3}",
            client_name="Jansen & Zn",
            document_type="invoice",
            document_date=f"2024-03-0{1 + n % 9}",
            amount="12.50",
            reference=f"F-{n}",
            tags=("urgent",) if n % 2 else (),
            notes="Klant belde terug" if n % 5 == 0 else "",
        )
        for n in range(1, 301)
    ]  # over two posting blocks (128) for the common words


def _segment_files(folder, writer_class) -> dict[str, bytes]:
    location.create_generation(folder)
    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    writer = writer_class(ix, compound=False)
    for doc in _documents():
        writer.add_document(**document_fields(doc, 20000))
    writer.commit(merge=False)
    segment = segments(ix)[0]
    prefix = segment.make_filename("")
    return {p.name[len(prefix) :]: p.read_bytes() for p in folder.iterdir() if p.name.startswith(prefix)}


def test_build_writer_files_are_byte_for_byte_those_of_whoosh(tmp_path):
    ours = _segment_files(tmp_path / "ours", BuildWriter)
    theirs = _segment_files(tmp_path / "theirs", SegmentWriter)
    assert ours.keys() == theirs.keys() and ".pst" in ours and ".trm" in ours
    for suffix in ours:
        assert ours[suffix] == theirs[suffix], suffix


def test_build_writer_refuses_to_merge(tmp_path):
    location.create_generation(tmp_path)
    ix = whoosh_index.open_dir(str(tmp_path), indexname=INDEX_NAME)
    writer = BuildWriter(ix, compound=False)
    writer.add_document(**document_fields(make_document(1, "tekst"), 100))
    with pytest.raises(ValueError):
        writer.commit(merge=True)
    writer.cancel()
