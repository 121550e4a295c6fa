"""Odd kinds of file through `archive ingest`: each gets its own result, none stops the batch."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from tests import hostile_files as hostile
from tests.documents import INVOICE_NL, text_pdf


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    result = CliRunner().invoke(
        main, ["--home", str(home), "init"], env={"ARCHIVE_ADMIN_PASSWORD": "Kw1k-Zeer-Geheim!"}
    )
    assert result.exit_code == 0, result.output
    return home


def _ingest(home: Path, *paths: Path) -> tuple[int, list[dict]]:
    result = CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), "ingest", *map(str, paths), "--json"])
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_a_batch_with_odd_entries_files_the_good_ones_and_says_why_for_each_other(home, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    good = text_pdf(folder / "good.pdf", [INVOICE_NL])
    pipe = hostile.fifo(folder)
    locked = hostile.unreadable(folder)
    odd = hostile.rotate_pdf(folder, "abc")
    finished = threading.Event()
    result: list = []
    worker = threading.Thread(target=lambda: (result.append(_ingest(home, good, pipe, locked, odd)), finished.set()))
    worker.start()
    assert finished.wait(120), "archive ingest hung on a pipe"
    code, outcomes = result[0]
    by_name = {Path(o["source"]).name: o for o in outcomes}
    assert code == 1 and len(outcomes) == 4
    assert by_name["good.pdf"]["status"] == "filed" and by_name["rotate-abc.pdf"]["status"] == "filed"
    assert "not an ordinary file" in by_name["pipe.pdf"]["error"]
    if os.geteuid() != 0:  # root reads any file
        assert "not allowed to read" in by_name["unreadable.pdf"]["error"]


def test_a_folder_is_walked_without_following_links_and_names_of_every_kind_are_filed(home, tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    hostile.unicode_name(folder)
    hostile.long_name(folder)
    hostile.symlink(folder)  # inside a folder a link is not followed
    code, outcomes = _ingest(home, folder)
    assert code == 0 and [o["status"] for o in outcomes] == ["filed", "filed"]  # the link is left out
    assert any("💶" in o["source"] for o in outcomes)
