"""The content-addressed store: written once, read-only, named by hash."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from storage.filestore import FileStore, hash_file


def test_put_stores_bytes_under_their_hash(tmp_path: Path) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4 hello")
    store = FileStore(tmp_path / "store")
    stored = store.put(source)
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.4 hello").hexdigest()
    assert stored.path == store.path_for(stored.sha256)
    assert stored.path.read_bytes() == b"%PDF-1.4 hello"
    assert stored.path.parent.name == stored.sha256[2:4]
    assert not stored.path.stat().st_mode & stat.S_IWUSR
    assert source.read_bytes() == b"%PDF-1.4 hello"


def test_put_twice_keeps_one_copy_and_leaves_no_temp(tmp_path: Path) -> None:
    source = tmp_path / "a.png"
    source.write_bytes(b"same")
    store = FileStore(tmp_path / "store")
    first, second = store.put(source), store.put(source)
    assert first == second
    # Each process writes in its own folder under tmp/ (so a killed one's leftovers are known): no file stays.
    assert [p for p in (tmp_path / "store" / "tmp").rglob("*") if not p.is_dir()] == []


def test_derivatives_live_beside_and_are_destroyed_with_the_original(tmp_path: Path) -> None:
    source = tmp_path / "a.png"
    source.write_bytes(b"scan")
    store = FileStore(tmp_path / "store")
    stored = store.put(source)
    store.put_derivative(stored.sha256, "pdf", source)
    assert store.derivative_path(stored.sha256, "pdf").exists()
    store.destroy(stored.sha256)
    assert not stored.path.exists()
    assert not store.derivative_path(stored.sha256, "pdf").exists()


def test_a_derivative_made_in_the_temp_folder_is_moved_into_place_hashed(tmp_path: Path, monkeypatch) -> None:
    import errno

    store = FileStore(tmp_path / "store")
    stored = store.put(_file(tmp_path / "scan.pdf", b"%PDF-1.4 scan"))
    made = _file(store.temp_dir() / "thumb.jpg", b"\xff\xd8 picture")
    kept = store.move_derivative(stored.sha256, "thumb.jpg", made, durable=False)
    assert not made.exists() and kept.path == store.derivative_path(stored.sha256, "thumb.jpg")
    assert (kept.sha256, kept.size) == (hashlib.sha256(b"\xff\xd8 picture").hexdigest(), 10)
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o600
    real_replace = os.replace

    def across_file_systems(source, target) -> None:
        if str(source).endswith("elsewhere.pdf"):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", across_file_systems)
    again = store.move_derivative(stored.sha256, "pdf", _file(tmp_path / "elsewhere.pdf", b"%PDF view"))
    assert again.path.read_bytes() == b"%PDF view" and again.sha256 == hashlib.sha256(b"%PDF view").hexdigest()


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_hash_file_matches_hashlib(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10000
    path = tmp_path / "big"
    path.write_bytes(data)
    assert hash_file(path) == (hashlib.sha256(data).hexdigest(), len(data))


def test_every_derivative_is_listed_with_its_originals_hash(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "store")
    made = []
    for text in (b"one", b"two"):
        source = tmp_path / "scan.pdf"
        source.write_bytes(text)
        stored = store.put(source)
        made += [store.put_derivative(stored.sha256, kind, source) for kind in ("pdf", "thumb.jpg")]
        assert store.original_file(stored.sha256) == str(stored.path)
    (made[0].parent / ".half-written").write_bytes(b"x")  # a dot name is no derivative, as for a glob
    listed = sorted(store.iter_derivatives())
    assert listed == sorted((path.name.split(".", 1)[0], str(path)) for path in made)


def test_a_forked_child_works_in_a_temp_folder_of_its_own(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "store")
    mine = store.temp_dir().parent
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: report its folder and leave at once
        os.write(write, str(store.temp_dir().parent).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    theirs = Path(os.read(read, 4096).decode())
    os.close(read)
    assert theirs != mine and theirs.name.startswith(f"p-{child}-")
    assert store.temp_dir().parent == mine
