"""Fixity of derivatives: an altered thumbnail or searchable PDF is rebuilt from the original and
the rebuild audited; `archive verify` ends clean after the repair. A lost original stays a loss."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from archive.access.actors import SYSTEM
from archive.cli import main
from archive.config import load_config
from archive.errors import ExitCode
from archive.service import Archive
from tests.documents import scan_file, text_pdf


def _cli(home: Path, *args: str):
    return CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), *args])


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A home with a text PDF (a thumbnail) and a scan (a searchable PDF and a thumbnail)."""
    folder = tmp_path_factory.mktemp("fixity")
    home = folder / "home"
    assert _cli(home, "init").exit_code == 0
    letter = text_pdf(folder / "brief.pdf", ["Brief\nBetreft: vlinderstruik"])
    scan = scan_file(folder / "scan.png", "Factuur 77\nBetreft: tuinhek", dpi=150, noise=False)
    # One call each: a batch files its documents in parallel, so their numbers follow whichever
    # is read first, and these tests name the letter 1 and the scan 2.
    for path in (letter, scan):
        result = _cli(home, "ingest", str(path), "--json")
        assert result.exit_code == 0, result.stderr
    # A born-digital PDF's thumbnail is drawn when first shown: shown once, as a page would.
    with Archive.open(load_config(home=home)) as archive:
        assert archive.thumbnail_path(1, SYSTEM) is not None
    return home


def _derivative(home: Path, document_id: int, kind: str) -> Path:
    conn = sqlite3.connect(home / "archive.sqlite3")
    try:
        (sha256,) = conn.execute("SELECT sha256 FROM documents WHERE id = ?", (document_id,)).fetchone()
    finally:
        conn.close()
    return home / "store" / "derivatives" / sha256[:2] / sha256[2:4] / f"{sha256}.{kind}"


def _recorded(home: Path, path: Path) -> str:
    sha256, kind = path.name.split(".", 1)
    conn = sqlite3.connect(home / "archive.sqlite3")
    try:
        return conn.execute("SELECT digest FROM derivatives WHERE sha256 = ? AND kind = ?", (sha256, kind)).fetchone()[
            0
        ]
    finally:
        conn.close()


def _rebuilds(home: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(home / "archive.sqlite3")
    try:
        rows = conn.execute("SELECT document_id, details FROM audit_log WHERE action = 'derivative_rebuilt'")
        return [(document_id, json.loads(details)["derivative"]) for document_id, details in rows]
    finally:
        conn.close()


def _verify(home: Path) -> tuple[int, dict]:
    result = _cli(home, "verify", "--json")
    return result.exit_code, json.loads(result.stdout)


def test_a_thumbnail_replaced_wholesale_is_rebuilt_and_audited(home: Path) -> None:
    thumbnail = _derivative(home, 1, "thumb.jpg")
    made = _recorded(home, thumbnail)
    Image.new("RGB", (120, 160), "red").save(thumbnail, "JPEG")  # someone else's picture, same name
    code, report = _verify(home)
    assert code == ExitCode.OK, report["problems"]
    assert {"document_id": 1, "derivative": "thumb.jpg", "rebuilt": True} in [
        {k: f[k] for k in ("document_id", "derivative", "rebuilt")} for f in report["derivative_findings"]
    ]
    assert any("Document 1: its thumbnail was altered or replaced; it was rebuilt" in n for n in report["notes"])
    assert hashlib.sha256(thumbnail.read_bytes()).hexdigest() == _recorded(home, thumbnail) == made
    assert (1, "thumb.jpg") in _rebuilds(home)
    assert _verify(home)[1]["derivative_findings"] == []  # once rebuilt, clean


@pytest.mark.parametrize("torn", [b"", b"\xff\xd8\xff\xe0"])
def test_a_thumbnail_torn_by_a_power_cut_is_rebuilt(home: Path, torn: bytes) -> None:
    # Thumbnails are not flushed to disk when made: after a power cut one may be empty or cut short.
    thumbnail = _derivative(home, 1, "thumb.jpg")
    made = thumbnail.read_bytes()
    thumbnail.write_bytes(torn)
    code, report = _verify(home)
    assert code == ExitCode.OK, report["problems"]
    assert [f["derivative"] for f in report["derivative_findings"] if f["document_id"] == 1] == ["thumb.jpg"]
    assert thumbnail.read_bytes() == made


def test_a_flipped_byte_in_a_searchable_pdf_is_rebuilt(home: Path) -> None:
    rendition = _derivative(home, 2, "pdf")
    data = bytearray(rendition.read_bytes())
    data[len(data) // 2] ^= 0x01
    rendition.write_bytes(bytes(data))
    code, report = _verify(home)
    assert code == ExitCode.OK, report["problems"]
    assert [f["derivative"] for f in report["derivative_findings"] if f["document_id"] == 2] == ["pdf"]
    assert hashlib.sha256(rendition.read_bytes()).hexdigest() == _recorded(home, rendition)
    assert (2, "pdf") in _rebuilds(home)


def test_an_altered_original_is_still_a_loss_and_its_derivatives_are_left(home: Path) -> None:
    rendition = _derivative(home, 2, "pdf")
    sha256 = rendition.name.split(".")[0]
    original = home / "store" / "originals" / sha256[:2] / sha256[2:4] / sha256
    kept = original.read_bytes()
    original.chmod(0o600)
    original.write_bytes(kept + b"\x00")
    try:
        before = rendition.read_bytes()
        code, report = _verify(home)
        assert code == ExitCode.INTEGRITY_FAILURE and report["altered"] == [2]
        assert rendition.read_bytes() == before
    finally:
        original.write_bytes(kept)
        original.chmod(0o400)


def test_a_filed_document_has_its_derivative_hashes_from_the_same_transaction(archive, tmp_path: Path) -> None:
    from storage import derivatives_repo

    outcome = archive.ingest(scan_file(tmp_path / "scan.png", "Factuur 78\nBetreft: tuinpad", dpi=150), SYSTEM)
    recorded = derivatives_repo.recorded(archive.db.read(), outcome.sha256)
    made = {kind: archive.store.derivative_path(outcome.sha256, kind) for kind in ("thumb.jpg", "pdf")}
    assert recorded == {kind: hashlib.sha256(path.read_bytes()).hexdigest() for kind, path in made.items()}


def test_a_born_digital_thumbnail_is_drawn_when_first_shown_and_then_checked(archive, tmp_path: Path) -> None:
    from storage import derivatives_repo

    outcome = archive.ingest(text_pdf(tmp_path / "brief.pdf", ["Brief\nBetreft: vlinderstruik"]), SYSTEM)
    thumbnail = archive.store.derivative_path(outcome.sha256, "thumb.jpg")
    assert not thumbnail.exists() and derivatives_repo.recorded(archive.db.read(), outcome.sha256) == {}
    report = archive.verify_all()
    assert report["ok"] and report["derivative_findings"] == []  # not drawn yet is no damage
    assert archive.thumbnail_path(outcome.id, SYSTEM) == thumbnail and thumbnail.read_bytes()[:3] == b"\xff\xd8\xff"
    recorded = derivatives_repo.recorded(archive.db.read(), outcome.sha256)
    assert recorded == {"thumb.jpg": hashlib.sha256(thumbnail.read_bytes()).hexdigest()}
    thumbnail.write_bytes(b"")  # drawn, then torn: found by its hash and drawn again
    report = archive.verify_all()
    assert report["ok"] and [f["derivative"] for f in report["derivative_findings"]] == ["thumb.jpg"]


def test_a_filing_that_fails_to_commit_leaves_no_derivative_hash(archive, tmp_path: Path, monkeypatch) -> None:
    """A crash before the filing commits leaves a received document to finish, and no hash of a
    derivative no filed document has (the next reading stores and records it anew)."""
    from storage import derivatives_repo, documents_repo

    def crash(*args, **kwargs) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(documents_repo, "replace_facts", crash)
    with pytest.raises(RuntimeError):
        archive.ingest(text_pdf(tmp_path / "brief.pdf", ["Brief\nBetreft: vlinderstruik"]), SYSTEM)
    conn = archive.db.read()
    ((sha256, state),) = conn.execute("SELECT sha256, state FROM documents").fetchall()
    assert state == "received"
    assert derivatives_repo.recorded(conn, sha256) == {}
