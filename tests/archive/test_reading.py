"""Reading documents in worker processes: same results, fresh knowledge, survives a dead worker."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time

import pytest
from click.testing import CliRunner

from archive.access.actors import SYSTEM
from archive.cli import main
from archive.documents.reading import MIN_BATCH_FOR_WORKERS, processes_for
from tests.documents import INVOICE_NL, scan_file, text_pdf

LETTER = (
    "Aan: {name}\nMolenweg 12\n1234 AB Utrecht\nFACTUUR\nFactuurnummer: F-{n}\nFactuurdatum: 3 maart 2025\n"
    "Totaal: € {n},00\n"
)


def test_a_batch_gets_one_process_per_core_and_a_handful_stays_here():
    assert processes_for(MIN_BATCH_FOR_WORKERS - 1, configured=0, cores=2) == 1
    assert processes_for(MIN_BATCH_FOR_WORKERS, configured=0, cores=2) == 2
    assert processes_for(500, configured=3, cores=2) == 3
    assert processes_for(500, configured=1, cores=8) == 1


def test_documents_read_in_workers_are_filed_with_their_facts(archive, tmp_path):
    files = [
        text_pdf(tmp_path / f"doc-{n}.pdf", [INVOICE_NL.replace("F2024-0012", f"F2024-{n:04d}")]) for n in range(3)
    ]
    files.append(scan_file(tmp_path / "scan.png", INVOICE_NL))
    with archive.reading_in_processes(2):
        outcomes = [archive.ingest(path, SYSTEM) for path in files]
    assert [o.status for o in outcomes] == ["filed"] * 4
    assert [o.reference for o in outcomes[:3]] == [f"F2024-{n:04d}" for n in range(3)]
    assert outcomes[3].amount == "109.00" and outcomes[3].ocr
    assert len(archive.reader.pool.pids()) == 2  # read in the two workers the batch started
    assert archive.rendition_path(outcomes[3].id, SYSTEM).read_bytes().startswith(b"%PDF")
    archive.flush_index()
    assert archive.index.document_ids() == {o.id for o in outcomes}


def test_a_client_added_while_workers_run_is_recognised_next(archive, tmp_path):
    with archive.reading_in_processes(2):
        before = archive.ingest(
            text_pdf(tmp_path / "a.pdf", [LETTER.format(name="Jansen Installatietechniek B.V.", n=1)])
        )
        archive.clients.add(
            {
                "client_id": "K-10023",
                "name": "Jansen Installatietechniek B.V.",
                "kind": "company",
                "street": "Molenweg",
                "house_number": "12",
                "postcode": "1234 AB",
                "city": "Utrecht",
            },
            SYSTEM,
        )
        after = archive.ingest(
            text_pdf(tmp_path / "b.pdf", [LETTER.format(name="Jansen Installatietechniek B.V.", n=2)])
        )
    assert before.client_id is None
    assert after.client_id == "K-10023"


def test_a_killed_worker_loses_no_document(archive, tmp_path):
    with archive.reading_in_processes(2):
        first = archive.ingest(text_pdf(tmp_path / "a.pdf", [INVOICE_NL]))
        for pid in archive.reader.pool.pids():
            os.kill(pid, signal.SIGKILL)
        second = archive.ingest(text_pdf(tmp_path / "b.pdf", [INVOICE_NL.replace("F2024-0012", "F2024-0099")]))
    assert (first.status, second.status) == ("filed", "filed")  # a fresh worker read the second
    assert second.reference == "F2024-0099"


@pytest.mark.parametrize("count", [MIN_BATCH_FOR_WORKERS])
def test_cli_ingest_of_a_batch_files_every_document(config, tmp_path, count):
    runner = CliRunner()
    home = ["--home", str(config.home)]
    assert runner.invoke(main, home + ["init"], env={"ARCHIVE_ADMIN_PASSWORD": "Kantoor-Archief-2026!"}).exit_code == 0
    folder = tmp_path / "batch"
    folder.mkdir()
    for n in range(count):
        text_pdf(folder / f"doc-{n}.pdf", [INVOICE_NL.replace("F2024-0012", f"F2024-{n:04d}")])
    shutil.copy(folder / "doc-0.pdf", folder / "again.pdf")
    result = runner.invoke(main, home + ["ingest", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    outcomes = [json.loads(line) for line in result.output.splitlines()]
    assert sorted(o["status"] for o in outcomes) == ["duplicate"] + ["filed"] * count
    assert {o["reference"] for o in outcomes if o["status"] == "filed"} == {f"F2024-{n:04d}" for n in range(count)}


def test_a_lost_thumbnail_is_drawn_again_from_the_original(archive, tmp_path):
    outcome = archive.ingest(text_pdf(tmp_path / "a.pdf", [INVOICE_NL]))
    thumbnail = archive.thumbnail_path(outcome.id, SYSTEM)
    drawn = thumbnail.read_bytes()
    thumbnail.unlink()
    again = archive.thumbnail_path(outcome.id, SYSTEM)
    assert again == thumbnail and again.read_bytes()[:3] == b"\xff\xd8\xff" and len(again.read_bytes()) == len(drawn)


def test_an_empty_thumbnail_left_by_a_power_cut_is_drawn_again(archive, tmp_path):
    outcome = archive.ingest(text_pdf(tmp_path / "a.pdf", [INVOICE_NL]))
    thumbnail = archive.thumbnail_path(outcome.id, SYSTEM)
    drawn = thumbnail.read_bytes()
    thumbnail.write_bytes(b"")  # made without an fsync: a power cut can leave the name and no bytes
    assert archive.thumbnail_path(outcome.id, SYSTEM) == thumbnail and thumbnail.read_bytes() == drawn


def test_a_thumbnail_is_moved_into_place_unflushed_and_a_searchable_pdf_flushed(archive, tmp_path, monkeypatch):
    flushed: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    letter = archive.ingest(text_pdf(tmp_path / "a.pdf", [INVOICE_NL]))
    scan = archive.ingest(scan_file(tmp_path / "scan.png", INVOICE_NL.replace("F2024", "F2025"), dpi=150))
    assert letter.status == scan.status == "filed"
    originals = [path for path in flushed if path.endswith(".part")]
    assert len(originals) == 2  # each original's bytes, before its row was written
    names = [os.path.basename(path) for path in flushed]
    assert not [name for name in names if name.endswith(".jpg")]
    assert sum(name.startswith("read-") and name.endswith(".pdf") for name in names) == 1  # the scan's searchable PDF
    store = archive.store
    assert (
        store.derivative_path(scan.sha256, "pdf").exists() and store.derivative_path(scan.sha256, "thumb.jpg").exists()
    )
    assert not store.derivative_path(letter.sha256, "thumb.jpg").exists()  # drawn when first shown
    flushed.clear()
    assert archive.thumbnail_path(letter.id, SYSTEM) == store.derivative_path(letter.sha256, "thumb.jpg")
    assert not [path for path in flushed if path.endswith(".jpg")]
    assert list((store.root / "tmp").rglob("*.thumb.jpg")) == []


_KILLED_FILER = """
import os, signal, sys, tempfile, time
from pathlib import Path
from archive.documents.reading import ReadingPool
from archive.documents.workers import WorkerLimits
from ingest.settings import OcrSettings

pool = ReadingPool(2, OcrSettings(), WorkerLimits(), Path(tempfile.mkdtemp()))
pool.start(2)
print(" ".join(str(p) for p in pool.pids()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer or kill -9 would
"""


def test_workers_end_when_the_filing_process_is_killed(tmp_path):
    import subprocess
    import sys

    import psutil

    done = subprocess.run([sys.executable, "-c", _KILLED_FILER], capture_output=True, text=True, timeout=120)
    workers = [int(pid) for pid in done.stdout.split()]
    assert len(workers) == 2, done.stderr
    deadline = time.monotonic() + 15
    while any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in workers):
        assert time.monotonic() < deadline, "reading workers outlived the killed filing process"
        time.sleep(0.1)
