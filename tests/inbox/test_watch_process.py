"""A real `archive watch` process on a real folder: slow writes, renames, hints, bad input.

One watcher process serves the whole module; each test drops its own files.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import time
import zlib
from pathlib import Path

from pypdf import PdfWriter
from reportlab.pdfgen import canvas

from archive.inbox.notes import read_note
from ingest.values import mask_bsns
from tests.documents import scan_image
from tests.inbox.conftest import WatchProcess, wait_for


def pdf_bytes(text: str, pagesize: tuple[float, float] = (595, 842), pages: int = 1, **options) -> bytes:
    """A born-digital PDF with ``text`` on each page, in memory."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=pagesize, **options)
    for number in range(pages):
        pdf.drawString(72, 700, f"{text} (page {number + 1})")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def png_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    scan_image(text, dpi=100, noise=False).save(buffer, "PNG")
    return buffer.getvalue()


def test_slow_write_is_taken_once_and_whole(shared_watcher: WatchProcess) -> None:
    data = pdf_bytes("Slowly scanned letter, page by page over SMB " * 3, pages=3)
    path = shared_watcher.inbox / "slow.pdf"
    with open(path, "wb") as handle:
        step = len(data) // 8 + 1
        for start in range(0, len(data), step):  # ~2.4 s of writing, pauses shorter than the settle time
            handle.write(data[start : start + step])
            handle.flush()
            time.sleep(0.3)
    wait_for(lambda: "slow.pdf" in shared_watcher.documents(), what="slow.pdf to be filed")
    assert shared_watcher.documents()["slow.pdf"][1] == hashlib.sha256(data).hexdigest()
    wait_for(lambda: "slow.pdf" in shared_watcher.ends("filed"), what="slow.pdf to leave the inbox")
    assert not path.exists() and shared_watcher.ends("filed").count("slow.pdf") == 1
    assert shared_watcher.query("SELECT COUNT(*) FROM documents WHERE original_filename = 'slow.pdf'") == [(1,)]


def test_rename_into_place_is_taken_only_after_the_rename(shared_watcher: WatchProcess) -> None:
    partial = shared_watcher.inbox / "renamed.pdf.part"
    partial.write_bytes(pdf_bytes("Uploaded by FTP under a temporary name"))
    time.sleep(2.0)  # settle time and a rescan have passed: still not touched
    assert partial.exists() and "renamed.pdf.part" not in shared_watcher.documents()
    partial.rename(shared_watcher.inbox / "renamed.pdf")
    wait_for(lambda: "renamed.pdf" in shared_watcher.documents(), what="renamed.pdf to be filed")
    wait_for(lambda: not (shared_watcher.inbox / "renamed.pdf").exists(), what="renamed.pdf to leave")


def test_type_folder_sets_the_type_and_an_unknown_client_folder_fails_with_a_reason(
    shared_watcher: WatchProcess,
) -> None:
    (shared_watcher.inbox / "facturen").mkdir(exist_ok=True)
    (shared_watcher.inbox / "K-99999").mkdir(exist_ok=True)
    (shared_watcher.inbox / "facturen" / "typed.pdf").write_bytes(pdf_bytes("Something without cue words"))
    (shared_watcher.inbox / "K-99999" / "client.pdf").write_bytes(pdf_bytes("For a client not registered"))
    wait_for(lambda: "typed.pdf" in shared_watcher.documents(), what="typed.pdf")
    assert shared_watcher.documents()["typed.pdf"][2] == "invoice"
    note = wait_for(lambda: shared_watcher.note_for("client.pdf"), what="client.pdf to fail")
    # The note is for the office's clerks: in its language (Dutch unless configured otherwise).
    assert "K-99999" in note and "De mappen waarin een bestand staat" in note
    assert "Kwam uit:   inbox/K-99999/client.pdf" in note and "folder" not in note
    kept = read_note(shared_watcher.failed / "client.pdf")
    assert kept.reason.code == "inbox.folder_advice" and "folder" in kept.sentence


def test_status_reports_the_day(shared_watcher: WatchProcess) -> None:
    (shared_watcher.inbox / "status.pdf").write_bytes(pdf_bytes("A letter for the day's figures"))
    wait_for(lambda: not (shared_watcher.inbox / "status.pdf").exists(), what="status.pdf to be filed")
    result = shared_watcher.cli("status", "--json")
    figures = json.loads(result.stdout)
    assert figures["filed_today"] >= 1 and figures["in_progress"] == 0
    assert set(figures) >= {"waiting", "in_progress", "filed_today", "failed_today", "oldest_waiting_seconds"}


def test_a_second_copy_is_recorded_as_duplicate_and_removed(shared_watcher: WatchProcess) -> None:
    data = pdf_bytes("The same letter scanned twice")
    (shared_watcher.inbox / "dup-one.pdf").write_bytes(data)
    wait_for(lambda: "dup-one.pdf" in shared_watcher.documents(), what="dup-one.pdf")
    (shared_watcher.inbox / "dup-two.pdf").write_bytes(data)
    wait_for(lambda: "dup-two.pdf" in shared_watcher.ends("duplicate"), what="dup-two.pdf duplicate")
    assert not (shared_watcher.inbox / "dup-two.pdf").exists()
    original = shared_watcher.documents()["dup-one.pdf"][0]
    assert shared_watcher.query("SELECT document_id, original_filename FROM duplicates") == [(original, "dup-two.pdf")]


# -- bad input: each ends filed or in failed/ with a reason; the watcher keeps running ----------

VALID = pdf_bytes("A perfectly ordinary letter")


def _make_bad_inputs(inbox: Path, outside: Path) -> dict[str, tuple[str, str]]:
    """Drop every kind of bad input; return name -> (expected end, words expected in the reason)."""
    expected: dict[str, tuple[str, str]] = {}

    def drop(name: str, data: bytes, end: str, words: str = "") -> None:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(data)
        expected[name] = (end, words)

    full = pdf_bytes("Truncated in transfer", pages=4)
    drop("zero.pdf", b"", "failed", "empty")
    drop("truncated.pdf", full[: len(full) // 2], "failed", "(%EOF)")
    drop("damaged.pdf", b"%PDF-1.4\n" + os.urandom(3000) + b"\n%%EOF\n", "failed", "")
    drop("pdf-named.jpg", pdf_bytes("A PDF with the wrong extension"), "filed")
    drop("png-named.pdf", png_bytes("Scan saved with the wrong extension"), "filed")
    drop("notes.txt", b"just some plain text notes\n" * 20, "filed")  # plain text is a document (office files)
    drop("page.html.pdf", b"<html><body>not a pdf</body></html>", "failed", "")
    drop("random.pdf", os.urandom(5000), "failed", "")
    drop("encrypted.pdf", pdf_bytes("Secret", encrypt="geheim"), "failed", "password")
    drop("bomb.png", _bomb_png(20_000), "failed", "")
    drop("too-many-pages.pdf", _blank_pages(2100), "failed", "2100")
    drop("huge-page.pdf", pdf_bytes("x", pagesize=(300 * 72, 300 * 72)), "failed", "")
    zero_pages = io.BytesIO()
    PdfWriter().write(zero_pages)
    drop("no-pages.pdf", zero_pages.getvalue(), "any")
    drop("half.jpg", _jpeg()[:1500], "any")
    drop("überweisung – café ✓ 2024.pdf", pdf_bytes("Unicode name"), "filed")
    drop("l" * 200 + ".pdf", pdf_bytes("Long name"), "filed")
    junk = b"\x00\x01\x02\x03\x04\x05"  # not text: plain text files are documents
    drop("b" * 240 + ".txt", junk + b"long and bad", "failed", "")
    drop("new\nline.pdf", pdf_bytes("A newline in the name"), "filed")
    drop("123456782.pdf", pdf_bytes("A BSN as the file name"), "filed")
    drop("facturen/same-name.txt", junk + b"first bad file", "failed", "")
    drop("bonnen/same-name.txt", junk + b"second bad file", "failed", "")
    drop("locked.pdf", pdf_bytes("Permissions 000"), "filed")
    os.chmod(inbox / "locked.pdf", 0)  # root reads it anyway: it is filed
    (outside / "target.pdf").write_bytes(pdf_bytes("Outside the inbox"))
    (inbox / "link.pdf").symlink_to(outside / "target.pdf")
    expected["link.pdf"] = ("failed", "link")
    (outside / "folder").mkdir()
    (inbox / "linked-folder").symlink_to(outside / "folder", target_is_directory=True)
    expected["linked-folder"] = ("failed", "link")
    os.mkfifo(inbox / "pipe.pdf")
    expected["pipe.pdf"] = ("failed", "ordinary file")
    os.link(outside / "target.pdf", inbox / "hardlink.pdf")
    expected["hardlink.pdf"] = ("filed", "")
    raw_name = os.fsdecode(b"latin1-\xe9t\xe9.pdf")
    drop(raw_name, pdf_bytes("A name that is not UTF-8"), "renamed")  # to latin1-été.pdf, then filed
    for name in ("x.pdf.part", "~$x.docx", ".hidden.pdf", "x.crdownload", "x.tmp"):
        drop(name, VALID, "ignored")
    (inbox / "folder-named.pdf").mkdir()
    expected["folder-named.pdf"] = ("ignored", "")
    return expected


def _bomb_png(side: int) -> bytes:
    """A 1-bit PNG of side x side pixels: ~50 MB of pixels packed into a few kilobytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress(bytes((side // 8 + 1) * side), 1)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _blank_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    scan_image("half a photo", dpi=60, noise=False).save(buffer, "JPEG")
    return buffer.getvalue()


def _notes(watcher: WatchProcess) -> dict[str, str]:
    """The reasons (English) of the files in failed/, by the inbox path they came from."""
    notes = {}
    for record in watcher.failed.glob("*.error.json"):
        note = read_note(record.with_name(record.name.removesuffix(".error.json")))
        notes[note.came_from] = note.sentence
    return notes


def _settled_all(watcher: WatchProcess, expected: dict[str, tuple[str, str]]) -> bool:
    waiting = [
        name for name, (end, _) in expected.items() if end != "ignored" and os.path.lexists(watcher.inbox / name)
    ]
    return not waiting


def test_every_kind_of_bad_input_ends_filed_or_failed_with_a_reason(
    shared_watcher: WatchProcess, tmp_path: Path
) -> None:
    inbox = shared_watcher.inbox
    outside = tmp_path / "outside"
    outside.mkdir()
    expected = _make_bad_inputs(inbox, outside)
    (inbox / "gone.pdf").write_bytes(VALID + b"\n% deleted while settling")
    time.sleep(0.2)
    (inbox / "gone.pdf").unlink()
    assert len(expected) >= 25
    wait_for(lambda: _settled_all(shared_watcher, expected), 90, "every bad input to end")
    time.sleep(1.5)  # a rescan later: nothing ignored was taken after all
    documents, notes = shared_watcher.documents(), _notes(shared_watcher)
    for name, (end, words) in expected.items():
        base = mask_bsns(Path(name).name)  # a BSN in a name is stored masked
        if end == "filed":
            assert base in documents, f"{name!r} was not filed: {notes.get(name)}"
        elif end == "failed":
            assert name in notes, f"{name!r} has no note in failed/"
            assert words.lower() in notes[name].lower(), notes[name]
        elif end == "ignored":
            assert os.path.lexists(inbox / name) and base not in documents, name
        elif end == "any":
            assert base in documents or name in notes, name
    wait_for(lambda: "latin1-été.pdf" in shared_watcher.documents(), what="the renamed legacy name")
    assert "gone.pdf" not in documents and "gone.pdf" not in notes
    assert (outside / "target.pdf").exists() and (outside / "folder").is_dir()
    set_aside = {p.name for p in shared_watcher.failed.glob("same-name*.txt") if not p.name.endswith(".error.txt")}
    assert set_aside == {"same-name.txt", "same-name (2).txt"}
    assert "123456782" not in shared_watcher.log_text()
    assert shared_watcher.alive()
    (inbox / "after.pdf").write_bytes(pdf_bytes("Filed after all the bad input"))
    wait_for(lambda: "after.pdf" in shared_watcher.documents(), what="after.pdf: the watcher still works")
