"""Ignore rules and staying inside the inbox."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from ingest.inbox_paths import (
    EntryKind,
    entry_kind,
    folder_hints,
    free_name,
    inside_inbox,
    is_temporary_name,
    relative_to_inbox,
    scan_inbox,
)


@pytest.mark.parametrize(
    "name",
    ["scan.pdf.part", "scan.PDF.TMP", "x.crdownload", "~$brief.docx", ".hidden.pdf", "a.partial", "upload.filepart"],
)
def test_names_used_while_writing_are_temporary(name: str) -> None:
    assert is_temporary_name(name)


@pytest.mark.parametrize("name", ["scan.pdf", "factuur~1.pdf", "part.pdf", "tmp.pdf", "résumé 2024.PDF"])
def test_real_names_are_not_temporary(name: str) -> None:
    assert not is_temporary_name(name)


def test_relative_path_skips_failed_temp_and_outside(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    assert relative_to_inbox(inbox, inbox / "K-1" / "a.pdf") == PurePosixPath("K-1/a.pdf")
    assert relative_to_inbox(inbox, inbox / "failed" / "a.pdf") is None
    assert relative_to_inbox(inbox, inbox / ".sync" / "a.pdf") is None
    assert relative_to_inbox(inbox, inbox / "a.pdf.part") is None
    assert relative_to_inbox(inbox, tmp_path / "a.pdf") is None
    assert relative_to_inbox(inbox, inbox / ".." / "a.pdf") is None
    assert relative_to_inbox(inbox, inbox) is None


def test_entry_kind_does_not_follow_links(tmp_path: Path) -> None:
    target = tmp_path / "secret.pdf"
    target.write_bytes(b"%PDF-1.4")
    (tmp_path / "link.pdf").symlink_to(target)
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "folder.pdf").mkdir()
    assert entry_kind(target) is EntryKind.FILE
    assert entry_kind(tmp_path / "link.pdf") is EntryKind.LINK
    assert entry_kind(tmp_path / "pipe.pdf") is EntryKind.OTHER
    assert entry_kind(tmp_path / "folder.pdf") is EntryKind.FOLDER
    assert entry_kind(tmp_path / "nothing.pdf") is EntryKind.MISSING


def test_a_linked_folder_is_not_inside_the_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    outside = tmp_path / "outside"
    outside.mkdir()
    inbox.mkdir()
    (inbox / "K-1").symlink_to(outside, target_is_directory=True)
    assert not inside_inbox(inbox, inbox / "K-1" / "x.pdf")
    assert inside_inbox(inbox, inbox / "x.pdf")


def test_scan_walks_folders_but_not_links_failed_or_temp_names(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.pdf").write_bytes(b"x")
    (inbox / "K-1" / "facturen").mkdir(parents=True)
    (inbox / "failed").mkdir()
    (inbox / "K-1" / "facturen" / "a.pdf").write_bytes(b"a")
    (inbox / "b.pdf").write_bytes(b"b")
    (inbox / "b.pdf.part").write_bytes(b"b")
    (inbox / "failed" / "c.pdf").write_bytes(b"c")
    (inbox / "linked").symlink_to(outside, target_is_directory=True)
    entries = {str(e.relative): e.kind for e in scan_inbox(inbox)}
    assert entries == {"b.pdf": EntryKind.FILE, "K-1/facturen/a.pdf": EntryKind.FILE, "linked": EntryKind.LINK}


TYPES = {"facturen": "invoice", "Bonnen": "receipt"}


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("a.pdf", (None, None)),
        ("facturen/a.pdf", (None, "invoice")),
        ("BONNEN/a.pdf", (None, "receipt")),
        ("K-10023/a.pdf", ("K-10023", None)),
        ("K-10023/facturen/a.pdf", ("K-10023", "invoice")),
        ("facturen/K-10023/a.pdf", ("K-10023", "invoice")),
        ("K-1/extra/a.pdf", ("K-1", None)),
    ],
)
def test_folder_hints(relative: str, expected: tuple) -> None:
    assert folder_hints(PurePosixPath(relative), TYPES) == expected


def test_free_name_never_reuses_a_name_or_its_note(tmp_path: Path) -> None:
    assert free_name(tmp_path, "scan.pdf") == tmp_path / "scan.pdf"
    (tmp_path / "scan.pdf").write_bytes(b"1")
    assert free_name(tmp_path, "scan.pdf") == tmp_path / "scan (2).pdf"
    (tmp_path / "scan (2).pdf.error.txt").write_text("note of an earlier failure")
    assert free_name(tmp_path, "scan.pdf") == tmp_path / "scan (3).pdf"
    (tmp_path / "README").symlink_to(tmp_path / "nowhere")
    assert free_name(tmp_path, "README") == tmp_path / "README (2)"


def test_free_name_shortens_names_too_long_for_their_note(tmp_path: Path) -> None:
    long_name = "ü" * 120 + ".pdf"  # 244 bytes: the note would exceed 255
    chosen = free_name(tmp_path, long_name)
    assert chosen.suffix == ".pdf"
    (tmp_path / (chosen.name + ".error.txt")).write_text("fits")
