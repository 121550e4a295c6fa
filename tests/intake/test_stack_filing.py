"""Blank pages of a stack: the back of a sheet always goes, others when the office asks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfWriter

from archive.access.actors import SYSTEM
from archive.documents.reading import ReadingPool
from archive.service import Archive
from ingest import pdf
from ingest.stacks import Separator, write_separator_sheets
from storage.filestore import FileStore
from tests.documents import INVOICE_NL, image_pdf, text_pdf


def _stack(tmp_path: Path) -> Path:
    """Letter (with an empty back), sheet (with its empty back), letter."""
    sheet = write_separator_sheets(tmp_path / "sheet.pdf", [Separator()])
    writer = PdfWriter()
    writer.append(str(text_pdf(tmp_path / "a.pdf", ["Betreft: de eerste brief"])))
    writer.add_blank_page()
    writer.append(str(sheet))
    writer.add_blank_page()
    writer.append(str(text_pdf(tmp_path / "b.pdf", ["Betreft: de tweede brief"])))
    target = tmp_path / "stapel.pdf"
    writer.write(target)
    return target


@pytest.mark.parametrize("drop, expected", [(False, [[1, 2], [5, 5]]), (True, [[1, 1], [5, 5]])])
def test_blank_pages(config, tmp_path, drop, expected):
    changed = dataclasses.replace(config, ingest=dataclasses.replace(config.ingest, drop_blank_pages=drop))
    with Archive.open(changed, create=True) as archive:
        parts = archive.ingest_all(_stack(tmp_path), SYSTEM)
        assert [p.stack_pages for p in parts] == expected
        assert [p.pages for p in parts] == [expected[0][1] - expected[0][0] + 1, 1]


def test_scans_stay_whole_when_separators_are_not_looked_for(config, tmp_path):
    changed = dataclasses.replace(config, ingest=dataclasses.replace(config.ingest, find_separators=False))
    with Archive.open(changed, create=True) as archive:
        [whole] = archive.ingest_all(_stack(tmp_path), SYSTEM)
        assert whole.pages == 5 and whole.stack_sha256 is None


def test_a_scan_is_looked_at_in_a_reading_worker_and_its_text_read_once(archive, tmp_path, monkeypatch):
    letter = text_pdf(tmp_path / "brief.pdf", ["Betreft: de eerste brief van twee pagina's", "Bijlage bij de brief"])

    def never_here(*args):
        raise AssertionError("a PDF's text was read in the filing process")

    # The reading workers come from a fork server that imported its own copy of the reader.
    monkeypatch.setattr(pdf, "_read_text", never_here)
    extracted = []
    monkeypatch.setattr(ReadingPool, "understand", _counting(ReadingPool.understand, extracted))
    [whole] = archive.ingest_all(letter, SYSTEM)
    assert (whole.status, whole.pages, whole.stack_sha256) == ("filed", 2, None)
    assert "eerste brief" in archive.document(whole.id, SYSTEM, audit=False).text
    assert extracted == [True]  # the look's text layers went with the reading


def _counting(understand, seen):
    def counted(self, original, work_dir, knowledge, text_layers=None):
        seen.append(text_layers is not None)
        return understand(self, original, work_dir, knowledge, text_layers)

    return counted


def test_a_scan_filed_whole_is_read_in_the_folder_its_look_used_then_removed(archive, tmp_path, monkeypatch):
    archive.reader.workers()  # the reading pool's own folder is made once, not per file
    made = []
    monkeypatch.setattr(FileStore, "temp_dir", _counting_folders(FileStore.temp_dir, made))
    scan = image_pdf(tmp_path / "scan.pdf", [INVOICE_NL])
    [whole] = archive.ingest_all(scan, SYSTEM)
    assert (whole.status, whole.ocr, whole.stack_sha256) == ("filed", True, None)
    assert len(made) == 1  # the look's work folder is the reading's too
    assert archive.store.derivative_path(whole.sha256, "pdf").exists()  # its searchable PDF was kept from there
    assert not made[0].exists()


def _counting_folders(temp_dir, made):
    def counted(self):
        folder = temp_dir(self)
        made.append(folder)
        return folder

    return counted
