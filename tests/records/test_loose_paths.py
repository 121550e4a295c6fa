"""The home's permission check survives files and folders that vanish while it looks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archive.records import modes


def test_a_folder_removed_while_walking_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / "index").mkdir(parents=True)
    gone = home / "index" / "archive_v4.tmp"  # Whoosh removes its temporary folder at any moment

    def walk_that_races(top: Path):  # os.walk listed the folder just before it was removed
        yield str(home), ["index"], []
        yield str(gone), [], ["segment"]

    monkeypatch.setattr(modes.os, "walk", walk_that_races)
    found = modes.loose_paths(home, tmp_path / "inbox")  # raised FileNotFoundError before
    assert all(path != gone for path, _, _ in found)


def test_an_open_folder_is_still_found(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "index").mkdir(parents=True)
    os.chmod(home / "index", 0o755)
    found = modes.loose_paths(home, tmp_path / "inbox")
    assert (home / "index", 0o755, True) in found
