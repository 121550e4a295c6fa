"""The note beside a failed inbox file: in the office's language, its reason kept as a message, read back."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import pytest

from archive.access.actors import SYSTEM
from archive.errors import Message, NotFound
from archive.inbox.notes import read_note, write_note
from archive.inbox.retry import failed_files, retry_failed
from archive.wording import office_wording
from ingest.errors import Phrase

WHEN = datetime(2026, 3, 12, 15, 0, tzinfo=timezone.utc)
ACCEPTS = Phrase(
    "format.accepts_scans", "the archive accepts PDF and image scans (PNG, JPEG, TIFF, WebP, BMP, GIF, HEIC, AVIF)"
)
REASON = Message(
    "format.unsupported",
    "This file is {what}; {accepts}.",
    {"what": Phrase("format.ole", "an old-style Office document (.doc/.xls)"), "accepts": ACCEPTS},
)


def _set_aside(inbox: Path, name: str, came_from: str, language: str) -> Path:
    target = inbox / "failed" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"GIF89a")
    write_note(target, PurePosixPath(came_from), REASON, WHEN, office_wording(language))
    return target


def test_the_note_is_in_the_office_language_and_keeps_the_message(tmp_path: Path):
    target = _set_aside(tmp_path, "scan (2).gif", "facturen/scan.gif", "nl")
    text = (tmp_path / "failed" / "scan (2).gif.error.txt").read_text(encoding="utf-8")
    assert text.startswith("Dit bestand kon niet worden gearchiveerd.")
    assert "Dit bestand is een Office-document in het oude formaat (.doc/.xls); het archief neemt" in text
    assert "12 maart 2026 16:00" in text
    assert "This file" not in text and "What went wrong" not in text
    record = json.loads((tmp_path / "failed" / "scan (2).gif.error.json").read_text(encoding="utf-8"))
    assert record["reason"]["code"] == "format.unsupported"
    note = read_note(target)
    assert note.came_from == "facturen/scan.gif" and note.reason.code == "format.unsupported"
    # The English sentence, for the log and CLI.
    assert note.sentence.startswith("This file is an old-style Office document (.doc/.xls);")
    english = _set_aside(tmp_path / "en", "scan.gif", "scan.gif", "en")
    assert (
        english.with_name("scan.gif.error.txt").read_text(encoding="utf-8").startswith("This file could not be filed.")
    )


def test_a_note_from_before_the_json_is_read_from_its_english_text(tmp_path: Path):
    target = tmp_path / "scan.pdf"
    target.write_bytes(b"%PDF")
    target.with_name("scan.pdf.error.txt").write_text(
        "This file could not be filed.\n\nFile:       scan.pdf\nCame from:  inbox/K-1/scan.pdf\n\n"
        "What went wrong:\n  The PDF is damaged.\n\nWhat you can do:\n  …\n",
        encoding="utf-8",
    )
    note = read_note(target)
    assert (note.came_from, note.reason, note.sentence) == ("K-1/scan.pdf", None, "The PDF is damaged.")


def test_a_failed_file_is_listed_with_its_message_and_goes_back_where_it_came_from(archive):
    inbox = archive.config.inbox_path
    _set_aside(inbox, "scan (2).gif", "facturen/scan.gif", "nl")
    [listed] = failed_files(inbox)
    assert listed["message"].code == "format.unsupported" and listed["came_from"] == "facturen/scan.gif"
    back = retry_failed(inbox, "scan (2).gif", SYSTEM, archive.audit)
    assert back == inbox / "facturen" / "scan.gif" and back.read_bytes() == b"GIF89a"
    assert list((inbox / "failed").iterdir()) == []
    with pytest.raises(NotFound):
        retry_failed(inbox, "scan (2).gif.error.json", SYSTEM, archive.audit)
