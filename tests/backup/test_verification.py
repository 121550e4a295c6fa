"""`archive backup verify`: a missing chunk, a flipped byte, an edited manifest are all found."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.backup.destination import Destination
from archive.backup.reading import read_manifest
from archive.backup.service import verify
from archive.errors import InvalidInput
from tests.backup.conftest import PASSPHRASE, take
from tests.records.conftest import file_document


def _flip(path: Path, offset: int = -1) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.chmod(0o600)
    path.write_bytes(bytes(data))


@pytest.fixture
def taken(home, backups, tmp_path: Path):
    for day in (1, 2):
        file_document(home, tmp_path, "invoice", date(2024, 6, day))
    return take(backups, tmp_path / "dest")


@pytest.mark.parametrize("encrypt", [False, True])
def test_a_flipped_byte_is_found_by_the_deep_check_only(home, backups, tmp_path: Path, encrypt: bool) -> None:
    file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    dest = tmp_path / "dest"
    take(backups, dest, encrypt=encrypt)
    opened = Destination.open(dest, lambda: PASSPHRASE)
    original = next(e for e in read_manifest(opened, 1).files if e.kind == "original")
    _flip(opened.object_path(original.chunks[0]), offset=len(b"%PDF") + 40)
    source = (lambda: PASSPHRASE) if encrypt else None
    assert verify(dest, passphrase=source).ok  # same size, still there
    deep = verify(dest, deep=True, passphrase=source)
    assert not deep.ok and len(deep.problems) == 1 and original.path in deep.problems[0]
    reason = "authentication fails" if encrypt else "no longer matches its SHA-256"
    assert reason in deep.problems[0]


def test_a_missing_or_truncated_chunk_is_found_without_deep(taken, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    opened = Destination.open(dest)
    entries = [e for e in read_manifest(opened, 1).files if e.kind == "original"]
    opened.object_path(entries[0].chunks[0]).unlink()
    path = opened.object_path(entries[1].chunks[0])
    path.chmod(0o600)
    path.write_bytes(path.read_bytes()[:-10])
    report = verify(dest)
    assert not report.ok
    assert any("is missing" in p and entries[0].path in p for p in report.problems)
    assert any("wrong size" in p and entries[1].path in p for p in report.problems)


def test_an_edited_manifest_breaks_its_signature(taken, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    snapshot = Destination.open(dest).snapshot_path(1)
    content = snapshot.read_bytes().replace(b'"documents":{"filed":2}', b'"documents":{"filed":3}')
    snapshot.write_bytes(content)
    report = verify(dest)
    assert not report.ok and "the signature is not valid" in report.problems[0]
    assert "manifest was altered" in report.problems[0]


def test_a_backup_is_checked_against_the_home_key_when_given(taken, tmp_path: Path, home) -> None:
    own = home.records.key_path.with_suffix(".pub").read_text().strip()
    assert verify(tmp_path / "dest", trusted=frozenset({own})).ok
    other = "11" * 32
    report = verify(tmp_path / "dest", trusted=frozenset({other}))
    assert not report.ok and "signed by another key" in report.problems[0]


def test_an_encrypted_destination_cannot_be_read_without_its_passphrase(home, backups, tmp_path: Path) -> None:
    document = file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    text = home.document(document, home.actor_named("admin")).text.split("\n")[0].encode()
    sha256 = home.document(document, home.actor_named("admin")).sha256
    dest = tmp_path / "dest"
    take(backups, dest, encrypt=True)
    everything = b"".join(path.read_bytes() for path in dest.rglob("*") if path.is_file())
    # No page text, no hash of an original, no file path: nothing readable is there.
    for secret in (text, sha256.encode(), b"store/originals", b"audit_log", b"SQLite format"):
        assert secret not in everything
    with pytest.raises(InvalidInput, match="passphrase is needed"):
        verify(dest)
    with pytest.raises(InvalidInput, match="does not open this backup"):
        verify(dest, passphrase=lambda: "wrong horse battery staple")
    assert verify(dest, deep=True, passphrase=lambda: PASSPHRASE).ok
