"""Blank pages of a stack: the back of a sheet always goes, others when the office asks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfWriter

from archive.access.actors import SYSTEM
from archive.service import Archive
from ingest.stacks import Separator, write_separator_sheets
from tests.documents import text_pdf


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
