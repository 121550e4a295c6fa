"""The core flow through the `archive` command line: init, ingest, show, get, search, verify."""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from PIL import Image

from archive.cli import COMMAND_MODULES, main
from archive.errors import ExitCode
from tests.documents import INVOICE_NL, REPO, image_pdf, scan_file, text_pdf


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    result = CliRunner().invoke(
        main, ["--home", str(home), "init"], env={"ARCHIVE_ADMIN_PASSWORD": "Kw1k-Zeer-Geheim!"}
    )
    assert result.exit_code == 0, result.output
    return home


def run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), *args])
    return result.exit_code, result.stdout, result.stderr


def ingest(home: Path, *paths: Path, options: tuple[str, ...] = ()) -> list[dict]:
    _code, out, err = run(home, "ingest", *map(str, paths), *options, "--json")
    outcomes = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(outcomes) == len(paths), out + err
    return outcomes


def test_born_digital_pdf_is_filed_with_its_text(home: Path, tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "factuur.pdf", [INVOICE_NL])
    before = source.read_bytes()
    [outcome] = ingest(home, source)
    assert outcome["status"] == "filed" and outcome["ocr"] is False and outcome["pages"] == 1
    for field in (
        "source",
        "id",
        "duplicate_of",
        "error",
        "sha256",
        "document_type",
        "client_id",
        "document_date",
        "amount",
        "currency",
        "iban",
        "reference",
        "language",
        "needs_review",
        "review_reasons",
    ):
        assert field in outcome
    assert outcome["language"] == "nl"
    assert source.read_bytes() == before
    code, out, _ = run(home, "show", str(outcome["id"]), "--json")
    shown = json.loads(out)
    assert code == 0 and "Factuurnummer" in shown["text"] and shown["language"] == "nl"
    assert shown["state"] == "filed" and shown["original_filename"] == "factuur.pdf"
    assert shown["mime_type"] == "application/pdf" and shown["legal_hold"] is False
    for field in ("title", "created_at", "retention_until", "holds"):
        assert field in shown


def test_three_page_pdf_keeps_page_order(home: Path, tmp_path: Path) -> None:
    source = text_pdf(
        tmp_path / "drie.pdf",
        [
            "Eerste pagina van het verslag: appel",
            "Tweede pagina van het verslag: peer",
            "Derde pagina van het verslag: kers",
        ],
    )
    [outcome] = ingest(home, source)
    assert outcome["pages"] == 3
    shown = json.loads(run(home, "show", str(outcome["id"]), "--json")[1])
    assert shown["text"].index("appel") < shown["text"].index("peer") < shown["text"].index("kers")


def test_scans_are_read_by_ocr(home: Path, tmp_path: Path) -> None:
    png = scan_file(tmp_path / "brief.png", "Geachte heer Jansen\nBetreft vlinderdossier 2024\n")
    jpg = scan_file(tmp_path / "bon.jpg", "Kassabon Albert Heijn\nBetaald met pinpas\nTotaal 12,50\n")
    outcomes = ingest(home, png, jpg)
    assert [o["status"] for o in outcomes] == ["filed", "filed"]
    assert all(o["ocr"] for o in outcomes)
    texts = [json.loads(run(home, "show", str(o["id"]), "--json")[1])["text"].lower() for o in outcomes]
    assert "vlinderdossier" in texts[0]
    assert "pinpas" in texts[1]


def test_image_only_pdf_and_tiff_get_a_searchable_pdf(home: Path, tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "scan.pdf", ["Pagina een huurovereenkomst", "Pagina twee handtekening"])
    tiff = tmp_path / "scan.tif"
    first = Image.open(scan_file(tmp_path / "p1.png", "Loonstrook maart"))
    second = Image.open(scan_file(tmp_path / "p2.png", "Netto salaris"))
    first.save(tiff, save_all=True, append_images=[second], compression="tiff_deflate", dpi=(200, 200))
    outcomes = ingest(home, pdf, tiff)
    assert [(o["status"], o["pages"], o["ocr"]) for o in outcomes] == [("filed", 2, True), ("filed", 2, True)]
    for outcome in outcomes:
        target = tmp_path / f"out-{outcome['id']}.pdf"
        assert run(home, "get", str(outcome["id"]), "--rendition", "pdf", "-o", str(target))[0] == 0
        assert target.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(tmp_path / f"out-{outcomes[0]['id']}.pdf").pages[0].extract_text().lower()
    assert "huurovereenkomst" in text


def test_page_scanned_sideways_is_still_read(home: Path, tmp_path: Path) -> None:
    source = scan_file(
        tmp_path / "gedraaid.png",
        "Geachte mevrouw de Vries\nBetreft uw aanvraag parkeervergunning\nMet vriendelijke groet\nGemeente Utrecht",
        rotate=90,
    )
    [outcome] = ingest(home, source)
    shown = json.loads(run(home, "show", str(outcome["id"]), "--json")[1])
    assert "parkeervergunning" in shown["text"].lower()


def test_get_returns_the_original_bytes(home: Path, tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "a.pdf", ["Origineel document"])
    [outcome] = ingest(home, source)
    target = tmp_path / "terug.pdf"
    assert run(home, "get", str(outcome["id"]), "-o", str(target))[0] == 0
    assert target.read_bytes() == source.read_bytes()


def test_identical_bytes_are_a_duplicate(home: Path, tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "a.pdf", ["Eenmalig document"])
    copy = tmp_path / "kopie.pdf"
    copy.write_bytes(source.read_bytes())
    [first] = ingest(home, source)
    [second] = ingest(home, copy)
    assert second["status"] == "duplicate" and second["duplicate_of"] == first["id"]
    shown = json.loads(run(home, "show", str(first["id"]), "--json")[1])
    assert shown["duplicates"][0]["original_filename"] == "kopie.pdf"


def _bad_inputs(folder: Path) -> dict[str, Path]:
    good = text_pdf(folder / "good.pdf", ["Goed document"]).read_bytes()
    docx = folder / "brief.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    bomb = folder / "bomb.png"
    Image.new("1", (20000, 20000)).save(bomb)
    files = {
        "empty": folder / "leeg.pdf",
        "truncated": folder / "afgebroken.pdf",
        "html": folder / "pagina.pdf",
        "docx": docx,
        "bomb": bomb,
    }
    files["empty"].write_bytes(b"")
    files["truncated"].write_bytes(good[: len(good) // 2])
    files["html"].write_text("<!DOCTYPE html><html><body>Factuur</body></html>")
    return files


def test_bad_input_fails_cleanly_and_the_next_file_is_filed(home: Path, tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path)
    before = {name: path.read_bytes() for name, path in bad.items()}
    follower = text_pdf(tmp_path / "daarna.pdf", ["Dit document komt na de slechte"])
    # Plain text is a document (its name does not count): filed with a PDF viewing copy.
    text = tmp_path / "notitie.pdf"
    text.write_text("Gewoon een tekstbestand met een verkeerde naam.\n")
    outcomes = ingest(home, *bad.values(), follower, text)
    for name, outcome in zip(bad, outcomes):
        assert outcome["status"] == "failed", name
        assert outcome["error"] and "Traceback" not in outcome["error"], name
        assert outcome["error"].endswith("."), (name, outcome["error"])
    assert outcomes[-2]["status"] == "filed"
    assert outcomes[-1]["status"] == "filed"
    assert {name: path.read_bytes() for name, path in bad.items()} == before
    assert run(home, "verify")[0] == 0


def test_exit_code_is_1_when_a_file_failed(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    code, _, _ = run(home, "ingest", str(empty))
    assert code == 1


def test_corpus_robustness_pdfs(home: Path, corpus: Path) -> None:
    names = [
        "paperless-simple.pdf",
        "paperless-encrypted.pdf",
        "paperless-password-is-test.pdf",
        "ocrmypdf-invalid.pdf",
        "paperless-signed.pdf",
        "ocrmypdf-no_contents.pdf",
    ]
    outcomes = dict(zip(names, ingest(home, *(corpus / "robustness" / n for n in names))))
    assert outcomes["paperless-simple.pdf"]["status"] == "filed"
    assert outcomes["paperless-signed.pdf"]["status"] == "filed"
    assert outcomes["paperless-encrypted.pdf"]["status"] == "failed"
    assert "password" in outcomes["paperless-password-is-test.pdf"]["error"].lower()
    assert outcomes["ocrmypdf-invalid.pdf"]["status"] == "failed"
    assert outcomes["ocrmypdf-no_contents.pdf"]["status"] in ("filed", "failed")
    assert run(home, "verify")[0] == 0


def test_corpus_receipt_scan(home: Path, corpus: Path) -> None:
    [outcome] = ingest(home, corpus / "sroie" / "036.jpg")
    assert outcome["status"] == "filed" and outcome["ocr"] is True
    shown = json.loads(run(home, "show", str(outcome["id"]), "--json")[1])
    assert "UNIHAKKA" in shown["text"].upper()


def test_search_finds_a_filed_document_by_a_word(home: Path, tmp_path: Path) -> None:
    [outcome] = ingest(home, text_pdf(tmp_path / "a.pdf", ["Verslag over de zonnepanelen op het dak"]))
    code, out, _ = run(home, "search", "zonnepanelen", "--json")
    results = json.loads(out)
    assert code == 0 and results["total"] == 1
    hit = results["hits"][0]
    assert hit["id"] == outcome["id"]
    for field in ("title", "score", "document_type", "client_id", "document_date", "highlights"):
        assert field in hit


def test_verify_catches_one_altered_byte(home: Path, tmp_path: Path) -> None:
    [outcome] = ingest(home, text_pdf(tmp_path / "a.pdf", ["Onveranderlijk"]))
    stored = home / "store" / "originals" / outcome["sha256"][:2] / outcome["sha256"][2:4] / outcome["sha256"]
    os.chmod(stored, 0o600)
    data = bytearray(stored.read_bytes())
    data[100] ^= 1
    stored.write_bytes(bytes(data))
    code, out, _ = run(home, "verify", "--json")
    report = json.loads(out)
    assert code == ExitCode.INTEGRITY_FAILURE and report["altered"] == [outcome["id"]]
    code, out, _ = run(home, "verify")
    assert code == ExitCode.INTEGRITY_FAILURE and f"Document {outcome['id']}" in out


def test_reindex_rebuilds_and_search_still_works(home: Path, tmp_path: Path) -> None:
    ingest(home, text_pdf(tmp_path / "a.pdf", ["Jaarverslag kinderopvang"]))
    code, out, _ = run(home, "reindex")
    assert code == 0 and "Indexed 1 documents" in out
    assert json.loads(run(home, "search", "kinderopvang", "--json")[1])["total"] == 1


def test_missing_home_gives_a_sentence(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "nowhere", "show", "1")
    assert code == 3 and err.rstrip().endswith(" init") and "Traceback" not in err


def test_unknown_document(home: Path) -> None:
    code, _, err = run(home, "show", "999")
    assert code == 3 and "no document 999" in err


def test_every_command_has_help() -> None:
    def walk(group, prefix):
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            yield prefix + [name], command
            if isinstance(command, click.Group):
                yield from walk(command, prefix + [name])

    for path, command in walk(main, []):
        assert (command.help or "").strip(), f"archive {' '.join(path)} has no help text"
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path


def test_each_area_module_adds_the_commands_it_is_listed_with() -> None:
    # `archive` imports an area's module only when one of its listed commands is named.
    for module, names in COMMAND_MODULES.items():
        group = click.Group()
        importlib.import_module(module).register(group)
        assert sorted(group.commands) == sorted(names), module


def test_a_backup_starts_without_the_readers_of_documents() -> None:
    # What `archive backup` imports: the readers (PDF, OCR, e-mail) and the search index stay out.
    code = (
        "import sys; from archive.cli import main; "
        "main.get_command(None, 'backup'); import archive.backup.opening; "
        "print(sorted(m for m in ('archive.service', 'archive.documents.filing', 'whoosh', 'pypdfium2', "
        "'extract_msg', 'cv2', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "[]"


def test_a_bsn_in_a_file_name_is_masked_everywhere(home: Path, tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "paspoort 111222333.pdf", ["Kopie identiteitsbewijs van de werknemer"])
    [outcome] = ingest(home, source)
    assert "111222333" not in json.dumps(outcome)
    shown = json.loads(run(home, "show", str(outcome["id"]), "--json")[1])
    assert shown["original_filename"] == "paspoort *****2333.pdf"
    assert "111222333" not in json.dumps(shown)
    assert "111222333" not in (home / "logs" / "archive.log").read_text()


@pytest.mark.parametrize("written", ["123 456 782", "1234.56.782"])
def test_a_bsn_written_with_gaps_is_masked_in_names_logs_and_the_audit(home: Path, tmp_path: Path, written) -> None:
    source = text_pdf(tmp_path / f"paspoort {written}.pdf", ["Kopie identiteitsbewijs van de werknemer"])
    [outcome] = ingest(home, source)
    shown = json.loads(run(home, "show", str(outcome["id"]), "--json")[1])
    assert shown["original_filename"] == "paspoort *****6782.pdf"
    code, _, _ = run(home, "search", f'"{written}" kopie', "--json")
    assert code == 0
    with sqlite3.connect(home / "archive.sqlite3") as db:
        trail = [json.loads(details) for action, details in db.execute("SELECT action, details FROM audit_log")]
    log = (home / "logs" / "archive.log").read_text()
    for seen in (json.dumps(outcome), json.dumps(shown), json.dumps(trail), log):
        assert written not in seen and "123456782" not in seen
    assert any("*****6782" in entry.get("query", "") for entry in trail)


def test_ingest_date_is_read_as_the_forms_read_it(home: Path, tmp_path: Path) -> None:
    one = text_pdf(tmp_path / "een.pdf", ["Brief aan de huurder"])
    two = text_pdf(tmp_path / "twee.pdf", ["Tweede brief aan de huurder"])
    assert ingest(home, one, options=("--date", "12-03-2024"))[0]["document_date"] == "2024-03-12"
    assert ingest(home, two, options=("--date", "12 maart 2024"))[0]["document_date"] == "2024-03-12"
    code, _, err = run(home, "ingest", str(one), "--date", "31-02-2024")
    assert code == 5 and "is not a date" in err and "Traceback" not in err


def test_a_file_name_that_is_not_utf8_is_filed(home: Path, tmp_path: Path) -> None:
    source = Path(os.fsdecode(bytes(tmp_path) + b"/factuur-\xe9t\xe9.pdf"))
    text_pdf(source, ["Factuur met een Latin-1 bestandsnaam"])
    [outcome] = ingest(home, source)
    assert outcome["status"] == "filed"
    shown = json.loads(run(home, "show", str(outcome["id"]), "--json")[1])
    assert shown["original_filename"] == "factuur-\ufffdt\ufffd.pdf"


def test_types_kept_for_their_retention_rule_can_be_given(home: Path, tmp_path: Path) -> None:
    record = text_pdf(tmp_path / "consult.pdf", ["Verslag van het consult bij de huisarts, maart 2024"])
    [outcome] = ingest(home, record, options=("--type", "medical_record", "--date", "2024-03-05"))
    shown = json.loads(run(home, "show", str(outcome["id"]), "--json")[1])
    # Medical records: twenty years from the dossier's last change — here the day it was filed.
    filed = date.fromisoformat(shown["filed_at"][:10])
    assert shown["document_type"] == "medical_record"
    assert shown["retention_until"] == filed.replace(year=filed.year + 20).isoformat()
    code, _, err = run(home, "ingest", str(record), "--type", "recipe")
    assert code == 5 and "Unknown document type 'recipe'" in err


def test_search_says_when_a_prefix_was_cut_short(home: Path, tmp_path: Path, monkeypatch) -> None:
    from search import docsets

    ingest(home, text_pdf(tmp_path / "a.pdf", ["Verhuur verkoop verder vergunning"]))
    monkeypatch.setattr(docsets, "MAX_PREFIX_TERMS", 1)
    code, out, _ = run(home, "search", "ver*", "--json")
    assert code == 0 and json.loads(out)["total"] == 1 and "ver*" in json.loads(out)["notice"]
    code, out, _ = run(home, "search", "ver*")
    assert "fits too many words" in out
    assert json.loads(run(home, "search", "verhuur*", "--json")[1])["notice"] is None
